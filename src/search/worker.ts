// A worker thread that writes search bundles with a Pagefind process of its own, so several bundles can be indexed
// at once where there are cores for them (see LARGE_BUNDLE_ARTICLES in index.ts). Started by BundlePool in index.ts,
// which hands it bundles as messages, the next one while it writes the one before, and a null once there are no more;
// it says how many articles each bundle held.
import { parentPort, workerData } from "node:worker_threads";
import { writeBundles } from "./pagefind.ts";
import type { SearchShard } from "./shards.ts";

/** A message from a search worker: it wrote a bundle of `bundle` articles. */
export interface WorkerMessage {
  bundle: number;
}

/** What BundlePool hands each worker when it starts it. */
export interface BundleWork {
  outputDir: string;
  language: string;
}

const port = parentPort;
if (!port) throw new Error("src/search/worker.ts runs as a worker thread of the build, not on its own");
const work = workerData as BundleWork;
const handed: (SearchShard | null)[] = [];
let wake: (() => void) | undefined;
port.on("message", (message: { shard: SearchShard | null }) => {
  handed.push(message.shard);
  wake?.();
});

/** The bundles handed to this worker, in order, until the null that ends them. */
async function* bundles(): AsyncGenerator<SearchShard> {
  for (;;) {
    while (handed.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const shard = handed.shift();
    if (!shard) return;
    yield shard;
  }
}

await writeBundles(bundles(), work.outputDir, work.language, (articles) => port.postMessage({ bundle: articles } satisfies WorkerMessage));
// Nothing more will come: the thread ends once its port no longer holds it open.
port.close();
