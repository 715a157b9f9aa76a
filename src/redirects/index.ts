// Permalink stability: the committed URL manifest, aliases and redirects, _redirects and HTML redirect pages.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { DateTime } from "luxon";
import { articlePath, articleSlug } from "../articles/permalink.ts";
import { publicationStatus } from "../articles/publication.ts";
import { dateMillis } from "../dates/index.ts";
import type { ArchiveSource } from "../archive/source.ts";
import type { CheckedArticle, Problem } from "../validation/index.ts";
import { isListingPath, listingPaths } from "../validation/links.ts";
import { type ManifestEntry, brokenUrls, formatManifest, mergeManifest, parseManifest } from "./manifest.ts";
import { type RedirectPage, formatRedirectsFile, redirectPages } from "./output.ts";
import { type RedirectRule, parseRedirectsFile, resolveRedirects } from "./rules.ts";

/** The name of the redirects data file in the data folder. */
export const REDIRECTS_FILE = "redirects.yaml";
/** The name of the manifest in the data folder. */
export const MANIFEST_FILE = "permalinks.txt";

/**
 * Where the manifest of an archive is: `explicit` (from `PERMALINKS_MANIFEST`) if given, else
 * `<dataDir>/permalinks.txt` for the real archive (`articles/` with `_data/`) only. Other archives
 * (test fixtures, generated benchmarks) have no manifest unless one is given, so building them never
 * writes into the repository and never compares them with the real site's URLs.
 */
export function manifestPathFor(input: string, dataDir: string, explicit?: string, cwd = process.cwd()): string | undefined {
  if (explicit !== undefined && explicit !== "") return explicit;
  const isRealArchive =
    path.resolve(cwd, input) === path.resolve(cwd, "articles") && path.resolve(cwd, dataDir) === path.resolve(cwd, "_data");
  return isRealArchive ? path.join(dataDir, MANIFEST_FILE) : undefined;
}

/** A text file's contents, or undefined if it does not exist (any other error is thrown). */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Everything the permalink check needs, already read. */
export interface PermalinkInputs {
  /** The archive, as read by `readArchive`. */
  articles: readonly CheckedArticle[];
  timezone: string;
  /** The moment this build publishes up to. */
  now: DateTime;
  /** The redirects data file (text undefined when there is none). */
  redirects: { file: string; text: string | undefined };
  /** The manifest (text undefined before the first build); absent when the guard is off. */
  manifest?: { file: string; text: string | undefined } | undefined;
  /** The site's listing paths (`listingPaths` of the published articles), where the caller has them already. */
  listings?: ReadonlySet<string> | undefined;
}

/** The outcome of the permalink check. */
export interface PermalinkPlan {
  /** Mistakes in aliases and the redirects file: always errors. */
  problems: Problem[];
  /** Listed URLs that would stop working: errors for `npm run build`, warnings under `npm start`. */
  broken: Problem[];
  /** Resolved redirects, sorted by old URL. */
  rules: RedirectRule[];
  /** The redirect pages to write. */
  pages: RedirectPage[];
  /** The manifest after this build: what it listed plus every URL live now. */
  manifest: ManifestEntry[];
  /** Whether `manifest` differs from the file as read. */
  manifestChanged: boolean;
  /** The lifetime identity of every published article, by its URL now: what its feed entries' ids are made of. */
  identities: Map<string, string>;
}

/**
 * The identity of an article published for the first time: its date (in UTC) and its URL then, the same parts
 * feed entry ids were always made of, so an archive's first manifest keeps the ids its subscribers have seen.
 */
export function firstIdentity(date: string, url: string): string {
  return `${DateTime.fromMillis(dateMillis(date, "UTC"), { zone: "utc" }).toISODate() ?? ""}:${url}`;
}

/** What an article gives the permalink check. */
interface ArticleState {
  checked: CheckedArticle;
  status: "published" | "draft" | "scheduled" | "invalid";
  url?: string | undefined;
}

/** Where to write an alias: the line of the field that changed the URL most likely (slug, else title). */
function urlLine(checked: CheckedArticle): number {
  return checked.article?.slug !== undefined ? checked.lineOf("slug") : checked.lineOf("title");
}

