// Validates every article before anything is written, reporting all problems in all files at once.
import { readdir } from "node:fs/promises";
import path from "node:path";
import pMap from "p-map";
import { type ArticleFrontMatter, FIELDS, articleSchema } from "../articles/schema.ts";
import { splitArticle } from "../articles/frontMatter.ts";
import { MAX_SEGMENT_BYTES, articlePath, articleSlug, byteLength, slugOf } from "../articles/permalink.ts";
import { isAbsoluteUrl, localImageError } from "../images/source.ts";
import { type KnownNames, readDirectory } from "../archive/directory.ts";
import { topicUrl } from "../archive/model.ts";
import { type Problem, formatProblem } from "./problem.ts";
import { closestName, suggestion } from "./suggest.ts";
import { readFileReusing } from "../shared/fs.ts";
import { sha256 } from "../shared/hash.ts";

export { type Problem, formatProblem };

/** The outcome of checking one article on its own. */
export interface CheckedArticle {
  file: string;
  problems: Problem[];
  /** The validated front matter, when there were no problems: exactly the data the article's page is made from. */
  article?: ArticleFrontMatter;
  /** 1-based line of a top-level field in the file. */
  lineOf: (field: string) => number;
  /**
   * The markdown body as the page renders it: after the front matter, line endings normalised to `\n`. Absent where a
   * build's check memo (`memo.ts`) gave the article: the build reads the body again from the file when it renders the
   * article, and only from bytes with this {@link digest} (`ArchiveSource.bodyOf`), so a build does not hold the
   * archive's text (520 MB at 100,000 articles, in every process that reads the archive).
   */
  body?: string;
  /** 1-based line of the file where {@link CheckedArticle.body} starts. */
  bodyLine: number;
  /** SHA-256 of the file's text as it was read and checked. */
  digest: string;
  /**
   * The body and its first line again, only when it may hold a link (it contains `](`, `]:` or `<http`),
   * so the link check skips the bodies that cannot have any without parsing them.
   */
  linkBody?: { text: string; line: number };
  /**
   * The body's links to the site (`siteLinks` in links.ts), found when the memo first checked the file, in place of
   * {@link linkBody}.
   */
  links?: { path: string; line: number }[];
  /**
   * {@link articleHashOf} of {@link article}, made once when the memo kept it: the page cache keys every page that shows
   * the article by it, and hashing 100,000 front matters again cost every build about a second.
   */
  articleHash?: string;
}

/** The hash of a validated front matter: of its JSON, so every field and value it holds counts. */
export function articleHashOf(article: ArticleFrontMatter): string {
  return sha256(JSON.stringify(article));
}

/** An article checked from its text, body and all. */
export type CheckedText = CheckedArticle & { body: string };

/** Link syntax a body must contain to be worth parsing for links. */
const MAY_LINK = /\]\(|\]:|<https?:/;

/** The body again for the link check, when it may hold a link (see {@link CheckedArticle.linkBody}). */
export function linkBodyOf(body: string, line: number): { text: string; line: number } | undefined {
  return MAY_LINK.test(body) ? { text: body, line } : undefined;
}

/** Validates one article's text; `file` is only used to label the problems. */
export function validateArticleText(file: string, text: string): Problem[] {
  return checkArticleText(file, text).problems;
}

/** The message for an unknown field: the field probably meant, if one is close. */
function unknownField(key: string, parent: string): string {
  const meant = closestName(key, FIELDS[parent] ?? []);
  return meant === undefined
    ? "unknown field; check the spelling against the README's list of fields"
    : `unknown field; did you mean "${meant}"? (see the README's list of fields)`;
}

/** The first words of a slug that fit comfortably in a URL, to suggest as a shorter `slug`. */
function shortSlug(slug: string): string {
  const words: string[] = [];
  for (const word of slug.split("-")) {
    if (byteLength([...words, word].join("-")) > 60) break;
    words.push(word);
  }
  if (words.length > 0) return words.join("-");
  let short = "";
  for (const character of slug) {
    if (byteLength(short + character) > 60) break;
    short += character;
  }
  return short;
}

/**
 * Checks one article's text against the schema and returns its problems and, if valid, its data and body.
 * This is the one reader of articles: the pages are made from the `article` and `body` it returns, so what
 * is checked is byte for byte what is published (see `splitArticle` for line endings and the byte-order mark).
 */
