// Turns raw copied article text into a headline, standfirst, caption and body paragraphs.

/** One block of the body: a paragraph, or a list or block quote where the text clearly is one. */
export type BodyBlock =
  | { kind: "paragraph"; text: string }
  /** `marker` is how the item was numbered (`3.`, `3)`), or undefined for a bulleted item. */
  | { kind: "list"; items: { marker?: string | undefined; text: string }[] }
  /** Lines of a quotation, and a pull quote's attribution line (`— Name`). */
  | { kind: "quote"; lines: string[]; attribution?: string | undefined };

/** A raw article split into its parts; text is kept verbatim apart from whitespace. */
export interface ParsedArticle {
  title: string;
  dek?: string;
  caption?: string;
  credit?: string;
  /** The text of each body block: a paragraph's, or a list's items or a quote's lines joined by newlines (without their markers). */
  paragraphs: string[];
  /** The body blocks with their structure, for rendering as markdown. */
  blocks: BodyBlock[];
  /** Boilerplate lines that were left out, in input order. */
  droppedLines: string[];
  /** Normalised input lines used for title, dek and caption (they go to front matter, not the body). */
  headerLines: string[];
}

/** `read more:` ends the article: that line and everything after it are dropped. */
const READ_MORE = /^read more:/i;

/**
 * The keyword of a bracketed credit at the end of a caption line: `(photo credit: X)`, `(Photo: X)`, `(Credit: X)`.
 * Anchored at the last `(`, so it is tried once per line.
 */
const BRACKETED_CREDIT = /^(?:photo credit|photo|credit)\s*:/i;
/** `Photo:` in a `Caption. Photo: X` line; sticky, tried only where a word `Photo` starts. */
const PHOTO_COLON = /Photo\s*:/y;

/**
 * Every pattern the caption reader uses. Each has at most one unbounded quantifier and is anchored
 * (`^` or sticky), so it is tried at one place and backtracks at most once over the input: linear.
 */
export const CAPTION_PATTERNS: readonly RegExp[] = [BRACKETED_CREDIT, PHOTO_COLON];

/** Punctuation and spaces between a caption and its `Photo:` credit. */
const CAPTION_SEPARATORS = new Set([" ", "\t", ".", ",", ";", "–", "—", "-"]);

/** `text` without trailing separators (a loop, because a `[…]+$` pattern is quadratic on a long run of them). */
function trimSeparators(text: string): string {
  let end = text.length;
  while (end > 0 && CAPTION_SEPARATORS.has(text[end - 1] ?? "")) end--;
  return text.slice(0, end).trim();
}

/** A caption line ending in a bracketed credit, `Caption (Photo: X)`; the bracket holds no other brackets. */
function bracketedCredit(line: string): { caption: string; credit: string } | null {
  if (!line.endsWith(")")) return null;
  const open = line.lastIndexOf("(");
  const inner = line.slice(open + 1, -1);
  if (open < 0 || inner.includes(")")) return null;
  const keyword = BRACKETED_CREDIT.exec(inner);
  if (!keyword) return null;
  return { caption: line.slice(0, open).trim(), credit: inner.slice(keyword[0].length).trim() };
}

/** A caption line with the credit after the first word `Photo:`, `Caption. Photo: X`. */
function photoCredit(line: string): { caption: string; credit: string } | null {
  for (let at = line.indexOf("Photo"); at >= 0; at = line.indexOf("Photo", at + 1)) {
    if (at > 0 && /\w/.test(line[at - 1] ?? "")) continue;
    PHOTO_COLON.lastIndex = at;
    if (!PHOTO_COLON.test(line)) continue;
    return { caption: trimSeparators(line.slice(0, at)), credit: line.slice(PHOTO_COLON.lastIndex).trim() };
  }
  return null;
}

/** Tidies whitespace only: BOM, line endings, non-breaking spaces, runs of spaces and blank lines. */
export function normaliseText(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00A0\u2007\u202F]/g, " ")
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Reads a caption line into its text and credit, or null if the line carries no credit. */
export function parseCaptionLine(line: string): { caption: string; credit: string } | null {
  for (const form of [bracketedCredit, photoCredit]) {
    const parts = form(line);
    if (parts && parts.caption !== "" && parts.credit !== "") return parts;
  }
  return null;
}

function isCaptionBlock(lines: string[]): boolean {
  return lines.length > 0 && lines.every((line) => parseCaptionLine(line) !== null);
}

/** A standfirst is a short single line without a final full stop (body paragraphs end with one). */
function isDekBlock(lines: string[]): boolean {
  if (lines.length !== 1) return false;
  const line = lines[0] ?? "";
  return line.length > 0 && line.length < 200 && !/[.!?…]["”’)\]]*$/.test(line);
}

/** A bulleted line: the same bullet (•, ●, ▪, -, *, –) then a space on every line of a block. */
const BULLET = /^([•●▪◦‣*–-])\s+(\S.*)$/u;
/** A numbered line: `1.` or `1)` then a space. */
const NUMBERED = /^(\d{1,3})([.)])\s+(\S.*)$/;
/** A line that is all quotation, in curly, straight or angle quotes. */
const QUOTATION = /^[“"«„].*[”"»“]$/u;
/** A pull quote's attribution: a dash, then a name. */
const ATTRIBUTION = /^[—–-]\s*\S/u;

