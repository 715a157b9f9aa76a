// `npm run check` without the command line: every check the build makes, plus internal links, without building.
import path from "node:path";
import type { DateTime } from "luxon";
import { articlePath, articleSlug } from "../articles/permalink.ts";
import { publicationStatus } from "../articles/publication.ts";
import { type PermalinkPlan, REDIRECTS_FILE, manifestPathFor, planPermalinks, readOptional } from "../redirects/index.ts";
import { type CheckedArticle, type Problem, readArchive, validateCheckedArchive } from "./index.ts";
import { type LinkTarget, type LinkingArticle, type ListedArticle, findLinkProblems, listingPaths, siteLinks } from "./links.ts";

/** What to check and how the site dates and addresses its articles. */
export interface CheckOptions {
  /** Folder that file names in reports are relative to (default: the current folder). */
  cwd?: string;
  timezone: string;
  /** Folder of `authors.yaml`, `sections.yaml` and `redirects.yaml` (relative to `cwd`). */
  dataDir: string;
  /** The site's absolute URL, so absolute links to the site itself are checked too. */
  siteUrl: string;
  /** The moment a build now would publish up to. */
  now: DateTime;
  /** The permalink manifest, overriding the default of `manifestPathFor`. */
  manifest?: string | undefined;
  /**
   * Checks one article file, named relative to `cwd` and absolute (default `checkArticleFile`; a build passes the memo
   * of `memo.ts`).
   */
  checkFile?: ((file: string, absolute: string) => CheckedArticle) | undefined;
  /** Checks part of the files on another thread for `checkFile` to find (a build passes the memo's, see `readArchive`). */
  prefill?: ((files: readonly string[], cwd: string) => Promise<void> | undefined) | undefined;
  /** Reads a picture's format (default `imageFormatOf`; a build passes the memo of `images.ts`). */
  formatOf?: ((file: string) => Promise<string>) | undefined;
}

/** The outcome of a check. */
export interface CheckReport {
  /** Every problem, sorted by file and line. */
  problems: Problem[];
  /** Articles checked. */
  articles: number;
  /** The manifest compared against, if any. */
  manifest?: string | undefined;
}

/**
 * Checks the archive under `dir` as the build would (schema, authors and sections, topics, images,
 * URL clashes, redirects and the permalink manifest) and also every internal link between articles.
 * Reads each file once; everything after that is linear in articles, links and redirects.
 */
export async function checkArchive(dir: string, options: CheckOptions): Promise<CheckReport> {
  return checkArchiveInputs(await readArchiveInputs(dir, options), options);
}

/** Everything a check reads from disk: the articles, the redirects file and the permalink manifest. */
export interface ArchiveInputs {
  /** The articles folder read (relative to the check's `cwd`): images must be files inside it. */
  articlesDir: string;
  /** Every article, read and checked on its own. */
  checked: CheckedArticle[];
  /** `redirects.yaml` of the data folder (text undefined when there is none). */
  redirects: { file: string; text: string | undefined };
  /** The permalink manifest (text undefined before the first build); absent when the archive has none. */
  manifest: { file: string; text: string | undefined } | undefined;
}

/** Reads the archive under `dir`, its redirects file and its manifest, each file once. */
export async function readArchiveInputs(dir: string, options: CheckOptions): Promise<ArchiveInputs> {
  const cwd = options.cwd ?? process.cwd();
  const manifest = manifestPathFor(dir, options.dataDir, options.manifest, cwd);
  const redirectsFile = path.join(options.dataDir, REDIRECTS_FILE);
  const [checked, redirectsText, manifestText] = await Promise.all([
    readArchive(dir, cwd, options.checkFile, options.prefill),
    readOptional(path.resolve(cwd, redirectsFile)),
    manifest === undefined ? undefined : readOptional(path.resolve(cwd, manifest)),
  ]);
  return {
    articlesDir: dir,
    checked,
    redirects: { file: redirectsFile, text: redirectsText },
    manifest: manifest === undefined ? undefined : { file: manifest, text: manifestText },
  };
}

/** A check's report with the permalink plan it computed, for the build to write redirects and the manifest from. */
export interface CheckedInputs extends CheckReport {
  plan: PermalinkPlan;
  /** The articles checked, as read. */
  checked: CheckedArticle[];
}

/**
 * Checks what {@link readArchiveInputs} read, as the build and `npm run check` both do: every article's own
 * problems, names, images, URL clashes, redirects, the permalink manifest and internal links.
 */
export async function checkArchiveInputs(inputs: ArchiveInputs, options: CheckOptions): Promise<CheckedInputs> {
  const cwd = options.cwd ?? process.cwd();
  const { checked } = inputs;
  const manifest = inputs.manifest?.file;
  const own = await validateCheckedArchive(checked, {
    cwd,
    timezone: options.timezone,
    dataDir: options.dataDir,
    articlesDir: inputs.articlesDir,
    formatOf: options.formatOf,
  });
  const targets = new Map<string, LinkTarget>();
  const published: ListedArticle[] = [];
  const linking: LinkingArticle[] = [];
  for (const { file, article, linkBody, links } of checked) {
    if (!article || articleSlug(article) === "") continue;
    const url = articlePath(article, options.timezone);
    const status = publicationStatus(article, options.now, options.timezone);
    if (!targets.has(url) || status === "published") targets.set(url, { file, status, date: article.date });
    if (status === "published") published.push({ url, topics: article.topics, authors: article.authors, section: article.section });
    if (links) linking.push({ file, status, links });
    else if (linkBody) linking.push({ file, status, links: siteLinks(linkBody.text, linkBody.line, options.siteUrl) });
  }
  const listings = listingPaths(published);
  const plan = planPermalinks({
    articles: checked,
    timezone: options.timezone,
    now: options.now,
    redirects: inputs.redirects,
    manifest: inputs.manifest,
    listings,
  });
  const links = findLinkProblems(linking, { articles: targets, redirects: new Set(plan.rules.map((rule) => rule.from)), listings });

  const problems = [...own, ...plan.problems, ...plan.broken, ...links];
  // Sorted by file then line, so each file's problems read top to bottom; the sort is stable for equal lines.
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { problems, articles: checked.length, manifest, plan, checked };
}
