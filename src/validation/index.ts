// Validates every article before anything is written, reporting all problems in all files at once.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { articleSchema } from "../articles/schema.ts";
import { splitArticle } from "../articles/frontMatter.ts";

/** One thing wrong with one article, located well enough for an editor to fix it. */
export interface Problem {
  /** Path of the article relative to the project, e.g. `articles/2013/story.md`. */
  file: string;
  line: number;
  /** Front matter field, or `front matter` for problems with the block as a whole. */
  field: string;
  message: string;
}

/** Formats a problem as `file:line: field: message`, readable by editors and CI annotations. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.field}: ${problem.message}`;
}

/** Validates one article's text; `file` is only used to label the problems. */
export function validateArticleText(file: string, text: string): Problem[] {
  const split = splitArticle(text);
  if (split.yamlErrors.length > 0) {
    return split.yamlErrors.map(({ line, message }) => ({
      file,
      line,
      field: "front matter",
      message: `malformed YAML: ${message.replace(/ at line \d+, column \d+:?$/, "")} (check indentation, closing quotes, and quote values containing ': ')`,
    }));
  }
  if (split.data === undefined) {
    return [{ file, line: 1, field: "front matter", message: "missing; start the file with a --- block holding at least title and date" }];
  }
  const result = articleSchema.safeParse(split.data, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const field = [...issue.path, key].join(".");
        return { file, line: split.lineOf(String(issue.path[0] ?? key)), field, message: "unknown field; check the spelling against the README's list of fields" };
      });
    }
    const field = issue.path.join(".") || "front matter";
    const missing = issue.code === "invalid_type" && issue.input === undefined;
    return [{
      file,
      line: split.lineOf(String(issue.path[0] ?? "")),
      field,
      message: missing ? "is required but missing; add it to the front matter" : issue.message,
    }];
  });
}

/** Lists the markdown files under `dir`, sorted, as paths relative to `cwd`. */
export async function listArticleFiles(dir: string, cwd = process.cwd()): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => path.relative(cwd, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Validates every article under `dir` and returns all problems, in file order. */
export async function validateArchive(dir: string, cwd = process.cwd()): Promise<Problem[]> {
  const files = await listArticleFiles(dir, cwd);
  const reports = await Promise.all(
    files.map(async (file) => validateArticleText(file, await readFile(path.join(cwd, file), "utf8"))),
  );
  return reports.flat();
}

/** Thrown when articles are invalid; its message lists every problem. */
export class ArticleValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    const files = new Set(problems.map((problem) => problem.file)).size;
    super(
      `${problems.length} problem(s) in ${files} article(s); nothing was written:\n` +
        problems.map(formatProblem).join("\n"),
    );
    this.name = "ArticleValidationError";
  }
}

/** Fails the build before any output is written when any article is invalid. */
export function registerValidation(eleventyConfig: UserConfig): void {
  eleventyConfig.on("eleventy.before", async ({ directories }: { directories: { input: string } }) => {
    const problems = await validateArchive(directories.input);
    if (problems.length > 0) throw new ArticleValidationError(problems);
  });
}
