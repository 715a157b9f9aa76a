// Redirect rules: old URLs from article `aliases` and from the redirects data file, checked and resolved.
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { writablePathError } from "../articles/schema.ts";
import type { Problem } from "../validation/index.ts";

/** One old URL and where readers go instead. */
export interface RedirectRule {
  /** A site path, e.g. `/2013/08/04/old-headline/`. */
  from: string;
  /** A site path or an absolute URL on another site. */
  to: string;
  /** Where the rule was declared, for messages. */
  origin: { file: string; line: number; field: string };
}

/** A path on this site: starts with `/`, no spaces, no query or fragment (static hosts match paths only). */
const SITE_PATH = /^\/[^\s?#]*$/;
/** A redirect target on this site may carry a query or fragment. */
const SITE_TARGET = /^\/(?!\/)\S*$/;

/** True for `https://…`/`http://…` URLs, which redirects may point to. */
function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** One entry of `redirects.yaml`. */
export const redirectEntrySchema = z.strictObject(
  {
    from: z
      .string({ error: "must be the old path, e.g. /2013/08/04/old-headline/" })
      .regex(SITE_PATH, {
        error: "must be a path on this site starting with / (no spaces, query or fragment), e.g. /2013/08/04/old-headline/",
      })
      .check((ctx) => {
        // A page is written at every old path, so it must be a path that can be written inside the output folder.
        const error = writablePathError(ctx.value);
        if (error !== undefined) ctx.issues.push({ code: "custom", message: error, input: ctx.value });
      }),
    to: z
      .string({ error: "must be the new path, e.g. /2013/08/04/new-headline/, or a full https:// URL" })
      .refine((value) => SITE_TARGET.test(value) || isWebUrl(value), {
        error: "must be a path on this site starting with / or a full https:// URL",
      }),
  },
  { error: "must be a mapping with from and to, e.g. {from: /2013/08/04/old/, to: /2013/08/04/new/}" },
);

/** The whole redirects file: a list of entries (an empty file is an empty list). */
const redirectsFileSchema = z.array(redirectEntrySchema, {
  error: "must be a YAML list of {from, to} entries, each line starting with '- '",
});

/**
 * Reads the redirects data file. Problems name the file, the line, the entry (counted from 1) and the field;
 * the rules are returned only when the whole file is valid.
 */
export function parseRedirectsFile(text: string, file: string): { rules: RedirectRule[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: "core", uniqueKeys: true, lineCounter });
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    return {
      rules: [],
      problems: doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0]?.line ?? 1,
        field: "redirects",
        message: `malformed YAML: ${(error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "")}`,
      })),
    };
  }
  /** Line of entry `index`, or of its `key` when it has one. */
  const lineOf = (index: number, key?: string): number => {
    const item = doc.getIn([index], true) as { range?: [number, number, number] } | undefined;
    const pair =
      key === undefined
        ? undefined
        : (
            doc.getIn([index], true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined
          )?.items?.find((candidate) => candidate.key?.value === key);
    return lineAt(pair?.key?.range?.[0] ?? item?.range?.[0]);
  };
  const result = redirectsFileSchema.safeParse(doc.toJS() ?? [], { reportInput: true });
  if (!result.success) {
    return {
      rules: [],
      problems: result.error.issues.flatMap((issue) => {
        const [index, field] = issue.path;
        if (typeof index !== "number") return [{ file, line: 1, field: "redirects", message: issue.message }];
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [typeof field === "string" ? field : undefined];
        return keys.map((key) => ({
          file,
          line: lineOf(index, key),
          field: `entry ${index + 1}${key === undefined ? "" : `, ${key}`}`,
          message:
            issue.code === "unrecognized_keys"
              ? "unknown field; an entry has only from and to"
              : issue.code === "invalid_type" && issue.input === undefined
                ? "is required but missing"
                : issue.message,
        }));
      }),
    };
  }
  return {
    rules: result.data.map((entry, index) => ({
      from: entry.from,
      to: entry.to,
      origin: { file, line: lineOf(index), field: `entry ${index + 1}` },
    })),
    problems: [],
  };
}

/** Where an origin is, for messages naming the other declaration: `articles/a.md:5`. */
function where(origin: RedirectRule["origin"]): string {
  return `${origin.file}:${origin.line}`;
}

/** Article-shaped paths (`/YYYY/MM/DD/slug/`) must be a published article's URL when a redirect points to them. */
const ARTICLE_PATH = /^\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/$/;

/** Everything a redirect may point to on this site. */
export interface RedirectTargets {
  /** URLs of published articles and the files that have them. */
  articles: ReadonlyMap<string, string>;
  /** Whether a non-article site path is a page of the site (listing, index, feed). */
  isPage: (path: string) => boolean;
}

/**
 * Checks the rules together and resolves chains, so every rule points straight at its final page.
 * Problems: a redirect from a live article URL, one old URL sent to two places, a loop, and a target on
 * this site that is not a page. Each problem is reported once, at the declaration to change. Linear
 * apart from chain-following, which is bounded by the length of the longest chain.
 */
export function resolveRedirects(
  declared: readonly RedirectRule[],
  targets: RedirectTargets,
): { rules: RedirectRule[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (rule: RedirectRule, message: string): void => {
    problems.push({ file: rule.origin.file, line: rule.origin.line, field: rule.origin.field, message });
  };
  const byFrom = new Map<string, RedirectRule>();
  for (const rule of declared) {
    const liveFile = targets.articles.get(rule.from);
    const first = byFrom.get(rule.from);
    if (rule.from === rule.to) problem(rule, `${rule.from} redirects to itself`);
    else if (liveFile !== undefined)
      problem(rule, `${rule.from} is the URL of ${liveFile}; a URL cannot be both an article and a redirect`);
    else if (first && first.to !== rule.to)
      problem(rule, `${rule.from} already redirects to ${first.to} (${where(first.origin)}); an old URL can lead to one place only`);
    else if (!first) byFrom.set(rule.from, rule);
  }

  const rules: RedirectRule[] = [];
  for (const rule of byFrom.values()) {
    const seen = [rule.from];
    let to = rule.to;
    let next = byFrom.get(to.replace(/[?#].*$/, ""));
    while (next && !seen.includes(next.from)) {
      seen.push(next.from);
      to = next.to;
      next = byFrom.get(to.replace(/[?#].*$/, ""));
    }
    if (next) {
      problem(rule, `redirect loop: ${[...seen, next.from].join(" → ")}; point one of them at a page`);
      continue;
    }
    const path = to.replace(/[?#].*$/, "");
    if (to.startsWith("/") && !targets.articles.has(path) && (ARTICLE_PATH.test(path) || !targets.isPage(path))) {
      problem(rule, `${rule.from} redirects to ${to}, which is not a published article or a page of this site`);
      continue;
    }
    rules.push({ ...rule, to });
  }
  rules.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { rules, problems };
}
