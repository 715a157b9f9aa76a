// Reads an article file into front matter and body, keeping YAML errors and line numbers for reports.
import { LineCounter, parseDocument } from "yaml";

/** An article file split into its YAML front matter and markdown body. */
export interface SplitArticle {
  /** Parsed front matter (unknown until validated). */
  data: unknown;
  body: string;
  /** YAML syntax errors, each with the 1-based line in the file. */
  yamlErrors: { line: number; message: string }[];
  /** 1-based line in the file where a top-level key is written, for error reports. */
  lineOf: (key: string) => number;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Parses YAML with the core schema, so dates stay strings and are read by luxon, not guessed by YAML.
 * Used both by validation and by Eleventy itself, so both see the same data.
 */
export function parseYaml(source: string): unknown {
  const doc = parseDocument(source, { schema: "core", uniqueKeys: true });
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toJS();
}

/** Splits an article's text into front matter and body. A file without front matter yields `data: undefined`. */
export function splitArticle(text: string): SplitArticle {
  const match = FENCE.exec(text);
  if (!match) return { data: undefined, body: text, yamlErrors: [], lineOf: () => 1 };
  const yamlSource = match[1] ?? "";
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlSource, { schema: "core", uniqueKeys: true, lineCounter });
  const yamlErrors = doc.errors.map((error) => ({
    line: (error.linePos?.[0]?.line ?? 1) + 1,
    message: error.message.split("\n")[0] ?? error.message,
  }));
  const lineOf = (key: string): number => {
    const contents = doc.contents;
    if (contents && "items" in contents) {
      for (const item of contents.items) {
        const pair = item as { key?: { value?: unknown; range?: [number, number, number] } };
        if (pair.key?.value === key && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line + 1;
      }
    }
    return 1;
  };
  return {
    data: yamlErrors.length > 0 ? undefined : doc.toJS(),
    body: text.slice(match[0].length),
    yamlErrors,
    lineOf,
  };
}
