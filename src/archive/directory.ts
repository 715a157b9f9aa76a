// The newsroom directory: known authors (`_data/authors.yaml`) and sections (`_data/sections.yaml`), read and checked.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseYaml } from "../articles/frontMatter.ts";

const text = (what: string) => z.string({ error: `must be text (${what})` }).trim().min(1, { error: `must not be empty (${what})` });

/** One entry of `_data/authors.yaml`. */
export const authorSchema = z.strictObject({
  name: text("the name as articles write it"),
  bio: text("one or two sentences about the author"),
  url: z.url({ error: "must be an absolute URL, e.g. https://example.org/jane" }).optional(),
});

/** One entry of `_data/sections.yaml`. */
export const sectionSchema = z.strictObject({
  name: text("the section name as articles write it"),
  description: text("one sentence about what the section covers"),
});

/** A known author. */
export type Author = z.infer<typeof authorSchema>;
/** A known section. */
export type Section = z.infer<typeof sectionSchema>;

/** Everyone and everything an article may name. */
export interface Directory {
  authors: Author[];
  sections: Section[];
}

/** Thrown when a directory file is missing or malformed; the message names the file, the entry and the field. */
export class DirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DirectoryError";
  }
}

async function readList<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new DirectoryError(`${file}: cannot be read (${(error as Error).message}); create it as a YAML list`);
  }
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (error) {
    throw new DirectoryError(`${file}: malformed YAML: ${(error as Error).message}`);
  }
  const result = z.array(schema, { error: "must be a YAML list of entries starting with '- name:'" }).safeParse(data ?? []);
  if (!result.success) {
    throw new DirectoryError(
      result.error.issues
        .map((issue) => {
          // Entries are numbered from 1, as editors count them (and as redirects.yaml messages do).
          const [index, ...field] = issue.path;
          const where = typeof index === "number" ? `entry ${index + 1}${field.length ? `, ${field.join(".")}` : ""}: ` : "";
          return `${file}: ${where}${issue.message}`;
        })
        .join("\n"),
    );
  }
  return result.data;
}

/**
 * Reads and checks `authors.yaml` and `sections.yaml` in `dataDir`.
 * Both files are read even when one is bad, so an editor sees every problem at once, in a fixed order.
 */
export async function loadDirectory(dataDir: string): Promise<Directory> {
  const [authors, sections] = await Promise.allSettled([
    readList(path.join(dataDir, "authors.yaml"), authorSchema),
    readList(path.join(dataDir, "sections.yaml"), sectionSchema),
  ]);
  if (authors.status === "fulfilled" && sections.status === "fulfilled") {
    return { authors: authors.value, sections: sections.value };
  }
  const problems = [authors, sections].flatMap((result) => (result.status === "rejected" ? [result.reason as Error] : []));
  const unexpected = problems.find((problem) => !(problem instanceof DirectoryError));
  if (unexpected) throw unexpected;
  throw new DirectoryError(problems.map((problem) => problem.message).join("\n"));
}