export function checkArticleText(file: string, text: string, digest: string = sha256(text)): CheckedText {
  const split = splitArticle(text);
  // Line numbers of the top-level keys, looked up once so the parsed YAML document can be dropped.
  const lines = new Map<string, number>();
  if (split.data !== null && typeof split.data === "object") {
    for (const key of Object.keys(split.data)) lines.set(key, split.lineOf(key));
  }
  const lineOf = (field: string): number => lines.get(field) ?? 1;
  const { body, bodyLine } = split;
  const linkBody = linkBodyOf(body, bodyLine);
  const checked = (problems: Problem[], article?: ArticleFrontMatter): CheckedText => ({
    file,
    problems,
    article,
    lineOf,
    body,
    bodyLine,
    digest,
    ...(linkBody && { linkBody }),
  });
  const frontMatter = (line: number, message: string): Problem => ({ file, line, field: "front matter", message });
  if (split.fence === "missing")
    return checked([frontMatter(1, "missing; start the file with a --- block holding at least title and date")]);
  if (split.fence === "unclosed") {
    return checked([
      frontMatter(
        1,
        "the --- block that starts on line 1 is never closed; end the front matter with a line of three hyphens (---) before the body",
      ),
    ]);
  }
  if (split.yamlErrors.length > 0) {
    return checked(
      split.yamlErrors.map(({ line, message }) =>
        frontMatter(line, `malformed YAML: ${message} (check indentation, closing quotes, and quote values containing ': ')`),
      ),
    );
  }
  if (split.data === null || typeof split.data !== "object" || Array.isArray(split.data)) {
    return checked([frontMatter(2, "must be fields written as name: value, one a line, holding at least title and date")]);
  }
  const result = articleSchema.safeParse(split.data, { reportInput: true });
  if (!result.success) {
    return checked(
      result.error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
          return issue.keys.map((key) => {
            const field = [...issue.path, key].join(".");
            return { file, line: lineOf(String(issue.path[0] ?? key)), field, message: unknownField(key, String(issue.path[0] ?? "")) };
          });
        }
        const field = issue.path.join(".") || "front matter";
        const missing = issue.code === "invalid_type" && issue.input === undefined;
        return [
          {
            file,
            line: lineOf(String(issue.path[0] ?? "")),
            field,
            message: missing ? "is required but missing; add it to the front matter" : issue.message,
          },
        ];
      }),
    );
  }
  const article = result.data;
  const slug = articleSlug(article);
  if (byteLength(slug) > MAX_SEGMENT_BYTES) {
    const field = article.slug === undefined ? "title" : "slug";
    return checked([
      {
        file,
        line: lineOf(field),
        field,
        message: `gives the URL segment "${slug}" of ${byteLength(slug)} bytes, more than a file name may safely have (${MAX_SEGMENT_BYTES}); set a shorter slug field, e.g. "slug: ${shortSlug(slug)}"`,
      },
    ]);
  }
  return checked([], article);
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
      problems.push({
        file,
        line: lineOf("title"),
        field: "title",
        message: "gives an empty URL slug; include letters or digits, or set a slug field",
      });
      continue;
    }
    const url = articlePath(article, timezone);
    const first = firstFileByUrl.get(url);
    if (first === undefined) firstFileByUrl.set(url, file);
    else {
      const field = article.slug === undefined ? "title" : "slug";
      problems.push({
        file,
        line: lineOf(field),
        field,
        message: `has the same URL ${url} as ${first}; change the slug, headline or date of one of them`,
      });
    }
  }
  return problems;
}

/** One spelling of a topic as the archive groups them: case and spacing do not matter (README). */
function topicSpelling(topic: string): string {
  return topic.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase();
}

/**
 * Checks that topics spelt differently (beyond case and spacing, which are one topic by design) do not
 * share a page: `C++` and `C` both give `/topics/c/`, and would be merged into one. Drafts count too, so
 * the clash is found before publishing. One pass over the articles, with a map of topic URL to first use.
 */
export function findTopicProblems(checked: readonly CheckedArticle[]): Problem[] {
  const problems: Problem[] = [];
  const firstByUrl = new Map<string, { topic: string; spelling: string; file: string }>();
  for (const { file, article, lineOf } of checked) {
    (article?.topics ?? []).forEach((topic, index) => {
      const slug = slugOf(topic);
      if (slug === "" || byteLength(slug) > MAX_SEGMENT_BYTES) return;
      const url = topicUrl(topic);
      const spelling = topicSpelling(topic);
      const first = firstByUrl.get(url);
      if (first === undefined) firstByUrl.set(url, { topic: topic.trim(), spelling, file });
      else if (first.spelling !== spelling) {
        problems.push({
          file,
          line: lineOf("topics"),
          field: `topics.${index}`,
          message: `"${topic.trim()}" has the same page ${url} as the topic "${first.topic}" in ${first.file}, so the two would be merged; use one spelling, or reword one so that their letters and digits differ`,
        });
      }
    });
  }
  return problems;
}

