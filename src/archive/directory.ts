// The newsroom directory: known authors (`_data/authors.yaml`) and sections (`_data/sections.yaml`), read and checked.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { readYaml } from "../articles/frontMatter.ts";
import { MAX_SEGMENT_BYTES, byteLength, slugOf } from "../articles/permalink.ts";
import { webUrl } from "../articles/schema.ts";
import { type Problem, formatProblem } from "../validation/problem.ts";
import { closestName } from "../validation/suggest.ts";
import { authorUrl, sectionUrl } from "./model.ts";

const text = (what: string) =>
  z
    .string({ error: `must be text (${what})` })
    .trim()
    .min(1, { error: `must not be empty (${what})` });

/** One entry of `_data/authors.yaml`. */
export const authorSchema = z.strictObject({
  name: text("the name as articles write it"),
  bio: text("one or two sentences about the author"),
  url: webUrl("https://example.org/jane").optional(),
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

/**
 * The names an article may use. A list is undefined when its file could not be read as a list at all,
 * so that articles are not all reported for naming people the broken file would have listed.
 */
export interface KnownNames {
  authors?: readonly string[] | undefined;
  sections?: readonly string[] | undefined;
}

/** The directory as read, with every problem in its files. */
export interface DirectoryRead {
  /** The valid entries (an entry with a problem is left out). */
  directory: Directory;
  /** Every name listed, including those of entries with other problems. */
  names: KnownNames;
  problems: Problem[];
}

/** Thrown by {@link loadDirectory} when a directory file is missing or malformed; the message lists every problem. */
export class DirectoryError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "DirectoryError";
  }
}

/** One directory file: its entries, their names and its problems. */
interface ListRead<T> {
  entries: T[];
  names: string[] | undefined;
  problems: Problem[];
}

/** How one directory file is checked: its schema, and the page each entry's name gets. */
interface ListSpec<T> {
  /** The file, relative to the folder that problems are reported from. */
  file: string;
  schema: z.ZodType<T>;
  /** The fields an entry may have, for did-you-mean on an unknown one. */
  fields: readonly string[];
  /** The URL of the page of a name (`/authors/slug/`). */
  urlOf: (name: string) => string;
}

async function readList<T extends { name: string }>(absolute: string, spec: ListSpec<T>): Promise<ListRead<T>> {
  const { file } = spec;
  const problem = (line: number, field: string, message: string): Problem => ({ file, line, field, message });
  let source: string;
  try {
    source = await readFile(absolute, "utf8");
  } catch (error) {
    return {
      entries: [],
      names: undefined,
      problems: [
        problem(1, "file", `cannot be read (${(error as Error).message}); create it as a YAML list of entries starting with '- name:'`),
      ],
    };
  }
  const yaml = readYaml(source);
  if (yaml.errors.length > 0) {
    return {
      entries: [],
      names: undefined,
      problems: yaml.errors.map(({ line, message }) =>
        problem(line, "YAML", `malformed: ${message} (check indentation, closing quotes, and quote values containing ': ')`),
      ),
    };
  }
  const list = yaml.data ?? [];
  if (!Array.isArray(list))
    return { entries: [], names: undefined, problems: [problem(1, "list", "must be a YAML list of entries starting with '- name:'")] };

  const entries: T[] = [];
  const names: string[] = [];
  const problems: Problem[] = [];
  const lineOf = (index: number, field?: string | number): number =>
    (field === undefined ? undefined : yaml.lineAt([index, field])) ?? yaml.lineAt([index]) ?? 1;
  // Entries are numbered from 1, as editors count them (and as redirects.yaml messages do).
  const where = (index: number, field: readonly PropertyKey[]): string =>
    [`entry ${index + 1}`, ...(field.length ? [field.map(String).join(".")] : [])].join(", ");
  const firstBySlug = new Map<string, { name: string; index: number }>();
  list.forEach((entry: unknown, index) => {
    const result = spec.schema.safeParse(entry);
    if (result.success) entries.push(result.data);
    else {
      for (const issue of result.error.issues) {
        if (issue.code === "unrecognized_keys") {
          for (const key of issue.keys) {
            const meant = closestName(key, spec.fields);
            problems.push(
              problem(
                lineOf(index, key),
                where(index, [key]),
                `unknown field; ${meant === undefined ? "remove it" : `did you mean "${meant}"?`}`,
              ),
            );
          }
        } else problems.push(problem(lineOf(index, issue.path[0] as string | undefined), where(index, issue.path), issue.message));
      }
    }
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "") return;
    names.push(name.trim());
    const slug = slugOf(name);
    const line = lineOf(index, "name");
    const field = where(index, ["name"]);
    if (slug === "") {
      problems.push(problem(line, field, `"${name}" gives an empty URL; a name needs letters or digits`));
      return;
    }
    if (byteLength(slug) > MAX_SEGMENT_BYTES) {
      problems.push(
        problem(
          line,
          field,
          `"${name}" gives a URL segment of ${byteLength(slug)} bytes, more than a file name may safely have (${MAX_SEGMENT_BYTES}); shorten the name`,
        ),
      );
      return;
    }
    const first = firstBySlug.get(slug);
    if (first === undefined) firstBySlug.set(slug, { name: name.trim(), index });
    else if (first.name === name.trim()) {
      problems.push(
        problem(
          line,
          field,
          `"${name}" is listed twice (also entry ${first.index + 1}, line ${lineOf(first.index, "name")}); keep one entry`,
        ),
      );
    } else {
      problems.push(
        problem(
          line,
          field,
          `"${name}" has the same page ${spec.urlOf(name)} as "${first.name}" (entry ${first.index + 1}, line ${lineOf(first.index, "name")}), so the two would be merged; use one spelling`,
        ),
      );
    }
  });
  return { entries, names, problems };
}

/**
 * Reads and checks `authors.yaml` and `sections.yaml` in `dataDir` (relative to `cwd`), naming the files in
 * problems as `dataDir/authors.yaml`. Both files are read even when one is bad, and every problem in each is
 * listed: unreadable or malformed files, bad entries, and two names that would share one page.
 */
export async function readDirectory(dataDir: string, cwd = process.cwd()): Promise<DirectoryRead> {
  const absolute = path.resolve(cwd, dataDir);
  const [authors, sections] = await Promise.all([
    readList(path.join(absolute, "authors.yaml"), {
      file: path.join(dataDir, "authors.yaml"),
      schema: authorSchema,
      fields: Object.keys(authorSchema.shape),
      urlOf: authorUrl,
    }),
    readList(path.join(absolute, "sections.yaml"), {
      file: path.join(dataDir, "sections.yaml"),
      schema: sectionSchema,
      fields: Object.keys(sectionSchema.shape),
      urlOf: sectionUrl,
    }),
  ]);
  return {
    directory: { authors: authors.entries, sections: sections.entries },
    names: { authors: authors.names, sections: sections.names },
    problems: [...authors.problems, ...sections.problems],
  };
}

/** Reads `authors.yaml` and `sections.yaml` in `dataDir`, throwing a {@link DirectoryError} listing every problem in them. */
export async function loadDirectory(dataDir: string): Promise<Directory> {
  const read = await readDirectory(dataDir);
  if (read.problems.length > 0) throw new DirectoryError(read.problems);
  return read.directory;
}
