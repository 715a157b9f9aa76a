// Markdown rendering for article bodies: plain CommonMark, raw HTML escaped, punctuation kept verbatim.
import type { UserConfig } from "@11ty/eleventy";
import { absoluteUrl } from "@11ty/eleventy-plugin-rss";
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

/** Renders article bodies as feeds carry them (see {@link createFeedMarkdown}). */
export interface FeedMarkdown {
  /** The HTML of `body` with every link and picture URL absolute against `base`, the article's own address. */
  render(body: string, base: string): string;
}

/** What {@link createFeedMarkdown} renders with: the address relative URLs are resolved against. */
interface FeedEnv {
  base: string;
}

/** The token attributes that hold a URL in what {@link createMarkdown} renders (raw HTML is off, so there are no others). */
const URL_ATTRIBUTES: Readonly<Record<string, string>> = { link_open: "href", image: "src" };

/**
 * The renderer of bodies for feeds: as {@link createMarkdown}, but with URLs made absolute while rendering (a feed
 * reader has no page address to resolve them against) and void elements closed (`<img />`), as the RSS plugin's
 * conversion of rendered HTML wrote them. Each URL goes through that plugin's own `absoluteUrl`; rendering does it in
 * the same pass instead of parsing the HTML again.
 */
export function createFeedMarkdown(): FeedMarkdown {
  const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, xhtmlOut: true });
  for (const [rule, attribute] of Object.entries(URL_ATTRIBUTES)) {
    const rendered = markdown.renderer.rules[rule] ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
    markdown.renderer.rules[rule] = (tokens, index, options, env, self) => {
      const token = tokens[index];
      const value = token?.attrGet(attribute);
      const { base } = env as Partial<FeedEnv>;
      if (token && typeof value === "string" && typeof base === "string") token.attrSet(attribute, absoluteUrl(value.trim(), base));
      return rendered(tokens, index, options, env, self);
    };
  }
  return { render: (body, base) => markdown.render(body, { base } satisfies FeedEnv) };
}

/** Makes Eleventy render `.md` with {@link createMarkdown}. */
export function registerMarkdown(eleventyConfig: UserConfig): void {
  eleventyConfig.setLibrary("md", createMarkdown());
}
