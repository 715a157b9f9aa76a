// A worker thread that checks part of the archive's files into the check memo while the build's own thread checks the
// others (see CheckedMemo.prefill in memo.ts), so a first build, or one with new code, parses on two cores.
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { readFileReusing } from "../shared/fs.ts";
import { checkArticleBytes } from "./index.ts";
import { type KeptArticle, type PrefillWork, keptOf, memoKey } from "./memo.ts";

const port = parentPort;
if (!port) throw new Error("src/validation/worker.ts runs as a worker thread of a build, not on its own");
const work = workerData as PrefillWork;
const entries: [string, KeptArticle][] = [];
for (const file of work.files) {
  const checked = checkArticleBytes(file, readFileReusing(path.join(work.cwd, file)));
  const kept = keptOf(checked, work.site);
  if (kept) entries.push([memoKey(file, checked.digest), kept]);
}
port.postMessage(entries);
