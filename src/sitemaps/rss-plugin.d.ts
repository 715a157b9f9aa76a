// The RSS plugin ships no types; the JSON Feed rewrites article URLs with the same function the plugin's filter uses.
declare module "@11ty/eleventy-plugin-rss" {
  /** Rewrites every URL in `html` to an absolute one against `base` (with PostHTML render options). */
  export function convertHtmlToAbsoluteUrls(html: string, base: string, options?: { closingSingleTag?: "slash" | "default" | "tag" }): Promise<string>;
}
