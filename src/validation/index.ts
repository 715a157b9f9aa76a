// Validates every article before anything is written, reporting all problems in all files at once.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { type ArticleFrontMatter, articleSchema } from "../articles/schema.ts";
import { splitArticle } from "../articles/frontMatter.ts";
import { articlePath, slugOf } from "../articles/permalink.ts";

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

/** The outcome of checking one article on its own. */
export interface CheckedArticle {
  file: string;
  problems: Problem[];
  /** The validated front matter, when there were no problems. */
  article?: ArticleFrontMatter;
  /** 1-based line of a top-level field in the file. */
  lineOf: (field: string) => number;
}

/** Validates one article's text; `file` is only used to label the problems. */
export function validateArticleText(file: string, text: string): Problem[] {
  return checkArticleText(file, text).problems;
}

/** Checks one article's text against the schema and returns its problems and, if valid, its data. */
export function checkArticleText(file: string, text: string): CheckedArticle {
  const split = splitArticle(text);
  const checked = (problems: Problem[], article?: ArticleFrontMatter): CheckedArticle => ({ file, problems, article, lineOf: split.lineOf });
  if (split.yamlErrors.length > 0) {
    return checked(split.yamlErrors.map(({ line, message }) => ({
      file,
      line,
      field: "front matter",
      message: `malformed YAML: ${message.replace(/ at line \d+, column \d+:?$/, "")} (check indentation, closing quotes, and quote values containing ': ')`,
    })));
  }
  if (split.data === undefined) {
    return checked([{ file, line: 1, field: "front matter", message: "missing; start the file with a --- block holding at least title and date" }]);
  }
  const result = articleSchema.safeParse(split.data, { reportInput: true });
  if (result.success) return checked([], result.data);
  return checked(result.error.issues.flatMap((issue) => {
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
  }));
}

/**
 * Checks what only the whole archive shows: each published article needs a URL of its own.
 * Runs in one pass over the articles (a map of URL to first file), so it stays linear.
 */
export function findUrlProblems(checked: readonly CheckedArticle[], timezone: string): Problem[] {
  const problems: Problem[] = [];
  const firstFileByUrl = new Map<string, string>();
  for (const { file, article, lineOf } of checked) {
    if (!article || article.draft === true) continue;
    if (slugOf(article.title) === "") {
      problems.push({ file, line: lineOf("title"), field: "title", message: "gives an empty URL slug; include letters or digits that can be written in Latin script" });
      continue;
    }
    const url = articlePath(article.date, article.title, timezone);
    const first = firstFileByUrl.get(url);
    if (first === undefined) firstFileByUrl.set(url, file);
    else problems.push({ file, line: lineOf("title"), field: "title", message: `has the same URL ${url} as ${first}; change one of the headlines or dates` });
  }
  return problems;
}

/** Lists the markdown files under `dir`, sorted, as paths relative to `cwd`. */
export async function listArticleFiles(dir: string, cwd = process.cwd()): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => path.relative(cwd, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Where to find the archive and how to date it. */
export interface ArchiveOptions {
  /** Folder that file names in reports are relative to (default: the current folder). */
  cwd?: string;
  /** The site's time zone, which dates the URLs. */
  timezone: string;
}

/** Validates every article under `dir` and returns all problems: each file's own first, then URL clashes. */
export async function validateArchive(dir: string, options: ArchiveOptions): Promise<Problem[]> {
  const cwd = options.cwd ?? process.cwd();
  const files = await listArticleFiles(dir, cwd);
  const checked = await Promise.all(
    files.map(async (file) => checkArticleText(file, await readFile(path.join(cwd, file), "utf8"))),
  );
  return [...checked.flatMap((article) => article.problems), ...findUrlProblems(checked, options.timezone)];
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
export function registerValidation(eleventyConfig: UserConfig, options: { timezone: string }): void {
  eleventyConfig.on("eleventy.before", async ({ directories }: { directories: { input: string } }) => {
    const problems = await validateArchive(directories.input, { timezone: options.timezone });
    if (problems.length > 0) throw new ArticleValidationError(problems);
  });
}
