// Article metadata: canonical, Open Graph, Twitter card and schema.org NewsArticle JSON-LD.
import type { UserConfig } from "@11ty/eleventy";

/** Placeholder until this concern is built. */
export function registerSeo(eleventyConfig: UserConfig, options: Record<string, unknown> = {}): void {
  void eleventyConfig;
  void options;
}
