// Eleventy 3 ships its config type as JSDoc in src/UserConfig.js, exported only at "@11ty/eleventy/UserConfig";
// this re-exports it where the rest of the code (and Eleventy's docs) import it from.
declare module "@11ty/eleventy" {
  export type UserConfig = import("@11ty/eleventy/UserConfig").default;

  /** The part of Eleventy's programmatic API the build pipeline uses (Eleventy.js documents it in JSDoc only). */
  export default class Eleventy {
    constructor(
      input: string,
      output: string,
      options: {
        configPath?: string;
        config?: (eleventyConfig: UserConfig) => void | Promise<void>;
        quietMode?: boolean;
        runMode?: "build" | "watch" | "serve";
      },
    );
    /** Prints build errors; its `error` method is what every failed build goes through. */
    errorHandler: { error(error: unknown, message?: string): void };
    init(): Promise<void>;
    write(): Promise<unknown>;
    /** The development server of `--serve`; `reload` tells every open page to reload. */
    eleventyServe: { reload(event: Record<string, never>): Promise<void> };
    watch(): Promise<void>;
    serve(port?: number): Promise<void>;
    stopWatch(): Promise<void>;
  }
}

// The RSS plugin ships no types; Broadsheet passes it to addPlugin and uses its URL resolution for feed bodies.
declare module "@11ty/eleventy-plugin-rss" {
  const rssPlugin: (eleventyConfig: import("@11ty/eleventy").UserConfig) => void;
  export default rssPlugin;
  /** `url` resolved against `base`, or `url` itself when it is not a valid URL. */
  export function absoluteUrl(url: string, base: string): string;
}
