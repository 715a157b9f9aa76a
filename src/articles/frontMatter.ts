// Reads an article file into front matter and body: the one reader of articles, for validation and rendering alike.
import { type Document, LineCounter, type Node, isMap, isSeq, parseDocument, visit } from "yaml";

/** A YAML problem, with the 1-based line in the text it was read from. */
export interface YamlError {
  line: number;
  message: string;
}

/** YAML text read with the core schema: its data (undefined when there were errors), its errors, and where things are. */
export interface YamlRead {
  /** The parsed value, or undefined when `errors` is not empty. */
  data: unknown;
  errors: YamlError[];
  /** 1-based line of the node at `path` (for a key of a mapping: the line of the key); undefined if there is none. */
  lineAt: (path: readonly (string | number)[]) => number | undefined;
}

/** An article file split into its YAML front matter and markdown body. */
export interface SplitArticle {
  /** Parsed front matter (unknown until validated); undefined without a closed block or with YAML errors. */
  data: unknown;
  /** The markdown after the closing `---`, with line endings normalised to `\n`. */
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyLine: number;
  /** Whether the file starts with a `---` block, and whether that block is closed by another `---` line. */
  fence: "closed" | "missing" | "unclosed";
  /** YAML syntax errors, each with the 1-based line in the file. */
  yamlErrors: YamlError[];
  /** 1-based line in the file where a top-level key is written, for error reports. */
  lineOf: (key: string) => number;
}

/**
 * Aliases a document may expand. YAML's `&anchor` / `*alias` can nest into billions of values from a
 * few lines (an "alias bomb"); real front matter needs none, so the yaml library's default cap is kept.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * The text as every reader must see it: without a leading byte-order mark, and with Windows (`\r\n`) and
 * old Mac (`\r`) line endings turned into `\n`. Each line break stays one line break, so line numbers hold.
 */
export function normaliseText(text: string): string {
  // Most files need neither; a build reads every article, and two regular expression passes over each showed.
  if (text.charCodeAt(0) !== 0xfeff && !text.includes("\r")) return text;
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** The fence line that opens and closes front matter: three hyphens, optionally followed by spaces. */
const FENCE_LINE = /^---[ \t]*$/;

/**
 * Reads YAML with the core schema, so dates stay strings and are read by luxon, not guessed by YAML;
 * duplicate keys are errors, and so is an alias bomb (the yaml library throws on it, a problem here).
 * `firstLine` is the line of the whole file the YAML text starts on, so errors carry file lines.
 */
export function readYaml(source: string, firstLine = 1): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(normaliseText(source), { schema: "core", uniqueKeys: true, lineCounter });
  const lineOfOffset = (offset: number): number => lineCounter.linePos(offset).line + firstLine - 1;
  const errors: YamlError[] = doc.errors.map((error) => ({
    line: (error.linePos?.[0]?.line ?? 1) + firstLine - 1,
    message: (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ""),
  }));
  let data: unknown;
  if (errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // The yaml library reports alias problems (a bomb, an alias before its anchor) by throwing a ReferenceError
      // from toJS; anything else is a bug here, not a problem of the file.
      if (!(error instanceof ReferenceError)) throw error;
      const bomb = error.message.startsWith("Excessive alias count");
      errors.push({
        line: firstAliasLine(doc, lineOfOffset) ?? firstLine,
        message: bomb ? `${error.message} (more than ${MAX_ALIAS_COUNT} values copied through & and * aliases); write the values out instead of using aliases` : error.message,
      });
    }
  }
  const lineAt = (path: readonly (string | number)[]): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === segment);
        const key = pair?.key as Node | undefined;
        if (!pair || !key?.range) return undefined;
        line = lineOfOffset(key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as Node | undefined;
        if (!item?.range) return undefined;
        line = lineOfOffset(item.range[0]);
        node = item;
      } else return undefined;
    }
    return line;
  };
  return { data: errors.length > 0 ? undefined : data, errors, lineAt };
}

/** The line of the first `*alias` in the document, where an alias bomb goes off. */
function firstAliasLine(doc: Document, lineOfOffset: (offset: number) => number): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) line = lineOfOffset(node.range[0]);
      return visit.BREAK;
    },
  });
  return line;
}

/**
 * Parses a YAML file (e.g. a `_data` file) exactly as front matter is parsed, throwing the first error
 * with its line. Front matter itself is read with {@link splitArticle}, which collects every error.
 */
export function parseYaml(source: string): unknown {
  const read = readYaml(source);
  const [first] = read.errors;
  if (first) throw new Error(`line ${first.line}: ${first.message}`);
  return read.data;
}

/**
 * The body of an article file whose body starts on line `bodyLine` (as {@link splitArticle} found it for these bytes),
 * without parsing its front matter again.
 */
export function bodyFrom(text: string, bodyLine: number): string {
  const normal = normaliseText(text);
  let start = 0;
  for (let line = 1; line < bodyLine; line += 1) {
    const end = normal.indexOf("\n", start);
    if (end === -1) return "";
    start = end + 1;
  }
  return normal.slice(start);
}

/**
 * Splits an article's text into front matter and body. Every article is read through here, for checks and
 * for the pages alike, so both see byte for byte the same data: a byte-order mark is dropped and line
 * endings are normalised first (a `draft: true` on a Windows line must not become the string "true\r").
 * A file that does not start with a `---` line has `fence: "missing"`; one whose block never closes,
 * `fence: "unclosed"`; either way `data` is undefined and the whole text is the body.
 */
export function splitArticle(text: string): SplitArticle {
  const normal = normaliseText(text);
  const lines = normal.split("\n");
  const noFrontMatter = (fence: "missing" | "unclosed"): SplitArticle => ({ data: undefined, body: normal, bodyLine: 1, fence, yamlErrors: [], lineOf: () => 1 });
  if (!FENCE_LINE.test(lines[0] ?? "")) return noFrontMatter("missing");
  const closing = lines.findIndex((line, index) => index > 0 && FENCE_LINE.test(line));
  if (closing === -1) return noFrontMatter("unclosed");
  // The YAML starts on line 2 of the file; the body on the line after the closing fence.
  const yaml = readYaml(lines.slice(1, closing).join("\n"), 2);
  return {
    data: yaml.data,
    body: lines.slice(closing + 1).join("\n"),
    bodyLine: closing + 2,
    fence: "closed",
    yamlErrors: yaml.errors,
    lineOf: (key) => yaml.lineAt([key]) ?? 1,
  };
}
