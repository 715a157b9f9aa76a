// A worker thread that lists its share of the site a build starts its staging folder from (several walk it at once),
// every file with its identity, copying it by links where it is the published site (see `listSite` and `SiteWalk.into`
// in publish.ts) or making it from the build cache's record of that site (`RecordedSite`), while the build's own
// thread reads the archive and keys the pages it wants.
import { parentPort, workerData } from "node:worker_threads";
import { type RecordedSite, type SiteWalk, copyRecordedSite, walkSite } from "./publish.ts";

/** What `listSite` gives each of the threads walking one site. */
interface WalkData {
  walk: SiteWalk | RecordedSite;
  share: Int32Array;
}

const port = parentPort;
if (!port) throw new Error("src/build/walk-worker.ts runs as a worker thread of a build, not on its own");
const { walk, share } = workerData as WalkData;
port.postMessage("record" in walk ? copyRecordedSite(walk, share) : walkSite(walk, share));