// A build checks every article against the same lists: each is made a set once, not once an article (100,000 sets of
// every author's name at 100,000 articles).
const nameSets = new WeakMap<readonly string[], Set<string>>();

/** The names of `list` as a set, made once per list. */
function nameSet(list: readonly string[]): Set<string> {
  let names = nameSets.get(list);
  if (!names) {
    names = new Set(list);
    nameSets.set(list, names);
  }
  return names;
}

/**
 * Checks an article's names against the newsroom directory (authors and sections must be known, with a
 * did-you-mean for a near miss) and its topics (each must give a URL segment, not too long for a file name).
 * A list that is undefined in `known` is not checked (its file is broken, and reported on its own).
 */
export function findNameProblems(checked: CheckedArticle, known: KnownNames, dataDir: string): Problem[] {
  const { file, article, lineOf } = checked;
  if (!article) return [];
  const problems: Problem[] = [];
  const { authors, sections } = known;
  if (authors !== undefined) {
    const names = nameSet(authors);
    (article.authors ?? []).forEach((author, index) => {
      if (!names.has(author)) {
        problems.push({
          file,
          line: lineOf("authors"),
          field: `authors.${index}`,
          message: `"${author}" is not a known author; ${suggestion(author, authors, `add them to ${path.join(dataDir, "authors.yaml")}`)}`,
        });
      }
    });
  }
  if (sections !== undefined && article.section !== undefined && !nameSet(sections).has(article.section)) {
    problems.push({
      file,
      line: lineOf("section"),
      field: "section",
      message: `"${article.section}" is not a known section; ${suggestion(article.section, sections, `add it to ${path.join(dataDir, "sections.yaml")}`)}`,
    });
  }
  (article.topics ?? []).forEach((topic, index) => {
    const slug = slugOf(topic);
    const line = lineOf("topics");
    const field = `topics.${index}`;
    if (slug === "") problems.push({ file, line, field, message: `"${topic}" gives an empty URL slug; a topic needs letters or digits` });
    else if (byteLength(slug) > MAX_SEGMENT_BYTES) {
      problems.push({
        file,
        line,
        field,
        message: `"${topic}" gives a URL segment of ${byteLength(slug)} bytes, more than a file name may safely have (${MAX_SEGMENT_BYTES}); shorten the topic`,
      });
    }
  });
  return problems;
}

/** Where the archive is, for checking an article's image. */
export interface ImageCheckOptions {
  /** The articles folder (relative to `cwd`): a local image must be inside it. */
  articlesDir: string;
  /** Folder that file names in reports are relative to. */
  cwd: string;
  /**
   * What was found for each image file already checked in this run: many articles share a picture, and opening it
   * with the image decoder for each of them was a third of the check of a large archive.
   */
  checkedFiles?: Map<string, Promise<string | undefined>>;
  /** Reads a picture's format (default `imageFormatOf`). */
  formatOf?: ((file: string) => Promise<string>) | undefined;
}

/**
 * An image file named by an article must be a readable image inside the articles folder (see
 * `localImageError`); http(s) URLs are not fetched. `articleFile` is the article's path on disk.
 */
export async function findImageProblems(checked: CheckedArticle, articleFile: string, options: ImageCheckOptions): Promise<Problem[]> {
  const src = checked.article?.image?.src;
  if (src === undefined || isAbsoluteUrl(src)) return [];
  const articlesDir = path.resolve(options.cwd, options.articlesDir);
  const target = path.resolve(path.dirname(articleFile), src);
  let found = options.checkedFiles?.get(target);
  if (!found) {
    found = localImageError({ src, articleFile, articlesDir, cwd: options.cwd, formatOf: options.formatOf });
    options.checkedFiles?.set(target, found);
  }
  const error = await found;
  return error === undefined
    ? []
    : [{ file: checked.file, line: checked.lineOf("image"), field: "image.src", message: `"${src}" ${error}` }];
}

