// Article images: local files become responsive srcset sets with @11ty/eleventy-img; absolute URLs pass through.
import type { UserConfig } from "@11ty/eleventy";

/** Placeholder until this concern is built. */
export function registerImages(eleventyConfig: UserConfig, options: Record<string, unknown> = {}): void {
  void eleventyConfig;
  void options;
}
