// Sharded builds: one site built by N independent runs (`--shard I/N`, e.g. the N machines of a CI job matrix), each
// rendering its share of the pages and the search bundles of its own articles, then joined by `--merge`.
import { createHash } from "node:crypto";
import type { PublishedArchive } from "../archive/published.ts";
import { planSearchShards } from "../search/shards.ts";
import type { PageEntry } from "./pages.ts";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `I/N` (shard I of N, 1 ≤ I ≤ N), or throws with what is wrong. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || count < 1 || index > count) throw new Error(`a shard is I/N with 1 ≤ I ≤ N, e.g. 2/3, not "${value}"`);
  return { index, count };
}

/** What one shard builds. */
export interface ShardShare {
  /** Its article, listing and feed pages. */
  entries: PageEntry[];
  /** The search bundles it indexes: those of its articles. */
  bundles: Set<string>;
  /** Whether it writes the files that span the site (the first shard does). */
  siteFiles: boolean;
  /** A hash of the whole site's page keys: shards joined by `--merge` must have been built from the same input. */
  digest: string;
}

/**
 * Shares the site's pages out between shards. Article pages go with their search bundle (bundle k to shard k mod N),
 * so each shard indexes the bundles of the articles it rendered and needs nothing from the others; listing and feed
 * pages are dealt out in turn. Every shard computes the same split from the same archive.
 */
export function shardEntries(entries: readonly PageEntry[], published: PublishedArchive, shardSize: number, shard: Shard): ShardShare {
  const plan = planSearchShards(
    published.articles.map((article) => article.url),
    shardSize,
  );
  // A bundle's globs start with the folders of its months or days (`2013/08/`, `2013/08/04/`); the one bundle of a
  // small archive has a glob of every article page, which starts with no folder.
  const prefixes = plan.flatMap((bundle, index) => bundle.globs.map((glob) => ({ folder: glob.slice(0, glob.search(/[[*]/)), index })));
  const bundleOf = (url: string): number => {
    const found = prefixes.find(({ folder }) => url.slice(1).startsWith(folder));
    if (!found) throw new Error(`sharded build: the article ${url} is in no search bundle`);
    return found.index;
  };
  const shardOfBundle = (index: number) => (index % shard.count) + 1;
  let turn = 0;
  const own = entries.filter((entry) => {
    // The site-wide files (sitemaps) are the first shard's, which writes the others.
    if (entry.siteWide) return shard.index === 1;
    if (entry.file !== undefined) return shardOfBundle(bundleOf(entry.url)) === shard.index;
    turn += 1;
    return ((turn - 1) % shard.count) + 1 === shard.index;
  });
  const digest = createHash("sha256")
    .update(`${shard.count}\0`)
    .update(entries.map((entry) => entry.key).join("\0"))
    .digest("hex");
  return {
    entries: own,
    bundles: new Set(plan.filter((_, index) => shardOfBundle(index) === shard.index).map((bundle) => bundle.bundle)),
    siteFiles: shard.index === 1,
    digest,
  };
}

/** The file a shard's output carries to say which shard it is; `--merge` checks and removes it. */
export const SHARD_MARKER = ".broadsheet-shard.json";

/** What {@link SHARD_MARKER} holds. */
export interface ShardMarker {
  index: number;
  count: number;
  digest: string;
}
