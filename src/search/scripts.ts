// The search page's scripts: plain ES modules (type-checked as JavaScript with JSDoc types, no bundler), published
// under content-hashed names in /js/ so they can be cached for a year like the stylesheet. A module's imports of the
// others are rewritten to their hashed names before it is hashed itself, so any change renames every file that
// depends on it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { contentHash } from "../assets/index.ts";

/** The scripts, each after the modules it imports; the last is the page's entry. */
export const SEARCH_SCRIPTS: readonly string[] = ["search-state.js", "search-bundles.js", "search.js"];

/** One published script. */
export interface PublishedScript {
  /** URL path, e.g. `/js/search.3f2a9c1b7d.js`. */
  url: string;
  content: string;
}

/**
 * Reads `names` (in dependency order) from `dir` and gives each its fingerprinted URL and its content with imports of
 * the others (`from "./name.js"`) pointing at their fingerprinted names.
 */
export function fingerprintScripts(dir: string, names: readonly string[] = SEARCH_SCRIPTS): PublishedScript[] {
  const hashed = new Map<string, string>();
  return names.map((name) => {
    let content = readFileSync(path.join(dir, name), "utf8");
    for (const [from, to] of hashed) content = content.replaceAll(`from "./${from}"`, `from "./${to}"`);
    const published = `${path.basename(name, ".js")}.${contentHash(content)}.js`;
    hashed.set(name, published);
    return { url: `/js/${published}`, content };
  });
}
