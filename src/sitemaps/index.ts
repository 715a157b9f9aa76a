// Sitemaps (index split at a URL limit, Google News), robots.txt, the JSON Feed, the 404 page and the CDN _headers file.
import type { UserConfig } from "@11ty/eleventy";

/** Placeholder until this concern is built. */
export function registerSitemaps(eleventyConfig: UserConfig, options: Record<string, unknown> = {}): void {
  void eleventyConfig;
  void options;
}
