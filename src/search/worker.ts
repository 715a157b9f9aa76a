// A worker thread that writes search bundles with a Pagefind process of its own, so several bundles are indexed at
// once (Pagefind indexes on one core). Started by buildSearchIndex in index.ts, which hands it one bundle at a time:
// it says it is ready, gets a bundle, writes it, says so and is ready again, until it gets none.
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { writeBundles } from "./pagefind.ts";
import type { SearchShard } from "./shards.ts";

/** A message from a search worker: ready for a bundle, its first or the next after writing one of `bundle` articles. */
export interface WorkerMessage {
  ready: true;
  bundle?: number;
}

/** What buildSearchIndex hands each worker. */
export interface BundleWork {
  outputDir: string;
  language: string;
}

/** The bundles `port` hands out, asked for one at a time; the first request is the worker's first message. */
async function* bundlesFrom(port: MessagePort): AsyncGenerator<SearchShard> {
  const next = () =>
    new Promise<SearchShard | null>((resolve) => port.once("message", (message: { shard: SearchShard | null }) => resolve(message.shard)));
  let shard = next();
  port.postMessage({ ready: true } satisfies WorkerMessage);
  for (let current = await shard; current; current = await shard) {
    shard = next();
    yield current;
  }
}

const port = parentPort;
if (!port) throw new Error("src/search/worker.ts runs as a worker thread of the build, not on its own");
const work = workerData as BundleWork;
await writeBundles(bundlesFrom(port), work.outputDir, work.language, (articles) =>
  port.postMessage({ ready: true, bundle: articles } satisfies WorkerMessage),
);
