// Checks that every sentence of the input's body made it into the output, word for word, as readers will see it.
import { createMarkdown } from "../markdown/index.ts";
import { normaliseText } from "./parse.ts";

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();
const markdown = createMarkdown();

/** Splits text into sentences at `.`, `!` or `?` (plus closing quotes/brackets) followed by a space. */
export function sentencesOf(text: string): string[] {
  return collapse(text)
    .split(/(?<=[.!?…]["”’)\]]*) +/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
}

/**
 * The text a markdown body shows once rendered by the site's own markdown parser: one line per block
 * (paragraph, list item, quote paragraph), escapes and markers gone, line breaks inside a block as spaces.
 */
export function renderedText(body: string): string {
  const blocks: string[] = [];
  for (const token of markdown.parse(body, {})) {
    if (token.type === "fence" || token.type === "code_block") blocks.push(token.content.trimEnd());
    if (token.type !== "inline") continue;
    let text = "";
    for (const child of token.children ?? []) {
      if (child.type === "text" || child.type === "code_inline") text += child.content;
      else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
      else if (child.type === "image") text += child.children?.map((part) => part.content).join("") ?? "";
    }
    blocks.push(text);
  }
  return blocks.join("\n");
}

/** List bullets and numbers and `>` at the start of an input line are structure, not words. */
const LINE_MARKER = /^(?:[•●▪◦‣*–-]\s+|\d{1,3}[.)]\s+|>\s?)/u;

/**
 * Returns the input sentences missing from the rendered output body (empty when nothing was lost).
 * `skipLines` are input lines expected elsewhere: headline, standfirst, caption, dropped boilerplate.
 * The output is compared as rendered, so escaping a `#` or `*` for markdown never counts as a change,
 * while anything markdown would have eaten (a heading marker, an emphasis star) would.
 */
export function checkFidelity(inputText: string, outputBody: string, skipLines: readonly string[] = []): string[] {
  const skip = new Set(skipLines.map(collapse));
  const bodyLines = normaliseText(inputText)
    .split("\n")
    .filter((line) => line !== "" && !skip.has(collapse(line)))
    .map((line) => line.replace(LINE_MARKER, ""));
  const output = collapse(renderedText(outputBody));
  return sentencesOf(bodyLines.join("\n")).filter((sentence) => !output.includes(sentence));
}
