// Renders a parsed article as a markdown file with YAML front matter, written the way an editor would write it.
import { Document, isSeq, stringify } from "yaml";
import { renderBlocks } from "./escape.ts";
import type { ParsedArticle } from "./parse.ts";

/** What the command line adds that the raw text cannot say. */
export interface RenderFlags {
  /** The publication date (required: raw text never says it reliably, and an article without one fails the check). */
  date: string;
  /** Why the date is what it is (the text rarely says); written as a YAML comment above `date:`. */
  dateNote?: string | undefined;
  authors?: string[] | undefined;
  topics?: string[] | undefined;
  section?: string | undefined;
  sourceName?: string | undefined;
  sourceUrl?: string | undefined;
}

/** The article's file text, and what the author should still add. */
export interface RenderedArticle {
  text: string;
  body: string;
  /** Optional fields worth adding before publishing, each as a sentence, e.g. that there is no byline. */
  leftForAuthor: string[];
}

/** Widest a comment line may be, `# ` included. */
export const COMMENT_WIDTH = 100;

/** No folding (one value, one line) and `[a, b]` rather than `[ a, b ]`. */
const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * A YAML scalar as the `yaml` package writes it: plain when that reads back as the same string
 * (`Hamas patches up ties with Hezbollah, Iran`), quoted only when needed (`"Q&A: #1"`, `"42"`).
 */
export function yamlScalar(value: string): string {
  return stringify(value, YAML_OPTIONS).trimEnd();
}

/** A list as a one-line flow sequence, `[Hamas, Iran]`, items quoted only when needed. */
export function yamlFlowList(values: readonly string[]): string {
  const document = new Document([...values]);
  if (isSeq(document.contents)) document.contents.flow = true;
  return document.toString(YAML_OPTIONS).trimEnd();
}

/** Wraps text into `# ` comment lines of at most {@link COMMENT_WIDTH} characters, breaking at spaces. */
export function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.trim().split(/\s+/)) {
    if (line !== "#" && line.length + 1 + word.length > COMMENT_WIDTH) {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** What an imported article still lacks, from what the flags and the text gave it. */
function leftForAuthor(parsed: ParsedArticle, flags: RenderFlags): string[] {
  const left: string[] = [];
  if (!flags.authors?.length) left.push("authors: no --author given; add the byline (names from authors.yaml) if it is known");
  if (!flags.section) left.push("section: no --section given; add one from sections.yaml");
  if (!flags.topics?.length) left.push("topics: no --topic given; add a few so readers find the article");
  if (parsed.caption || parsed.credit)
    left.push("image: only the caption and credit were in the text; add image.src and image.alt if you have the photo");
  return left;
}

/** Renders front matter (title, dek, date, authors, section, topics, image, source) and the body. */
export function renderArticle(parsed: ParsedArticle, flags: RenderFlags): RenderedArticle {
  const lines = [`title: ${yamlScalar(parsed.title)}`];
  if (parsed.dek) lines.push(`dek: ${yamlScalar(parsed.dek)}`);
  if (flags.dateNote) lines.push(...commentLines(flags.dateNote));
  lines.push(`date: ${yamlScalar(flags.date)}`);
  if (flags.authors && flags.authors.length > 0) lines.push(`authors: ${yamlFlowList(flags.authors)}`);
  if (flags.section) lines.push(`section: ${yamlScalar(flags.section)}`);
  if (flags.topics && flags.topics.length > 0) lines.push(`topics: ${yamlFlowList(flags.topics)}`);
  if (parsed.caption || parsed.credit) {
    lines.push("image:");
    if (parsed.caption) lines.push(`  caption: ${yamlScalar(parsed.caption)}`);
    if (parsed.credit) lines.push(`  credit: ${yamlScalar(parsed.credit)}`);
  }
  if (flags.sourceName) {
    lines.push("source:", `  name: ${yamlScalar(flags.sourceName)}`);
    if (flags.sourceUrl) lines.push(`  url: ${yamlScalar(flags.sourceUrl)}`);
  }
  const body = renderBlocks(parsed.blocks);
  return { text: `---\n${lines.join("\n")}\n---\n\n${body}\n`, body, leftForAuthor: leftForAuthor(parsed, flags) };
}
