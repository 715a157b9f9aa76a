// Renders a parsed article as a markdown file with YAML front matter.
import { stringify } from "yaml";
import type { ParsedArticle } from "./parse.ts";

/** What the command line adds that the raw text cannot say. */
export interface RenderFlags {
  date?: string;
  authors?: string[];
  topics?: string[];
  section?: string;
  sourceName?: string;
  sourceUrl?: string;
}

/** The article's file text, and what is left for the author to fill in. */
export interface RenderedArticle {
  text: string;
  body: string;
  /** Required fields that could not be filled, e.g. `date`. */
  leftForAuthor: string[];
}

export const MISSING_DATE_COMMENT = "# date: not in the text and no --date given; add it (YYYY-MM-DD) before publishing";

/** Renders front matter (title, dek, date, authors, section, topics, image, source) and the body. */
export function renderArticle(parsed: ParsedArticle, flags: RenderFlags = {}): RenderedArticle {
  const data: Record<string, unknown> = { title: parsed.title };
  if (parsed.dek) data.dek = parsed.dek;
  if (flags.date) data.date = flags.date;
  if (flags.authors && flags.authors.length > 0) data.authors = flags.authors;
  if (flags.section) data.section = flags.section;
  if (flags.topics && flags.topics.length > 0) data.topics = flags.topics;
  if (parsed.caption || parsed.credit) {
    const image: Record<string, string> = {};
    if (parsed.caption) image.caption = parsed.caption;
    if (parsed.credit) image.credit = parsed.credit;
    data.image = image;
  }
  if (flags.sourceName) data.source = flags.sourceUrl ? { name: flags.sourceName, url: flags.sourceUrl } : { name: flags.sourceName };

  // Quote every string so dates stay strings and headlines with ': ' or '#' stay valid YAML.
  const yamlOf = (fields: Record<string, unknown>): string =>
    Object.keys(fields).length === 0 ? "" : stringify(fields, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 });
  const { title, dek, date, ...rest } = data;
  const leftForAuthor: string[] = [];
  if (!flags.date) leftForAuthor.push("date");
  const yamlText =
    yamlOf(dek === undefined ? { title } : { title, dek }) +
    (date === undefined ? `${MISSING_DATE_COMMENT}\n` : yamlOf({ date })) +
    yamlOf(rest);
  const body = parsed.paragraphs.join("\n\n");
  return { text: `---\n${yamlText}---\n\n${body}\n`, body, leftForAuthor };
}
