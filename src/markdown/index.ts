// Markdown rendering for article bodies: plain CommonMark, raw HTML escaped, punctuation kept verbatim.
import type { UserConfig } from "@11ty/eleventy";
import MarkdownIt from "markdown-it";

/** The markdown renderer type. */
export type Markdown = InstanceType<typeof MarkdownIt>;

/**
 * Creates the markdown renderer. Raw HTML is off so scraped text can never inject markup,
 * and the typographer is off so an article's original quotes and dashes are never rewritten.
 */
export function createMarkdown(): Markdown {
  return new MarkdownIt({ html: false, linkify: false, typographer: false });
}

/** Makes Eleventy render `.md` with {@link createMarkdown}. */
export function registerMarkdown(eleventyConfig: UserConfig): void {
  eleventyConfig.setLibrary("md", createMarkdown());
}
