// What the build writes for redirects: a `_redirects` file for hosts that read one, and an HTML page at every old URL.
import type { RedirectRule } from "./rules.ts";

/** A redirect page for the template: where it is written and where it sends the reader. */
export interface RedirectPage {
  /** The old URL. */
  from: string;
  /** The permalink of the page: the old URL itself when it ends in `/` or `.html`, else the old URL as a folder. */
  permalink: string;
  /** The new location as written (site path or absolute URL), for the canonical link. */
  to: string;
  /** The new location percent-encoded, safe inside `<meta http-equiv="refresh">`. */
  href: string;
  /** The headline of the article it leads to, when it leads to one. */
  title?: string | undefined;
}

/** Percent-encodes what a URL must not contain raw (non-ASCII, spaces, quotes), keeping existing escapes. */
export function encodePath(value: string): string {
  return value.replace(/%(?![0-9A-Fa-f]{2})|[^\x21-\x7E]|["'<>\\^`{|}]/gu, (character) => encodeURIComponent(character));
}

/** The output path of the page at an old URL: folders get an `index.html`, `.html` files stay files. */
export function redirectPermalink(from: string): string {
  if (from.endsWith("/") || /\.html?$/i.test(from)) return from;
  return `${from}/`;
}

/** The redirect pages for a set of resolved rules; `titles` names the articles they lead to. */
export function redirectPages(rules: readonly RedirectRule[], titles: ReadonlyMap<string, string>): RedirectPage[] {
  return rules.map((rule) => ({
    from: rule.from,
    permalink: redirectPermalink(rule.from),
    to: rule.to,
    href: encodePath(rule.to),
    title: titles.get(rule.to),
  }));
}

/** The `_redirects` file (Netlify and Cloudflare Pages syntax): `from to 301` per line, paths percent-encoded. */
export function formatRedirectsFile(rules: readonly RedirectRule[]): string {
  const header = [
    "# Permanent redirects from old URLs, written by `npm run build` from article aliases and _data/redirects.yaml.",
    "# Every old URL also has an HTML redirect page, for hosts that do not read this file.",
  ];
  return `${[...header, ...rules.map((rule) => `${encodePath(rule.from)} ${encodePath(rule.to)} 301`)].join("\n")}\n`;
}
