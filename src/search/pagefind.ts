// Writing Pagefind bundles: the part of the search index that runs where Pagefind runs, in a worker thread (worker.ts)
// with a Pagefind process of its own.
import path from "node:path";
import * as pagefind from "pagefind";
import type { SearchShard } from "./shards.ts";

/**
 * Pagefind's word index chunk size (its unit: a word's pages plus its places in them), through the setting Pagefind
 * reads from `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` (default 20,000). A word search downloads, from every bundle, the
 * chunk that holds the word, so the chunk size is paid once per bundle and word; every chunk also costs its bundle's
 * metadata about 13 bytes. Measured on the bench's 10,000 articles in 6 bundles, one common word: 20,000 gave chunks of
 * ~24 kB and 22 kB of metadata per bundle (388 kB for the search); 5,000 gives chunks of ~7.5 kB (most of it the
 * word's own page list, which no chunk size makes smaller) and 25.5 kB of metadata (303 kB for the search).
 */
export const INDEX_CHUNK_SIZE = 5_000;

/**
 * Builds the Pagefind bundles of `shards` (a list, or handed out one at a time) into `outputDir` from the article
 * pages Eleventy wrote there, one bundle after another, so this Pagefind process holds one bundle's index at a time.
 * Returns the number of articles indexed.
 *
 * Pagefind reads the pages from disk (`addDirectory`) rather than from memory (`addHTMLFile`): measured on
 * 10,000 articles, 29.8 s against 42.5 s for the search phase, because its own reader parses files on its side of
 * the pipe while `addHTMLFile` sends one JSON message per page and waits for each (one at a time, since Pagefind
 * numbers pages in arrival order). Its file list is sorted, so the bundles are the same on every build.
 */
export async function writeBundles(
  shards: Iterable<SearchShard> | AsyncIterable<SearchShard>,
  outputDir: string,
  language: string,
  onBundle: (articles: number) => void = () => {},
): Promise<number> {
  let count = 0;
  // Read by the Pagefind process this one starts (it inherits the environment), before it is started.
  process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE = String(INDEX_CHUNK_SIZE);
  try {
    for await (const shard of shards) {
      const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
      if (!index) throw new Error(`Pagefind could not start: ${errors.join("; ")}`);
      for (const glob of shard.globs) {
        const added = await index.addDirectory({ path: outputDir, glob });
        if (added.errors.length > 0) throw new Error(`Pagefind could not index ${glob} for ${shard.bundle}: ${added.errors.join("; ")}`);
      }
      const written = await index.writeFiles({ outputPath: path.join(outputDir, shard.bundle) });
      if (written.errors.length > 0) throw new Error(`Pagefind could not write ${shard.bundle}: ${written.errors.join("; ")}`);
      // Frees the bundle's index in the Pagefind process before the next one is built.
      await index.deleteIndex();
      count += shard.articles;
      onBundle(shard.articles);
    }
    return count;
  } finally {
    await pagefind.close();
  }
}
