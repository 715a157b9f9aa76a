// Internal links between articles: a markdown link to a page of this site must lead to a page that exists.
import { authorUrl, sectionUrl, topicUrl } from "../archive/model.ts";
import { isAbsoluteUrl } from "../images/source.ts";
import { createMarkdown } from "../markdown/index.ts";
import type { Problem } from "./index.ts";

/** A link in an article body to a path on this site. */
export interface SiteLink {
  /** The site path linked to, decoded, without query or fragment, e.g. `/2013/08/04/slug/`. */
  path: string;
  /** 1-based line in the article file. */
  line: number;
}

const markdown = createMarkdown();

/** Decodes percent-escapes (markdown-it encodes non-ASCII link targets); leaves malformed ones as written. */
function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/**
 * The site path a link target points to, or undefined for links elsewhere: other sites, `mailto:`,
 * fragments and relative links (which Broadsheet's own pages never need) are not checked.
 * Absolute links to `siteUrl` itself count as site links.
 */
export function sitePathOf(href: string, siteUrl: string): string | undefined {
  let target = href;
  if (isAbsoluteUrl(href)) {
    const site = new URL(siteUrl);
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return undefined;
    }
    if (url.origin !== site.origin) return undefined;
    target = url.pathname;
  } else if (!href.startsWith("/") || href.startsWith("//")) {
    return undefined;
  }
  return decodePath(target.replace(/[?#].*$/, "")) || "/";
}

/**
 * Lists the links to this site in a markdown body, parsed with the site's own markdown parser (so code
 * spans, escaped brackets and reference definitions are read exactly as the build reads them).
 * `firstLine` is the file line the body starts on, so each link gets the line an editor sees.
 */
export function siteLinks(body: string, firstLine: number, siteUrl: string): SiteLink[] {
  const lines = body.split("\n");
  const links: SiteLink[] = [];
  for (const block of markdown.parse(body, {})) {
    if (block.type !== "inline" || !block.children || !block.map) continue;
    const [start, end] = block.map;
    // Where the previous link of this block was found, so two links to one path get their own lines.
    let cursorLine = start;
    let cursorColumn = 0;
    for (const token of block.children) {
      if (token.type !== "link_open") continue;
      const path = sitePathOf(String(token.attrGet("href") ?? ""), siteUrl);
      if (path === undefined) continue;
      // The link's own line: the next line of its block that names the target; a reference link's
      // target is written in its definition, so it falls back to the block's first line.
      let line = start;
      for (let index = cursorLine; index < end; index++) {
        const column = decodePath(lines[index] ?? "").indexOf(path, index === cursorLine ? cursorColumn : 0);
        if (column >= 0) {
          line = index;
          cursorLine = index;
          cursorColumn = column + path.length;
          break;
        }
      }
      links.push({ path, line: firstLine + line });
    }
  }
  return links;
}

/** A page a link may lead to, and whether it is out yet. */
export interface LinkTarget {
  file: string;
  status: "published" | "draft" | "scheduled";
  /** The date it is published on, for the message about embargoed targets. */
  date: string;
}

/** Everything on the site a link may lead to. */
export interface KnownPaths {
  /** Article URLs (published, draft or scheduled) and their files. */
  articles: ReadonlyMap<string, LinkTarget>;
  /** Old URLs kept working by a redirect (article aliases and the redirects data file). */
  redirects: ReadonlySet<string>;
  /** Listing pages, indexes and feeds that exist: `/`, `/topics/iran/`, `/2013/08/`, `/feed.xml`… */
  listings: ReadonlySet<string>;
}

/** Pages every site has, whatever its articles. */
const FIXED_PAGES = ["/", "/archive/", "/search/", "/topics/", "/authors/", "/sections/", "/feed.xml"];

/** What of a published article makes listing pages: its URL (year and month) and its names. */
export interface ListedArticle {
  url: string;
  topics?: readonly string[] | undefined;
  authors?: readonly string[] | undefined;
  section?: string | undefined;
}

/**
 * The listing pages and feeds the published articles give the site: year and month pages, and each
 * topic, author and section page with its feed. One pass over the articles.
 */
export function listingPaths(articles: Iterable<ListedArticle>): Set<string> {
  const paths = new Set(FIXED_PAGES);
  // Most articles share their listings with others: each listing's feed path is made once.
  const addWithFeed = (url: string): void => {
    if (paths.has(url)) return;
    paths.add(url);
    paths.add(`${url}feed.xml`);
  };
  for (const article of articles) {
    const date = /^\/(\d{4})\/(\d{2})\//.exec(article.url);
    if (date) {
      paths.add(`/${date[1]}/`);
      paths.add(`/${date[1]}/${date[2]}/`);
    }
    for (const topic of article.topics ?? []) addWithFeed(topicUrl(topic));
    for (const author of article.authors ?? []) addWithFeed(authorUrl(author));
    if (article.section !== undefined) addWithFeed(sectionUrl(article.section));
  }
  return paths;
}

/**
 * Listing pages past the first (`/page/2013-07-01/`, `/topics/iran/page/2013-07-01-3fa29c0b/`) are accepted when their
 * first page exists. They are named after the day of their newest article (src/archive/model.ts paginate), so a link
 * to one keeps its articles, but whether a page ends on that day depends on the listing's blocks, which this check
 * does not work out.
 */
const PAGED = /^(.*\/)page\/\d{4}-\d{2}-\d{2}(?:-[0-9a-f]{8})?\/$/;

/**
 * Whether `path` is a listing page, index or feed of the site whose {@link listingPaths} are `listings`: one of them, or
 * an older page of one (see {@link PAGED}).
 */
export function isListingPath(path: string, listings: ReadonlySet<string>): boolean {
  if (listings.has(path)) return true;
  const paged = PAGED.exec(path);
  return paged !== null && listings.has(paged[1] ?? "");
}

/**
 * The problem with a link from an article whose own status is `from`, or undefined if it leads to a
 * page. Links from a published article to an embargoed one are broken until the embargo lifts.
 */
export function linkProblem(path: string, from: LinkTarget["status"], known: KnownPaths): string | undefined {
  const article = known.articles.get(path);
  if (article?.status === "published") return undefined;
  if (article?.status === "scheduled") {
    return from === "published"
      ? `links to ${path}, which is embargoed until ${article.date} (${article.file}); readers would find nothing there until then`
      : undefined;
  }
  if (article?.status === "draft") return `links to ${path}, which belongs to a draft (${article.file}); readers would find nothing there`;
  if (known.redirects.has(path) || known.listings.has(path)) return undefined;
  // Static hosts answer `/topics/iran` with a redirect to `/topics/iran/`, so a missing final slash is fine.
  if (!path.endsWith("/") && !/\.[a-z0-9]+$/i.test(path)) {
    const withSlash = linkProblem(`${path}/`, from, known);
    return withSlash === undefined ? undefined : withSlash.replace(`${path}/`, path);
  }
  if (isListingPath(path, known.listings)) return undefined;
  return `links to ${path}, which is not a published article, a redirect or a listing page of this site; fix the link or add a redirect`;
}

/** An article to check links of: its file, status and the links found in its body. */
export interface LinkingArticle {
  file: string;
  status: LinkTarget["status"];
  links: readonly SiteLink[];
}

/** Reports every link that leads nowhere; drafts are unfinished and not checked. Linear in the number of links. */
export function findLinkProblems(articles: readonly LinkingArticle[], known: KnownPaths): Problem[] {
  const problems: Problem[] = [];
  for (const article of articles) {
    if (article.status === "draft") continue;
    for (const link of article.links) {
      const message = linkProblem(link.path, article.status, known);
      if (message !== undefined) problems.push({ file: article.file, line: link.line, field: "body", message });
    }
  }
  return problems;
}
