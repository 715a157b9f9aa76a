// A worker thread that writes its share of the search bundles with a Pagefind process of its own, so several bundles
// are indexed at once (Pagefind indexes on one core). Started by buildSearchIndex in index.ts.
import { parentPort, workerData } from "node:worker_threads";
import { writeBundles } from "./pagefind.ts";
import type { SearchShard } from "./shards.ts";

/** What buildSearchIndex hands each worker. */
export interface BundleWork {
  shards: SearchShard[];
  outputDir: string;
  language: string;
}

const port = parentPort;
if (!port) throw new Error("src/search/worker.ts runs as a worker thread of the build, not on its own");
const work = workerData as BundleWork;
const done = await writeBundles(work.shards, work.outputDir, work.language, (articles) => port.postMessage({ bundle: articles }));
port.postMessage({ done });
