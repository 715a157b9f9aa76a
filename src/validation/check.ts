// `npm run check` without the command line: every check the build makes, plus internal links, without building.
import path from "node:path";
import type { DateTime } from "luxon";
import { articlePath, articleSlug } from "../articles/permalink.ts";
import { publicationStatus } from "../articles/publication.ts";
import { REDIRECTS_FILE, manifestPathFor, planPermalinks, readOptional } from "../redirects/index.ts";
import { type Problem, readArchive, validateCheckedArchive } from "./index.ts";
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
  const cwd = options.cwd ?? process.cwd();
  const manifest = manifestPathFor(dir, options.dataDir, options.manifest, cwd);
  const redirectsFile = path.join(options.dataDir, REDIRECTS_FILE);
  const [checked, redirectsText, manifestText] = await Promise.all([
    readArchive(dir, cwd),
    readOptional(path.resolve(cwd, redirectsFile)),
    manifest === undefined ? undefined : readOptional(path.resolve(cwd, manifest)),
  ]);
  const own = await validateCheckedArchive(checked, { cwd, timezone: options.timezone, dataDir: options.dataDir, articlesDir: dir });
  const plan = planPermalinks({
    articles: checked,
    timezone: options.timezone,
    now: options.now,
    redirects: { file: redirectsFile, text: redirectsText },
    manifest: manifest === undefined ? undefined : { file: manifest, text: manifestText },
  });

  const targets = new Map<string, LinkTarget>();
  const published: ListedArticle[] = [];
  const linking: LinkingArticle[] = [];
  for (const { file, article, linkBody } of checked) {
    if (!article || articleSlug(article) === "") continue;
    const url = articlePath(article, options.timezone);
    const status = publicationStatus(article, options.now, options.timezone);
    if (!targets.has(url) || status === "published") targets.set(url, { file, status, date: article.date });
    if (status === "published") published.push({ url, topics: article.topics, authors: article.authors, section: article.section });
    if (linkBody) linking.push({ file, status, links: siteLinks(linkBody.text, linkBody.line, options.siteUrl) });
  }
  const links = findLinkProblems(linking, {
    articles: targets,
    redirects: new Set(plan.rules.map((rule) => rule.from)),
    listings: listingPaths(published),
  });

  const problems = [...own, ...plan.problems, ...plan.broken, ...links];
  // Sorted by file then line, so each file's problems read top to bottom; the sort is stable for equal lines.
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { problems, articles: checked.length, manifest };
}
