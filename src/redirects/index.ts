// Permalink stability: the committed URL manifest, aliases and redirects, _redirects and HTML redirect pages.
import type { UserConfig } from "@11ty/eleventy";

/** Placeholder until this concern is built. */
export function registerRedirects(eleventyConfig: UserConfig, options: Record<string, unknown> = {}): void {
  void eleventyConfig;
  void options;
}