/**
 * Checks that every URL the manifest lists still leads somewhere, and computes the redirects and the
 * updated manifest. Linear in articles + redirects + manifest lines (maps and sets, no pairwise work).
 */
export function planPermalinks(inputs: PermalinkInputs): PermalinkPlan {
  const states = new Map<string, ArticleState>();
  const live = new Map<string, string>();
  const titles = new Map<string, string>();
  const published: { url: string; topics?: string[] | undefined; authors?: string[] | undefined; section?: string | undefined }[] = [];
  for (const checked of inputs.articles) {
    const article = checked.article;
    if (!article || articleSlug(article) === "") {
      states.set(checked.file, { checked, status: "invalid" });
      continue;
    }
    const status = publicationStatus(article, inputs.now, inputs.timezone);
    const url = articlePath(article, inputs.timezone);
    states.set(checked.file, { checked, status, url });
    // A clash of two articles on one URL is reported by validation; the first file keeps the URL here.
    if (status === "published" && !live.has(url)) {
      live.set(url, checked.file);
      titles.set(url, article.title);
      published.push({ url, topics: article.topics, authors: article.authors, section: article.section });
    }
  }

  const fromFile =
    inputs.redirects.text === undefined ? { rules: [], problems: [] } : parseRedirectsFile(inputs.redirects.text, inputs.redirects.file);
  const aliases: RedirectRule[] = [];
  for (const { checked, status, url } of states.values()) {
    if (status !== "published" || url === undefined) continue;
    (checked.article?.aliases ?? []).forEach((alias, index) => {
      aliases.push({ from: alias, to: url, origin: { file: checked.file, line: checked.lineOf("aliases"), field: `aliases.${index}` } });
    });
  }
  const pages = inputs.listings ?? listingPaths(published);
  const resolved = resolveRedirects([...aliases, ...fromFile.rules], { articles: live, isPage: (page) => isListingPath(page, pages) });

  const served = new Set([...live.keys(), ...resolved.rules.map((rule) => rule.from)]);
  const previousEntries = inputs.manifest?.text === undefined ? undefined : parseManifest(inputs.manifest.text);
  const identities = articleIdentities(live, states, resolved.rules, previousEntries?.entries ?? []);
  const liveEntries: ManifestEntry[] = [
    ...[...live].map(([url, file]) => ({ url, file, identity: identities.get(url) })),
    ...resolved.rules.map((rule) => ({ url: rule.from, file: rule.origin.file, identity: identities.get(rule.to.replace(/[?#].*$/, "")) })),
  ];
  const manifestProblems: Problem[] = [];
  const broken: Problem[] = [];
  let previous: ManifestEntry[] = [];
  const manifestFile = inputs.manifest?.file ?? "";
  if (previousEntries !== undefined) {
    const parsed = previousEntries;
    previous = parsed.entries;
    for (const error of parsed.errors)
      manifestProblems.push({ file: manifestFile, line: error.line, field: "manifest", message: error.message });
    const fix = (url: string) =>
      `keep it with "aliases: [${url}]" in the article readers should get instead, or an entry "- {from: ${url}, to: …}" in ${inputs.redirects.file}`;
    for (const entry of brokenUrls(previous, served)) {
      const state = states.get(entry.file);
      if (state?.status === "invalid") continue; // validation reports the broken file itself
      const { url } = entry;
      if (state?.status === "published") {
        broken.push({
          file: entry.file,
          line: urlLine(state.checked),
          field: "permalink",
          message: `${url} would stop working: this article is now at ${state.url ?? "?"}; keep the old URL with "aliases: [${url}]" in its front matter, or an entry in ${inputs.redirects.file}`,
        });
      } else if (state?.status === "draft") {
        broken.push({
          file: entry.file,
          line: state.checked.lineOf("draft"),
          field: "permalink",
          message: `${url} would stop working: this article is now a draft; ${fix(url)}`,
        });
      } else if (state?.status === "scheduled") {
        broken.push({
          file: entry.file,
          line: state.checked.lineOf("date"),
          field: "permalink",
          message: `${url} would stop working: this article is now dated after this build (embargoed); ${fix(url)}`,
        });
      } else {
        const had = entry.file === "" ? "no article has it any more" : `${entry.file}, which had it, no longer exists`;
        broken.push({
          file: manifestFile,
          line: entry.line ?? 1,
          field: "permalink",
          message: `${url} would stop working: ${had}; ${fix(url)}`,
        });
      }
    }
  }

  const manifest = inputs.manifest ? mergeManifest(previous, liveEntries) : [];
  const manifestChanged = inputs.manifest !== undefined && (inputs.manifest.text ?? "") !== formatManifest(manifest);
  return {
    problems: [...fromFile.problems, ...resolved.problems, ...manifestProblems],
    broken,
    rules: resolved.rules,
    pages: redirectPages(resolved.rules, titles),
    manifest,
    manifestChanged,
    identities,
  };
}

/**
 * Each published article's identity: the one recorded for any URL it has had (its URL now, or an old URL that
 * now redirects to it, through an alias or the redirects file), else a new one from its date and URL now.
 */
function articleIdentities(
  live: ReadonlyMap<string, string>,
  states: ReadonlyMap<string, ArticleState>,
  rules: readonly RedirectRule[],
  previous: readonly ManifestEntry[],
): Map<string, string> {
  const recorded = new Map(previous.flatMap((entry) => (entry.identity ? [[entry.url, entry.identity] as const] : [])));
  const formerUrls = new Map<string, string[]>();
  for (const rule of rules) {
    const to = rule.to.replace(/[?#].*$/, "");
    formerUrls.set(to, [...(formerUrls.get(to) ?? []), rule.from]);
  }
  const identities = new Map<string, string>();
  for (const [url, file] of live) {
    const known = [url, ...(formerUrls.get(url) ?? [])].flatMap((candidate) => recorded.get(candidate) ?? []).sort();
    const date = states.get(file)?.checked.article?.date ?? "";
    identities.set(url, known[0] ?? firstIdentity(date, url));
  }
  return identities;
}

/** Settings of the redirects plugin. */
export interface RedirectOptions {
  /** The one read of the archive, whose permalink plan (checked before anything is written) this plugin writes out. */
  source: ArchiveSource;
  /** Folder of `redirects.yaml`, watched under `npm start`. */
  dataDir: string;
}

/**
 * Writes the redirects the permalink plan resolved: an HTML page at every old URL (ordinary pages of the build)
 * and `_redirects`. The plan itself, and the check that no published URL stops working, come from the archive
 * read before the build; the manifest is updated by the build pipeline only after the whole build succeeded.
 */
export function registerRedirects(eleventyConfig: UserConfig, options: RedirectOptions): void {
  // YAML is not an Eleventy data format here, so `npm start` is told to rebuild when the redirects change.
  eleventyConfig.addWatchTarget(path.join(options.dataDir, REDIRECTS_FILE));
  eleventyConfig.addCollection("redirectPages", () => options.source.current.plan.pages);
  eleventyConfig.addTemplate("redirect-page.njk", REDIRECT_PAGE, {
    layout: false,
    pagination: { data: "collections.redirectPages", size: 1, alias: "redirect", addAllPagesToCollections: false },
    permalink: (data: { redirect: RedirectPage }) => data.redirect.permalink,
    eleventyExcludeFromCollections: true,
    tags: [],
  });
  eleventyConfig.on("eleventy.after", async (event: { directories: { output: string } }) => {
    await writeFile(path.join(event.directories.output, "_redirects"), formatRedirectsFile(options.source.current.plan.rules));
  });
}

/**
 * The page at an old URL: an immediate refresh to the new one, a canonical link so search engines move
 * their index there, `noindex` so the old URL itself is never listed, and a visible link for readers
 * whose browsers do not refresh.
 */
const REDIRECT_PAGE = `<!doctype html>
<html lang="{{ site.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ redirect.href }}">
<link rel="canonical" href="{{ redirect.href | absoluteUrl(site.url) }}">
<title>{% if redirect.title %}Moved: {{ redirect.title }}{% else %}This page has moved{% endif %} · {{ site.title }}</title>
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>{% if redirect.title %}“{{ redirect.title }}” is now at{% else %}It is now at{% endif %} <a href="{{ redirect.href }}">{{ redirect.to | absoluteUrl(site.url) }}</a>.</p>
</main>
</body>
</html>
`;
