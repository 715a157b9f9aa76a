// Finding the archive's article files, and what identifies each one's bytes without reading them (its signature), on a
// worker thread for a large archive: the build's own thread meanwhile reads the check memo (memo.ts), instead of
// listing and looking at 100,000 files after it.
import { type Stats, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../shared/entries.ts";

/** Lists the markdown files under `dir` (relative to `cwd`), sorted, as paths relative to `cwd`. */
export async function listArticleFiles(dir: string, cwd = process.cwd()): Promise<string[]> {
  const entries = await readdir(path.resolve(cwd, dir), { recursive: true, withFileTypes: true });
  // Each folder's path made relative once, not once for each of its (thousands of) files.
  const folders = new Map<string, string>();
  const folderOf = (parent: string): string => {
    let relative = folders.get(parent);
    if (relative === undefined) folders.set(parent, (relative = path.relative(cwd, parent).split(path.sep).join("/")));
    return relative;
  };
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => {
      const folder = folderOf(entry.parentPath);
      return folder === "" ? entry.name : `${folder}/${entry.name}`;
    })
    .sort();
}

/**
 * How long a file must have gone unchanged before it was looked at for its signature to be kept. File times come from a
 * clock that ticks every few milliseconds, so a file written again within a tick of a read could keep its times; a
 * file looked at this long after its last change, changed after that, has later times (git's "racy" files).
 */
export const SETTLED_MS = 2_000;

/**
 * What identifies a file's bytes without reading them: device, inode, size, and the modification and change times.
 * The change time cannot be set back by any program, so every write to the file, or a new file renamed over it,
 * changes the signature.
 */
export function fileSignature(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** A file's signature as it was looked at, and whether the file had then gone unchanged for {@link SETTLED_MS}. */
export interface FileLook {
  seen: string;
  settled: boolean;
}

/** Looks at the file at `absolute` now; `since` is when the looking started (milliseconds since 1970, at most now). */
export function lookAt(absolute: string, since: number): FileLook {
  const stats = statSync(absolute);
  return { seen: fileSignature(stats), settled: Math.max(stats.mtimeMs, stats.ctimeMs) < since - SETTLED_MS };
}

/** What a listing worker (`list-worker.ts`) is given. */
export interface ListingWork {
  dir: string;
  cwd: string;
}

/**
 * The article files of an archive, sorted, with what each looked like when it was listed (see {@link lookAt}): its
 * signature and whether it had settled, in the same order.
 */
export interface ListedArticles {
  files: string[];
  seen: string[];
  settled: Uint8Array;
}

/** Lists the article files under `dir` and looks at each, in this thread: what a listing worker does. */
export async function listAndLook(work: ListingWork): Promise<ListedArticles> {
  const since = Date.now();
  const files = await listArticleFiles(work.dir, work.cwd);
  const seen: string[] = [];
  const settled = new Uint8Array(files.length);
  for (const [index, file] of files.entries()) {
    const look = lookAt(path.join(work.cwd, file), since);
    seen.push(look.seen);
    settled[index] = look.settled ? 1 : 0;
  }
  return { files, seen, settled };
}

/**
 * {@link listAndLook} on a worker thread, started now. A thread costs some 20–40 ms to start:
 * worth it where the build's thread has the memo of a large archive to read meanwhile.
 */
export function listArticlesAside(work: ListingWork): Promise<ListedArticles> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerEntry("list-worker"), { workerData: work satisfies ListingWork });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`validation: the thread listing the articles stopped (exit code ${code}) before it had listed them`)),
    );
  });
}
