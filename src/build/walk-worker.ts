// A worker thread that lists the site a build starts its staging folder from, every file with its identity, copying it
// by links where it is the published site (see `listSite` and `SiteWalk.into` in publish.ts), while the build's own
// thread reads the archive and keys the pages it wants.
import { parentPort, workerData } from "node:worker_threads";
import { type SiteWalk, walkSite } from "./publish.ts";

const port = parentPort;
if (!port) throw new Error("src/build/walk-worker.ts runs as a worker thread of a build, not on its own");
port.postMessage(walkSite(workerData as SiteWalk));
