// Staged publishing: a build writes a complete site beside the output folder and swaps it in only when every phase
// succeeded, under a lock, so the output is always exactly one successful build.
import { availableParallelism, hostname } from "node:os";
import { type Dirent, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { mkdir, open, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { isRunning, readHolder } from "../shared/claim.ts";
import { workerEntry } from "../shared/entries.ts";
import { type FileIdentity, type TreeListing, exists, linkedSync, removeFolders, removeTreeApart, sameFile } from "../shared/fs.ts";

/** The folders and files of one output folder's publishing. */
export interface OutputPaths {
  /** The published site, e.g. `_site`. */
  output: string;
  /** Where a build assembles the next site: `.<name>.staging` beside the output. */
  staging: string;
  /** Where the published site waits during the swap: `.<name>.previous` beside the output. */
  previous: string;
  /**
   * The site the last swap replaced, `.<name>.reuse` beside the output: the next build starts its staging folder from
   * it, keeping only the files that are still the very files (hard links) it would link in, so an unchanged page costs
   * a look instead of a new link now and a removal later.
   */
  reuse: string;
  /** The lock file of builds of this output: `.<name>.lock` beside the output. */
  lock: string;
  /** A replaced site too stale to start from, `.<name>.trash` beside the output, removed while the build renders. */
  trash: string;
}

/** The publishing paths of `output`; all beside it, so every rename stays on one filesystem and is atomic. */
export function outputPaths(output: string): OutputPaths {
  const resolved = path.resolve(output);
  const sibling = (suffix: string): string => path.join(path.dirname(resolved), `.${path.basename(resolved)}.${suffix}`);
  return {
    output: resolved,
    staging: sibling("staging"),
    previous: sibling("previous"),
    reuse: sibling("reuse"),
    lock: sibling("lock"),
    trash: sibling("trash"),
  };
}

/** Thrown when another live build holds the output's lock. */
export class OutputBusyError extends Error {
  constructor(output: string, holder: LockHolder) {
    super(
      `another build (process ${holder.pid} on ${holder.host}, started ${holder.started}) is writing ${output}; ` +
        "wait for it to finish and build again (nothing was changed)",
    );
    this.name = "OutputBusyError";
  }
}

/** Who holds a lock, as written in the lock file. */
interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

/** The holder recorded in a lock file, or undefined when the file is gone or unreadable (half-written). */
async function readLockHolder(lock: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(lock);
  return holder?.started === undefined ? undefined : { pid: holder.pid, host: holder.host, started: holder.started };
}

/**
 * Takes the lock of an output folder, or throws {@link OutputBusyError} if a running build holds it. A lock
 * left by a build that died (even by SIGKILL, which runs no clean-up) names a process that no longer runs,
 * and is taken over at once. A lock library that judges staleness by age would instead block every build
 * for its stale period after a killed one; the process id is the better witness on one machine.
 * Returns the release function.
 */
export async function lockOutput(paths: OutputPaths): Promise<() => Promise<void>> {
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  // An output folder whose parent is new (`--output dist/site`) is made there by the swap; so is its lock.
  await mkdir(path.dirname(paths.lock), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(paths.lock, "wx");
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return async () => {
        const holder = await readLockHolder(paths.lock);
        if (holder?.pid === me.pid && holder.started === me.started) await unlink(paths.lock);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readLockHolder(paths.lock);
    // Another host's lock (a shared folder) cannot be checked from here, so it is respected.
    if (holder && (holder.host !== me.host || isRunning(holder.pid))) throw new OutputBusyError(paths.output, holder);
    await rm(paths.lock, { force: true });
  }
  throw new Error(`could not take the lock ${paths.lock}; another build keeps taking it`);
}

/**
 * Undoes what a killed build left (call it holding the lock): a swap cut between its two renames is completed
 * backwards (the previous site goes back to the output), one cut after them is finished, and a half-built staging
 * folder is removed (a render part of the killed build may still be writing into it), as is a stale site it had not
 * finished removing.
 */
export async function recoverOutput(paths: OutputPaths): Promise<void> {
  if (await exists(paths.previous)) {
    if (await exists(paths.output)) await keepForReuse(paths);
    else await rename(paths.previous, paths.output);
  }
  await rm(paths.staging, { recursive: true, force: true });
  await rm(paths.trash, { recursive: true, force: true });
}

/** How {@link publishStaging} treats the site it replaces. */
export interface PublishOptions {
  /**
   * Whether the replaced site is kept for the next build to start from (see {@link OutputPaths.reuse}). A build that
   * rendered most pages anew (a layout, the stylesheet, new code) replaces a site that holds few of the files the next
   * build wants: started from it, the next build would remove nearly all of it and link every page again after keying
   * them. Removed instead, it leaves the next build to start from a copy of the published site, made as it reads the
   * archive (see `startSiteWalk` in index.ts).
   */
  keepReplaced: boolean;
}

/**
 * Replaces the output with the staging folder: two renames, each atomic; a build killed between them leaves the
 * previous site in `previous`, where {@link recoverOutput} finds it. The replaced site is then kept for the next build
 * (see {@link PublishOptions.keepReplaced}), or removed in a child process: `removed` resolves once it is gone (at once
 * when it is kept), and the build waits for it before it releases the output's lock.
 */
export async function publishStaging(
  paths: OutputPaths,
  options: PublishOptions = { keepReplaced: true },
): Promise<{ removed: Promise<void> }> {
  const hadOutput = await exists(paths.output);
  // Node has no call that exchanges two folders in one step (Linux's renameat2), so for a moment there is no output.
  // The renames are made back to back on this thread: asynchronous ones wait for a free thread of libuv's pool, which
  // the removal of a stale site or of the cache's stale pages can keep busy for seconds, and so would the gap.
  if (hadOutput) renameSync(paths.output, paths.previous);
  renameSync(paths.staging, paths.output);
  if (!hadOutput) return { removed: Promise.resolve() };
  if (options.keepReplaced) {
    await keepForReuse(paths);
    return { removed: Promise.resolve() };
  }
  // No older site may be left for the next build to start from either (a build consumes the one it found, so there is
  // none unless something else put it there). A build killed during the removal leaves part of the replaced site in
  // `previous`, which recoverOutput keeps for reuse: startFromReused takes from it only the very files it wants.
  await rm(paths.reuse, { recursive: true, force: true });
  return { removed: removeTreeApart(paths.previous) };
}

/** Moves the replaced site from `previous` to `reuse`, in place of an older one (a merge does not reuse one). */
async function keepForReuse(paths: OutputPaths): Promise<void> {
  await rm(paths.reuse, { recursive: true, force: true });
  await rename(paths.previous, paths.reuse);
}

/** What is left of a reused site once a build has started from it. */
export interface ReusedStart {
  /** The relative paths of the staging folder that stayed (see {@link pruneStaging}). */
  kept: Set<string>;
  /**
   * The listing the staging folder was pruned by, where it was (its top-level folders left are there as it found them);
   * otherwise the staging folder starts empty.
   */
  listing?: SiteListing;
  /** Resolves when a stale site set aside is removed (at once when there was none). */
  removed: Promise<void>;
}

/** A site folder's folders and files, relative to it, with each file's device and inode, as one walk found them. */
export interface SiteListing {
  folders: string[];
  files: string[];
  dev: Float64Array;
  ino: Float64Array;
  /**
   * The same of the top-level folders the walk was told to leave ({@link SiteWalk.leave}), those folders among them:
   * listed apart, for the phase that writes them (the search bundles, see `mirrorTree`).
   */
  left?: SiteListing;
}

/** What {@link walkSite} lists: the folder `root`, its top-level folders named in `leave` apart from the rest. */
export interface SiteWalk {
  root: string;
  leave: string[];
  /**
   * An empty folder to copy the site into as it goes, each file as a hard link of the site's (the published site, when
   * the last swap replaced none: see `startSiteWalk` in index.ts). The listing is then the copy's, which has the same
   * identities; a file that cannot be linked there (a filesystem without links, a file at its link limit) is left out
   * of both.
   */
  into?: string;
}

/**
 * A copy of the site the last build published, made from the build cache where there is no site to start from (a CI
 * runner that keeps only the cache): every file the cache recorded of that site (see `startSiteWalk` in index.ts),
 * and the search bundles it kept, each file a hard link of the cached one. Nothing is read from an earlier output, and
 * nothing is trusted: the build keeps only the files that are the very files it would link in anyway (`pruneStaging`,
 * and `mirrorTree` for the bundles), so a record of a build on another output, or a file of it removed since, costs
 * only time.
 */
export interface RecordedSite {
  /** The record of the site's cached files (see {@link siteRecordText}); a missing one, or one of another format, copies nothing. */
  record: string;
  /** Folders copied whole, each into a folder of the site (relative to it), but their files named in `skip`. */
  trees: readonly { from: string; to: string; skip: readonly string[] }[];
  /** The empty folder the copy is made in. */
  into: string;
  /** Top-level folders of the site listed apart, as {@link SiteWalk.leave}. */
  leave: string[];
}

/** The first line of a site record of this format: a record of another is not read. */
const SITE_RECORD_HEADER = "broadsheet site record 2";

/**
 * The text of a site record: the files of a published site that a build linked from its cache, a line each, as the path
 * in the site and the cached file, relative to the record's own folder (so that a cache restored elsewhere still finds
 * its files), between them a tab. A line each, so that the threads copying the site each read only their share; a
 * file whose path holds a tab or a line break is left out (the build links it in anyway, only later).
 */
export function siteRecordText(recordFolder: string, files: ReadonlyMap<string, string>): string {
  const lines = [SITE_RECORD_HEADER];
  // Nearly every file is in the record's folder: cut its name off rather than work out each path (140,000 of them).
  const inside = `${path.resolve(recordFolder)}${path.sep}`;
  for (const [file, source] of files) {
    const cached = source.startsWith(inside) ? source.slice(inside.length) : path.relative(recordFolder, source);
    if (!/[\t\n]/.test(file) && !/[\t\n]/.test(cached)) lines.push(`${file}\t${cached}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The lines of the site record `record` that name files (see {@link siteRecordText}); none if it is missing or of another format. */
function siteRecordLines(record: string): string[] {
  let text: string;
  try {
    text = readFileSync(record, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const lines = text.split("\n");
  if (lines[0] !== SITE_RECORD_HEADER) return [];
  return lines.slice(1).filter((line) => line !== "");
}

/**
 * The file one line of a site record names (see {@link siteRecordText}), as `[path in the site, cached file]` with the
 * cached file resolved against the record's folder `folder`; undefined for a line that is not such an entry, or whose
 * path would leave the site.
 */
function siteRecordEntry(line: string, folder: string): [string, string] | undefined {
  const [file, cached, ...rest] = line.split("\t");
  if (!file || !cached || rest.length > 0) return undefined;
  if (path.isAbsolute(file) || file.split(/[\\/]/).includes("..")) return undefined;
  return [file, path.resolve(folder, cached)];
}

/** Files of a site record one thread links before it takes the next share of them. */
const RECORD_SHARE = 512;

/**
 * Makes the copy of a {@link RecordedSite} and lists it as {@link walkSite} lists a site: the record's files in
 * shares of {@link RECORD_SHARE}, then each tree whole, with `share` (see {@link walkSite}) counting what the threads
 * making the copy together have taken. A file whose cached file is gone (another build's cache removed it) is left
 * out; each folder is made, and listed, by the thread that first needs it, so the threads' folders may repeat (see
 * {@link listSite}).
 */
export function copyRecordedSite({ record, trees, into, leave }: RecordedSite, share?: Int32Array): SiteListing {
  const lines = siteRecordLines(record);
  const recordFolder = path.dirname(record);
  const skipTop = new Set(leave);
  const listings = [0, 1].map(() => ({ folders: [] as string[], files: [] as string[], devs: [] as number[], inos: [] as number[] }));
  const made = new Set<string>();
  /** Makes the folder of `relative` (a file's path in the site) and its parents, listing each in `list`. */
  const folderOf = (relative: string, list: 0 | 1): void => {
    const folder = path.dirname(relative);
    if (folder === "." || made.has(folder)) return;
    folderOf(folder, list);
    made.add(folder);
    mkdirSync(`${into}${path.sep}${folder}`, { recursive: true });
    listings[list]!.folders.push(folder);
  };
  const copy = (source: string, relative: string): void => {
    const list = skipTop.has(relative.split(path.sep, 1)[0]!) ? 1 : 0;
    folderOf(relative, list);
    try {
      if (!linkedSync(source, `${into}${path.sep}${relative}`)) return;
    } catch (error) {
      // Removed from the cache since the record was written; EEXIST: named twice in a broken record.
      if (["ENOENT", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) return;
      throw error;
    }
    const { dev, ino } = lstatSync(source);
    const listing = listings[list]!;
    listing.files.push(relative);
    listing.devs.push(dev);
    listing.inos.push(ino);
  };
  const shares = Math.ceil(lines.length / RECORD_SHARE);
  let taken = 0;
  const take = (): number => (share ? Atomics.add(share, 0, 1) : taken++);
  for (let index = take(); index < shares + trees.length; index = take()) {
    if (index < shares) {
      for (const line of lines.slice(index * RECORD_SHARE, (index + 1) * RECORD_SHARE)) {
        const entry = siteRecordEntry(line, recordFolder);
        if (entry) copy(entry[1], entry[0]);
      }
      continue;
    }
    const tree = trees[index - shares]!;
    const skip = new Set(tree.skip);
    const pending = [""];
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
      let entries: Dirent[];
      try {
        entries = readdirSync(path.join(tree.from, folder), { withFileTypes: true });
      } catch (error) {
        // Removed from the cache since it was named.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      for (const entry of entries) {
        const inTree = folder === "" ? entry.name : `${folder}${path.sep}${entry.name}`;
        if (entry.isDirectory()) pending.push(inTree);
        else if (!skip.has(inTree)) copy(path.join(tree.from, inTree), path.join(tree.to, inTree));
      }
    }
  }
  const [main, left] = listings.map(({ folders, files: listed, devs, inos }) => ({
    folders,
    files: listed,
    dev: Float64Array.from(devs),
    ino: Float64Array.from(inos),
  }));
  return { ...main!, left: left! };
}

/**
 * Lists a site folder, looking at every file (without following links) for its identity: one after another, as
 * it runs on a worker thread ({@link listSite}) beside the build's own work. With `share`, several threads walk the
 * one site at once, each taking the root's next entry (in name order) and its whole subtree in turn: `share[0]` counts
 * the entries taken. Each lists only what it walked (see {@link joinListings}).
 */
export function walkSite({ root, leave, into }: SiteWalk, share?: Int32Array): SiteListing {
  const skip = new Set(leave);
  const listings = [0, 1].map(() => ({ folders: [] as string[], files: [] as string[], devs: [] as number[], inos: [] as number[] }));
  const pending: string[] = [];
  /** Lists one entry (a path relative to the root) in `list`, copying it where the walk copies; a folder is walked later. */
  const visit = (relative: string, entry: Dirent, list: 0 | 1): void => {
    const listing = listings[list]!;
    if (entry.isDirectory()) {
      if (into !== undefined) mkdirSync(`${into}${path.sep}${relative}`);
      listing.folders.push(relative);
      pending.push(relative);
      return;
    }
    const stats = lstatSync(`${root}${path.sep}${relative}`);
    if (into !== undefined && !linkedSync(`${root}${path.sep}${relative}`, `${into}${path.sep}${relative}`)) return;
    listing.files.push(relative);
    listing.devs.push(stats.dev);
    listing.inos.push(stats.ino);
  };
  // Sorted, so that every thread sharing the walk numbers the root's entries alike.
  const top = readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let taken = 0;
  const take = (): number => (share ? Atomics.add(share, 0, 1) : taken++);
  for (let index = take(); index < top.length; index = take()) {
    const first = top[index]!;
    const list = first.isDirectory() && skip.has(first.name) ? 1 : 0;
    visit(first.name, first, list);
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
      for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true }))
        visit(`${folder}${path.sep}${entry.name}`, entry, list);
    }
  }
  const [main, left] = listings.map(({ folders, files, devs, inos }) => ({
    folders,
    files,
    dev: Float64Array.from(devs),
    ino: Float64Array.from(inos),
  }));
  return { ...main!, left: left! };
}

/** The listings of the threads that walked one site together ({@link walkSite} with a share), as one. */
export function joinListings(listings: readonly SiteListing[]): SiteListing {
  const join = (parts: readonly Omit<SiteListing, "left">[]): Omit<SiteListing, "left"> => {
    const dev = new Float64Array(parts.reduce((sum, part) => sum + part.dev.length, 0));
    const ino = new Float64Array(dev.length);
    let offset = 0;
    for (const part of parts) {
      dev.set(part.dev, offset);
      ino.set(part.ino, offset);
      offset += part.dev.length;
    }
    return { folders: parts.flatMap((part) => part.folders), files: parts.flatMap((part) => part.files), dev, ino };
  };
  return { ...join(listings), left: join(listings.flatMap((listing) => (listing.left ? [listing.left] : []))) };
}

/**
 * The part of `listing` under `folder` (a path relative to the walk's root), relative to it: its files with their
 * identities, and its folders.
 */
export function listingUnder(listing: SiteListing, folder: string): TreeListing {
  const prefix = `${folder}${path.sep}`;
  const files = new Map<string, FileIdentity>();
  for (const [index, file] of listing.files.entries()) {
    if (file.startsWith(prefix)) files.set(file.slice(prefix.length), { dev: listing.dev[index]!, ino: listing.ino[index]! });
  }
  const folders = listing.folders.filter((each) => each.startsWith(prefix)).map((each) => each.slice(prefix.length));
  return { files, folders };
}

/** A walk of a site running on a worker thread ({@link listSite}). */
export interface SiteWalking {
  /** The listing, once the walk is over. */
  listing: Promise<SiteListing>;
  /**
   * Stops the walk if it still runs, resolving once its thread is gone: nothing is written into the walk's `into`
   * folder after that. Its listing then rejects.
   */
  stop(): Promise<void>;
}

/** Threads that walk a site at once: one per core, at least two (the walk waits on the disk), at most four. */
export function walkThreads(cores: number = availableParallelism()): number {
  return Math.min(4, Math.max(2, cores));
}

/**
 * {@link walkSite} on worker threads (`walk-worker.ts`), `threads` of them sharing the walk: a site of 100,000 articles
 * has 240,000 entries, and walking them on the build's own thread left it waiting on the disk for seconds, while it
 * could be keying pages. Two threads copied a 10,000-article site (26,796 files in 19,978 folders) in 3.9 s where one
 * took 5.5 s: the time is the kernel's, a few system calls an entry, and two threads make them at once.
 */
export function listSite(walk: SiteWalk | RecordedSite, threads: number = walkThreads()): SiteWalking {
  const share = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const workers = Array.from({ length: threads }, () => new Worker(workerEntry("walk-worker"), { workerData: { walk, share } }));
  const listings = workers.map(
    (worker) =>
      new Promise<SiteListing>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) =>
          reject(
            new Error(`build: the site walk stopped (exit code ${code}) before it listed ${"record" in walk ? walk.into : walk.root}`),
          ),
        );
      }),
  );
  return {
    listing: Promise.all(listings).then((parts) => {
      const joined = joinListings(parts);
      if (!("record" in walk)) return joined;
      // Threads copying a recorded site each list the folders they made, and may both have made one.
      const unique = (listing: SiteListing): SiteListing => ({ ...listing, folders: [...new Set(listing.folders)] });
      return { ...unique(joined), ...(joined.left && { left: unique(joined.left) }) };
    }),
    async stop() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/** The site a build starts its staging folder from, as {@link startFromReused} asks for it. */
export interface ReusedSite {
  /**
   * Whether the site holds (or, being copied, will hold) the file `relative` as a hard link of `source`: looked at for a
   * sample of the wanted files, in the site itself or the site a copy of it is being made from (see
   * {@link SiteWalk.into}), whose files are there already, or in what the cache recorded of a copy made from it
   * ({@link RecordedSite}).
   */
  has(relative: string, source: string): boolean;
  /** Its listing (a walk made beside the build's work, see {@link listSite}), wanted only if the site is pruned. */
  listing(): SiteListing | Promise<SiteListing>;
  /** Stops what may still be writing into the site (a copy being made, see {@link SiteWalk.into}) before it is set aside. */
  stop(): Promise<void>;
}

/** Wanted files looked at to judge whether a reused site is worth pruning: enough to tell most from few. */
const STALE_SAMPLE = 256;

/**
 * Starts the staging folder of `paths` from the site the last swap replaced (`paths.reuse`), if there is one, for a
 * build that links in the files `wanted` names (see {@link pruneStaging}); its files are the last build but one's, and
 * the build keeps only those it verified. When a sample of the wanted files shows that fewer than half are there as the
 * very files (the site was made before a change that renders every page again: a layout, the code), pruning would
 * remove nearly everything, one file after another, before the first page is written; the site is set aside whole
 * instead (once nothing writes into it any more), and removed while the build renders (`removed`), and staging starts
 * empty. Otherwise the site's listing (a walk of `paths.reuse`, or the copy of the published site being made there,
 * waited for only here, before the site moves into the staging folder) prunes it. Returns undefined when there is no
 * such site.
 */
export async function startFromReused(
  paths: OutputPaths,
  wanted: ReadonlyMap<string, string>,
  site: ReusedSite,
  identityOf?: (source: string) => FileIdentity | undefined,
): Promise<ReusedStart | undefined> {
  if (!(await exists(paths.reuse))) return undefined;
  const entries = [...wanted];
  const step = Math.max(1, Math.floor(entries.length / STALE_SAMPLE));
  const sample = entries.filter((_, index) => index % step === 0);
  const present = sample.filter(([relative, source]) => site.has(relative, source)).length;
  if (present * 2 >= sample.length && sample.length > 0) {
    const listed = await site.listing();
    await rename(paths.reuse, paths.staging);
    return { kept: await pruneStaging(paths.staging, wanted, listed, identityOf), listing: listed, removed: Promise.resolve() };
  }
  await site.stop();
  await removeTreeApart(paths.trash);
  await rename(paths.reuse, paths.trash);
  await mkdir(paths.staging);
  return { kept: new Set(), removed: removeTreeApart(paths.trash) };
}

/**
 * Clears a staging folder started from an earlier site ({@link startFromReused}), as `listing` found it, down to the
 * files this build would link in anyway: a file stays only where `wanted` (path relative to `staging` → the cached
 * file to link there) names a file it is already a hard link of (same device and inode, so the very bytes); every
 * other file goes, with the folders left empty, so the build writes everything else anew and never into a file an
 * earlier site shares. The top-level folders the listing left out are left as they are, for the phase that writes
 * them to sort out as strictly (the search bundles, see `mirrorTree`). `identityOf` gives the identity of a cached file
 * where it was recorded when the file was made, which the listing's is compared with (the page cache's, see
 * `PageCache.identityOf`); another wanted file is looked at. Returns the relative paths that stayed.
 */
export async function pruneStaging(
  staging: string,
  wanted: ReadonlyMap<string, string>,
  listing: SiteListing,
  identityOf: (source: string) => FileIdentity | undefined = () => undefined,
): Promise<Set<string>> {
  const kept = new Set<string>();
  const keptFolders = new Set<string>();
  const removals: Promise<void>[] = [];
  for (const [index, relative] of listing.files.entries()) {
    const file = `${staging}${path.sep}${relative}`;
    const source = wanted.get(relative);
    const identity = source === undefined ? undefined : identityOf(source);
    const same =
      source !== undefined &&
      (identity ? listing.ino[index] === identity.ino && listing.dev[index] === identity.dev : sameFile(file, source));
    if (same) {
      kept.add(relative);
      for (let folder = path.dirname(relative); folder !== "." && !keptFolders.has(folder); folder = path.dirname(folder))
        keptFolders.add(folder);
    } else {
      removals.push(unlink(file));
    }
  }
  await Promise.all(removals);
  await removeFolders(
    staging,
    listing.folders.filter((folder) => !keptFolders.has(folder)),
  );
  return kept;
}
