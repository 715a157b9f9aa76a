// Imported text as markdown: body blocks written so that the rendered page shows exactly the text of the input.
import type { BodyBlock } from "./parse.ts";

/** ASCII punctuation: what a backslash escapes in CommonMark (elsewhere a backslash is an ordinary character). */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Escapes one line of plain text so markdown shows it as written, touching only what markdown would
 * otherwise read as syntax:
 * - anywhere: `\` before punctuation, `*`, `` ` ``, a `]` followed by `(` or `[` (so no link can form;
 *   `[sic]` stays as written), runs of `~~`, `&` starting an entity, `<` starting an autolink, and `_`
 *   at the edge of a word (`snake_case` inside a word is left alone);
 * - at the start of the line: a `[label]:` definition, `#` headings, `>` quotes, `-`/`+` bullets,
 *   `1.`/`1)` numbers, `---` rules and `===` underlines.
 * Raw HTML needs nothing: the site's markdown shows it as text.
 */
export function escapeMarkdown(line: string): string {
  let out = "";
  for (let index = 0; index < line.length; index++) {
    const character = line[index] ?? "";
    const previous = line[index - 1] ?? "";
    const next = line[index + 1] ?? "";
    if (character === "\\" && ASCII_PUNCTUATION.test(next)) out += "\\\\";
    else if (character === "*" || character === "`") out += `\\${character}`;
    // Brackets make a link only as `[text](…)`, `[text][…]` or a `[label]: …` definition line.
    else if (character === "]" && (next === "(" || next === "[")) out += "\\]";
    else if (character === "[" && index === 0 && /^\[[^\]]*\]:/.test(line)) out += "\\[";
    else if (character === "~" && (next === "~" || previous === "~")) out += "\\~";
    else if (character === "_" && !(WORD_CHARACTER.test(previous) && WORD_CHARACTER.test(next))) out += "\\_";
    else if (character === "&" && /^&#?[A-Za-z0-9]+;/.test(line.slice(index))) out += "\\&";
    else if (character === "<" && /^<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>/.test(line.slice(index))) out += "\\<";
    else out += character;
  }
  return out
    .replace(/^(?=#{1,6}(?:\s|$))/, "\\")
    .replace(/^(?=>|\+(?:\s|$)|=+\s*$)/, "\\")
    .replace(/^(?=-(?:\s|$)|-(?:\s*-){2,}\s*$)/, "\\")
    .replace(/^(\d{1,9})(?=[.)](?:\s|$))/, "$1\\");
}

/** Renders body blocks as markdown: paragraphs escaped, lists as `-`/numbered items, quotes as `>` lines. */
export function renderBlocks(blocks: readonly BodyBlock[]): string {
  return blocks
    .map((block) => {
      if (block.kind === "paragraph") return escapeMarkdown(block.text);
      if (block.kind === "list") return block.items.map((item) => `${item.marker ?? "-"} ${escapeMarkdown(item.text)}`).join("\n");
      const quote = block.lines.map((line) => `> ${escapeMarkdown(line)}`).join("\n");
      // A pull quote's attribution is a paragraph of its own inside the quote, as on the original page.
      return block.attribution === undefined ? quote : `${quote}\n>\n> ${escapeMarkdown(block.attribution)}`;
    })
    .join("\n\n");
}
