// Eleventy 3 ships its config type as JSDoc in src/UserConfig.js, exported only at "@11ty/eleventy/UserConfig";
// this re-exports it where the rest of the code (and Eleventy's docs) import it from.
declare module "@11ty/eleventy" {
  export type UserConfig = import("@11ty/eleventy/UserConfig").default;
}

// The RSS plugin ships no types; Broadsheet passes it to addPlugin and uses its URL conversion for feed bodies.
declare module "@11ty/eleventy-plugin-rss" {
  const rssPlugin: (eleventyConfig: import("@11ty/eleventy").UserConfig) => void;
  export default rssPlugin;
  /** Rewrites every URL in `html` to an absolute one against `base` (with PostHTML render options). */
  export function convertHtmlToAbsoluteUrls(html: string, base: string, options?: { closingSingleTag?: "slash" | "default" | "tag" }): Promise<string>;
}
