// Validates every article before anything is written, reporting all problems in all files at once.
import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type ArticleFrontMatter, articleSchema } from "../articles/schema.ts";
import { splitArticle } from "../articles/frontMatter.ts";
import { articlePath, articleSlug, slugOf } from "../articles/permalink.ts";
import { isAbsoluteUrl, localImagePath } from "../images/source.ts";
import { type Directory, loadDirectory } from "../archive/directory.ts";

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
  /** The markdown body, exactly as validated: what the article page renders. */
  body: string;
  /**
   * The markdown body and the file line it starts on, kept only when it may hold a link
   * (it contains `](`, `]:` or `<http`), so a large archive does not hold every body in memory.
   */
  linkBody?: { text: string; line: number };
}

/** Link syntax a body must contain to be worth parsing for links. */
const MAY_LINK = /\]\(|\]:|<https?:/;

/** Validates one article's text; `file` is only used to label the problems. */
export function validateArticleText(file: string, text: string): Problem[] {
  return checkArticleText(file, text).problems;
}

/** Checks one article's text against the schema and returns its problems and, if valid, its data. */
export function checkArticleText(file: string, text: string): CheckedArticle {
  const split = splitArticle(text);
  // Line numbers of the top-level keys, looked up once so the parsed YAML document can be dropped.
  const lines = new Map<string, number>();
  if (split.data !== null && typeof split.data === "object") {
    for (const key of Object.keys(split.data)) lines.set(key, split.lineOf(key));
  }
  const lineOf = (field: string): number => lines.get(field) ?? 1;
  const bodyLine = text.slice(0, text.length - split.body.length).split("\n").length;
  const linkBody = MAY_LINK.test(split.body) ? { text: split.body, line: bodyLine } : undefined;
  const checked = (problems: Problem[], article?: ArticleFrontMatter): CheckedArticle => ({ file, problems, article, lineOf, body: split.body, ...(linkBody && { linkBody }) });
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
        return { file, line: lineOf(String(issue.path[0] ?? key)), field, message: "unknown field; check the spelling against the README's list of fields" };
      });
    }
    const field = issue.path.join(".") || "front matter";
    const missing = issue.code === "invalid_type" && issue.input === undefined;
    return [{
      file,
      line: lineOf(String(issue.path[0] ?? "")),
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
    if (articleSlug(article) === "") {
      problems.push({ file, line: lineOf("title"), field: "title", message: "gives an empty URL slug; include letters or digits, or set a slug field" });
      continue;
    }
    const url = articlePath(article, timezone);
    const first = firstFileByUrl.get(url);
    if (first === undefined) firstFileByUrl.set(url, file);
    else {
      const field = article.slug === undefined ? "title" : "slug";
      problems.push({ file, line: lineOf(field), field, message: `has the same URL ${url} as ${first}; change the slug, headline or date of one of them` });
    }
  }
  return problems;
}

/** Formats a list of choices for a message: `"A", "B" or "C"`. */
function choices(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length === 0) return "(none yet)";
  return quoted.length === 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1) ?? ""}`;
}

/**
 * Checks an article's names against the newsroom directory (authors and sections must be known) and
 * its topics (each must give a URL slug).
 */
export function findNameProblems(checked: CheckedArticle, directory: Directory, dataDir: string): Problem[] {
  const { file, article, lineOf } = checked;
  if (!article) return [];
  const problems: Problem[] = [];
  const authors = new Set(directory.authors.map((author) => author.name));
  (article.authors ?? []).forEach((author, index) => {
    if (!authors.has(author)) {
      problems.push({ file, line: lineOf("authors"), field: `authors.${index}`, message: `"${author}" is not a known author; use one of ${choices([...authors])} or add them to ${dataDir}/authors.yaml` });
    }
  });
  const sections = directory.sections.map((section) => section.name);
  if (article.section !== undefined && !sections.includes(article.section)) {
    problems.push({ file, line: lineOf("section"), field: "section", message: `"${article.section}" is not a known section; use one of ${choices(sections)} or add it to ${dataDir}/sections.yaml` });
  }
  (article.topics ?? []).forEach((topic, index) => {
    if (slugOf(topic) === "") {
      problems.push({ file, line: lineOf("topics"), field: `topics.${index}`, message: `"${topic}" gives an empty URL slug; a topic needs letters or digits` });
    }
  });
  return problems;
}

/** An image beside the article must exist; absolute URLs are not fetched. */
export async function findImageProblems(checked: CheckedArticle, articlePath: string): Promise<Problem[]> {
  const src = checked.article?.image?.src;
  if (src === undefined || isAbsoluteUrl(src)) return [];
  const imagePath = localImagePath(src, articlePath);
  try {
    await access(imagePath);
    return [];
  } catch {
    return [{ file: checked.file, line: checked.lineOf("image"), field: "image.src", message: `"${src}" is not a file beside the article (looked for ${path.relative(process.cwd(), imagePath)}); fix the path or use an absolute URL` }];
  }
}

/** Lists the markdown files under `dir`, sorted, as paths relative to `cwd`. */
export async function listArticleFiles(dir: string, cwd = process.cwd()): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => path.relative(cwd, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Files read at once: enough to keep the disk busy, few enough to keep memory flat at any archive size. */
const READ_CONCURRENCY = 32;

/** Maps `items` through `work` with at most `limit` calls in flight, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Reads and checks every article under `dir` on its own (schema only), in file order. */
export async function readArchive(dir: string, cwd = process.cwd()): Promise<CheckedArticle[]> {
  const files = await listArticleFiles(dir, cwd);
  return mapLimited(files, READ_CONCURRENCY, async (file) => checkArticleText(file, await readFile(path.join(cwd, file), "utf8")));
}

/** Where to find the archive and how to date it. */
export interface ArchiveOptions {
  /** Folder that file names in reports are relative to (default: the current folder). */
  cwd?: string;
  /** The site's time zone, which dates the URLs. */
  timezone: string;
  /** Folder of `authors.yaml` and `sections.yaml` (relative to `cwd`). */
  dataDir: string;
}

/**
 * Checks articles already read by {@link readArchive}: each file's own problems (schema, names, image)
 * in file order, then URL clashes. A broken directory file is thrown as a `DirectoryError`.
 */
export async function validateCheckedArchive(checked: readonly CheckedArticle[], options: ArchiveOptions): Promise<Problem[]> {
  const cwd = options.cwd ?? process.cwd();
  const directory = await loadDirectory(path.resolve(cwd, options.dataDir));
  const perFile = await mapLimited(checked, READ_CONCURRENCY, async (article) => [
    ...article.problems,
    ...findNameProblems(article, directory, options.dataDir),
    ...(await findImageProblems(article, path.join(cwd, article.file))),
  ]);
  return [...perFile.flat(), ...findUrlProblems(checked, options.timezone)];
}

/**
 * Validates every article under `dir` and returns all problems: each file's own (schema, names, image)
 * in file order, then URL clashes. A broken directory file is thrown as a `DirectoryError`.
 */
export async function validateArchive(dir: string, options: ArchiveOptions): Promise<Problem[]> {
  return validateCheckedArchive(await readArchive(dir, options.cwd), options);
}