/** The block as a list, if every line (two or more) starts with the same bullet or with numbers counting up by one. */
function asList(lines: readonly string[]): BodyBlock | undefined {
  if (lines.length < 2) return undefined;
  const bullets = lines.map((line) => BULLET.exec(line));
  if (bullets.every((match) => match !== null) && new Set(bullets.map((match) => match[1])).size === 1) {
    return { kind: "list", items: bullets.map((match) => ({ text: match[2] ?? "" })) };
  }
  const numbers = lines.map((line) => NUMBERED.exec(line));
  if (!numbers.every((match) => match !== null)) return undefined;
  const counting = numbers.every((match, index) => index === 0 || Number(match[1]) === Number(numbers[index - 1]?.[1]) + 1);
  const oneDelimiter = new Set(numbers.map((match) => match[2])).size === 1;
  return counting && oneDelimiter
    ? { kind: "list", items: numbers.map((match) => ({ marker: `${match[1]}${match[2]}`, text: match[3] ?? "" })) }
    : undefined;
}

/**
 * Reads a body block (lines between blank lines) where the text clearly has structure:
 * - a list: every line, two or more, starts with the same bullet (•, ●, ▪, -, *, –) or with numbers
 *   counting up by one (`1.`, `2.`…); a line introducing the list directly above it stays a paragraph;
 * - a block quote: two or more lines all starting with `>`, or a pull quote: a line that is all
 *   quotation, then a line with its attribution after a dash.
 * Anything else is one paragraph, its lines joined by spaces (a single `- …` or `> …` line is text).
 */
export function classifyBlock(lines: readonly string[]): BodyBlock[] {
  const list = asList(lines);
  if (list) return [list];
  const introduced = asList(lines.slice(1));
  if (introduced) return [{ kind: "paragraph", text: lines[0] ?? "" }, introduced];
  if (lines.length === 2 && QUOTATION.test(lines[0] ?? "") && ATTRIBUTION.test(lines[1] ?? "")) {
    return [{ kind: "quote", lines: [lines[0] ?? ""], attribution: lines[1] }];
  }
  if (lines.length >= 2 && lines.every((line) => line.startsWith(">"))) {
    return [{ kind: "quote", lines: lines.map((line) => line.replace(/^>\s?/, "")) }];
  }
  return [{ kind: "paragraph", text: lines.join(" ") }];
}

/** The plain text of a block, as it stood in the input. */
function blockText(block: BodyBlock): string {
  if (block.kind === "paragraph") return block.text;
  if (block.kind === "quote") return [...block.lines, ...(block.attribution === undefined ? [] : [block.attribution])].join("\n");
  return block.items.map((item) => item.text).join("\n");
}

/** Compiles the editor-maintained boilerplate patterns (case-insensitive). */
export function compileBoilerplate(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern, "i");
    } catch (error) {
      throw new Error(`boilerplate pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
}

/** Parses raw article text. Throws if there is no headline. */
export function parseRawArticle(text: string, boilerplate: RegExp[]): ParsedArticle {
  const droppedLines: string[] = [];
  const kept: string[] = [];
  const lines = normaliseText(text).split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (READ_MORE.test(line)) {
      droppedLines.push(...lines.slice(index).filter((rest) => rest !== ""));
      break;
    }
    if (line !== "" && boilerplate.some((pattern) => pattern.test(line))) droppedLines.push(line);
    else kept.push(line);
  }

  const blocks = kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .split("\n\n")
    .map((block) => block.split("\n"))
    .filter((block) => block.some((line) => line !== ""));

  const titleBlock = blocks[0];
  if (!titleBlock) throw new Error("has no headline: the first line should be the article's headline");
  const headerLines = [...titleBlock];
  const result: ParsedArticle = { title: titleBlock.join(" "), paragraphs: [], blocks: [], droppedLines, headerLines };

  let next = 1;
  const second = blocks[next];
  if (second && !isCaptionBlock(second) && isDekBlock(second)) {
    result.dek = second.join(" ");
    headerLines.push(...second);
    next++;
  }
  const captionBlock = blocks[next];
  if (captionBlock && isCaptionBlock(captionBlock)) {
    const unique = [...new Set(captionBlock)];
    const parts = unique.map((line) => parseCaptionLine(line)!);
    const caption = [...new Set(parts.map((part) => part.caption))].filter((part) => part !== "").join(" ");
    if (caption !== "") result.caption = caption;
    result.credit = [...new Set(parts.map((part) => part.credit))].join("; ");
    headerLines.push(...captionBlock);
    next++;
  }
  result.blocks = blocks.slice(next).flatMap(classifyBlock);
  result.paragraphs = result.blocks.map(blockText);
  return result;
}
