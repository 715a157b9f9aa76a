// A worker thread that lists the archive's article files and looks at each (`listAndLook` in files.ts), while the build's
// own thread reads the check memo.
import { parentPort, workerData } from "node:worker_threads";
import { type ListingWork, listAndLook } from "./files.ts";

const port = parentPort;
if (!port) throw new Error("src/validation/list-worker.ts runs as a worker thread of a build, not on its own");
port.postMessage(await listAndLook(workerData as ListingWork));