/** Lists the markdown files under `dir` (relative to `cwd`), sorted, as paths relative to `cwd`. */
export async function listArticleFiles(dir: string, cwd = process.cwd()): Promise<string[]> {
  const entries = await readdir(path.resolve(cwd, dir), { recursive: true, withFileTypes: true });
  // Each folder's path made relative once, not once for each of its (thousands of) files.
  const folders = new Map<string, string>();
  const folderOf = (parent: string): string => {
    let relative = folders.get(parent);
    if (relative === undefined) folders.set(parent, (relative = path.relative(cwd, parent).split(path.sep).join("/")));
    return relative;
  };
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => {
      const folder = folderOf(entry.parentPath);
      return folder === "" ? entry.name : `${folder}/${entry.name}`;
    })
    .sort();
}

/** Articles whose pictures are checked at once: enough to keep the disk busy, few enough to keep memory flat. */
const READ_CONCURRENCY = 32;

/** {@link checkArticleText} of a file's bytes, read as UTF-8; its digest is the bytes' own (the same as the text's). */
export function checkArticleBytes(file: string, bytes: Buffer): CheckedText {
  return checkArticleText(file, bytes.toString("utf8"), sha256(bytes));
}

/** {@link checkArticleBytes} of the file `file` at `absolute`, read in full. */
export function checkArticleFile(file: string, absolute: string): CheckedText {
  return checkArticleBytes(file, readFileReusing(absolute));
}

/** Reads and checks every article under `dir` on its own (schema only), in file order. */
export async function readArchive(
  dir: string,
  cwd = process.cwd(),
  /**
   * Checks one file, named relative to `cwd` and absolute: {@link checkArticleFile}, or the same remembered between
   * builds (`memo.ts`), which reads only the files that changed.
   */
  check: (file: string, absolute: string) => CheckedArticle = checkArticleFile,
  /**
   * Starts checking the later half of the files elsewhere, for `check` to find when this thread gets to them
   * (`CheckedMemo.prefill`); undefined when it would not pay.
   */
  prefill?: (files: readonly string[], cwd: string) => Promise<void> | undefined,
): Promise<CheckedArticle[]> {
  const files = await listArticleFiles(dir, cwd);
  // Read one after another, in this thread: for many small files that is several times faster than Node's promise
  // reads (one open, stat, read and close each through the thread pool), and a build waits for every file anyway.
  const read = (file: string): CheckedArticle => check(file, path.join(cwd, file));
  const half = Math.ceil(files.length / 2);
  const later = prefill?.(files.slice(half), cwd);
  if (later === undefined) return files.map(read);
  const first = files.slice(0, half).map(read);
  await later;
  return [...first, ...files.slice(half).map(read)];
}

/** Where to find the archive and how to date it. */
export interface ArchiveOptions {
  /** Folder that file names in reports are relative to (default: the current folder). */
  cwd?: string;
  /** The site's time zone, which dates the URLs. */
  timezone: string;
  /** Folder of `authors.yaml` and `sections.yaml` (relative to `cwd`). */
  dataDir: string;
  /** The articles folder (relative to `cwd`): images must be files inside it. */
  articlesDir: string;
  /** Reads a picture's format (default `imageFormatOf`). */
  formatOf?: ((file: string) => Promise<string>) | undefined;
}

/**
 * Checks articles already read by {@link readArchive}, listing every problem: the directory files' own
 * (`authors.yaml`, `sections.yaml`), then each file's (schema, names, image) in file order, then what only
 * the whole archive shows (URL clashes, topics that would share a page).
 */
export async function validateCheckedArchive(checked: readonly CheckedArticle[], options: ArchiveOptions): Promise<Problem[]> {
  const cwd = options.cwd ?? process.cwd();
  const directory = await readDirectory(options.dataDir, cwd);
  const images: ImageCheckOptions = { articlesDir: options.articlesDir, cwd, checkedFiles: new Map(), formatOf: options.formatOf };
  const perFile = await pMap(
    checked,
    async (article) => [
      ...article.problems,
      ...findNameProblems(article, directory.names, options.dataDir),
      ...(await findImageProblems(article, path.join(cwd, article.file), images)),
    ],
    { concurrency: READ_CONCURRENCY },
  );
  return [...directory.problems, ...perFile.flat(), ...findUrlProblems(checked, options.timezone), ...findTopicProblems(checked)];
}

/** Validates every article under `dir` and returns all problems, as {@link validateCheckedArchive} lists them. */
export async function validateArchive(dir: string, options: Omit<ArchiveOptions, "articlesDir">): Promise<Problem[]> {
  return validateCheckedArchive(await readArchive(dir, options.cwd), { ...options, articlesDir: dir });
}
