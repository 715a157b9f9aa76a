// Turns raw copied article text into a headline, standfirst, caption and body paragraphs.

/** A raw article split into its parts; text is kept verbatim apart from whitespace. */
export interface ParsedArticle {
  title: string;
  dek?: string;
  caption?: string;
  credit?: string;
  paragraphs: string[];
  /** Boilerplate lines that were left out, in input order. */
  droppedLines: string[];
  /** Normalised input lines used for title, dek and caption (they go to front matter, not the body). */
  headerLines: string[];
}

/** `read more:` ends the article: that line and everything after it are dropped. */
const READ_MORE = /^read more:/i;

/** Caption credit forms at the end of a line: `(photo credit: X)`, `(Photo: X)`, `(Credit: X)`, `Photo: X`. */
const CREDIT_FORMS = [
  /^(.*?)\s*\((?:photo credit|photo|credit)\s*:\s*([^()]+?)\s*\)$/i,
  /^(.*?)[\s.,;–—-]*\bPhoto\s*:\s*(.+?)$/,
];

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
  for (const form of CREDIT_FORMS) {
    const match = form.exec(line);
    if (match && match[1] && match[2]) return { caption: match[1].trim(), credit: match[2].trim() };
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

/** Compiles the editor-maintained boilerplate patterns (case-insensitive). */
export function compileBoilerplate(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern, "i");
    } catch (error) {
      throw new Error(`boilerplate pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`);
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
  const result: ParsedArticle = { title: titleBlock.join(" "), paragraphs: [], droppedLines, headerLines };

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
  result.paragraphs = blocks.slice(next).map((block) => block.join(" "));
  return result;
}
