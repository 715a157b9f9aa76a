// File-system helpers shared by the build pipeline (staging, the page cache), the search bundle cache and the image cache.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { type Dirent, closeSync, linkSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import { copyFile, link, mkdir, readdir, rename, rm, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/** True if `file` exists; any error other than "no such file" (no permission, a broken disk) is thrown. */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Whether `file` is a folder: false when it is missing or something else; any other error is thrown, as by {@link exists}. */
export async function isFolder(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw error;
  }
}

/**
 * Writes `data` under a temporary name beside `target` (its folder made if needed) and renames it into place, so a
 * killed process never leaves half a file under the final name and a reader never reads half of one. The temporary
 * name is unique to the call: two writers of the same file at once do not share it.
 */
export async function writeWhole(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, target);
}

/** Errors of a hard link that say links cannot be made there (another file system, or one without links). */
const NO_LINK = new Set(["EXDEV", "EPERM"]);

/**
 * Makes `target` the same file as `source` by a hard link (no copy, no extra space), or copies it where links cannot be
 * made (another file system, or one without links). `target` must not exist.
 */
export async function linkOrCopy(source: string, target: string): Promise<void> {
  await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
    if (!NO_LINK.has(error.code ?? "")) throw error;
    await copyFile(source, target);
  });
}

/**
 * Hard-links `source` as `target` on this thread, or returns false where links cannot be made there (as for
 * {@link linkOrCopy}, or `source` at its file system's link limit): for a copy that may leave such a file out.
 */
export function linkedSync(source: string, target: string): boolean {
  try {
    linkSync(source, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (NO_LINK.has(code) || code === "EMLINK") return false;
    throw error;
  }
}

/** The buffer {@link readFileReusing} reads into, grown to the largest file read so far. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The bytes of `file`, read in this thread into one buffer reused by every call: a view of it, valid until the next
 * call, so a caller copies (or decodes) what it keeps. A build reads every article file to hash it, and most it never
 * decodes (the check memo knows them); a new buffer or string for each of 100,000 files cost the build 0.4 s more.
 */
export function readFileReusing(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const larger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(larger);
        scratch = larger;
      }
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) return scratch.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** What makes a file the very file it is: its device and inode. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** Whether two paths are the same file (hard links of one inode); a missing one is not. */
export function sameFile(a: string, b: string): boolean {
  const first = statSync(a, { throwIfNoEntry: false });
  const second = statSync(b, { throwIfNoEntry: false });
  return first !== undefined && second !== undefined && first.ino === second.ino && first.dev === second.dev;
}

/** A folder's files, each with its identity, and its folders: paths relative to the folder, as one look found them. */
export interface TreeListing {
  files: ReadonlyMap<string, FileIdentity>;
  folders: readonly string[];
}

/** Lists `dir` and looks at each of its files (without following links) for its identity; a missing folder is empty. */
export async function listTree(dir: string): Promise<TreeListing> {
  const files = new Map<string, FileIdentity>();
  const folders: string[] = [];
  if (!(await exists(dir))) return { files, folders };
  for (const entry of await treeEntries(dir)) {
    const relative = relativePath(dir, entry);
    if (entry.isDirectory()) {
      folders.push(relative);
      continue;
    }
    // Synchronous: a look on this thread costs less than a round trip through the thread pool (at 100,000 articles,
    // the search bundles' 200,000 files took 4 to 6 s longer that way).
    const { dev, ino } = lstatSync(path.join(dir, relative));
    files.set(relative, { dev, ino });
  }
  return { files, folders };
}

/**
 * Makes the folder `to` hold exactly the files of `from`, each a hard link of it (a copy across filesystems): a file
 * already there stays only if it is that very file (same device and inode), anything else in `to` is removed, and no
 * file is ever written in place, so a file `to` shares with another folder (a published site) is never changed.
 * `known` gives either folder's listing where the caller has it already (a record kept with `from`, or a walk of `to`
 * made since nothing else changed it), which saves looking at every file again.
 */
export async function mirrorTree(from: string, to: string, known: { from?: TreeListing; to?: TreeListing } = {}): Promise<void> {
  const source = known.from ?? (await listTree(from));
  const target = known.to ?? (await listTree(to));
  const present = new Set<string>();
  const removals: Promise<void>[] = [];
  for (const [relative, identity] of target.files) {
    const wanted = source.files.get(relative);
    if (wanted !== undefined && wanted.ino === identity.ino && wanted.dev === identity.dev) present.add(relative);
    else removals.push(unlink(path.join(to, relative)));
  }
  await Promise.all(removals);
  const needed = new Set([...source.files.keys()].flatMap((file) => ancestors(file)));
  await removeFolders(
    to,
    target.folders.filter((each) => !needed.has(each)),
  );
  await mkdir(to, { recursive: true });
  const missing = [...source.files.keys()].filter((file) => !present.has(file));
  for (const folder of new Set(missing.map((file) => path.dirname(path.join(to, file))))) await mkdir(folder, { recursive: true });
  await Promise.all(missing.map((file) => linkOrCopy(path.join(from, file), path.join(to, file))));
}

/**
 * Makes the new folder `to` hold every file of `from` as a hard link of it (a copy across filesystems), and returns
 * what it holds then, each file with its identity as `to` has it.
 */
export async function linkTree(from: string, to: string): Promise<TreeListing> {
  const entries = await treeEntries(from);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => relativePath(from, entry));
  const names = entries.filter((entry) => !entry.isDirectory()).map((entry) => relativePath(from, entry));
  await mkdir(to, { recursive: true });
  // Parents first: each folder's name is longer than its parent's.
  for (const folder of [...folders].sort((a, b) => a.length - b.length)) await mkdir(path.join(to, folder), { recursive: true });
  await Promise.all(names.map((file) => linkOrCopy(path.join(from, file), path.join(to, file))));
  const files = new Map<string, FileIdentity>();
  for (const file of names) {
    const { dev, ino } = lstatSync(path.join(to, file));
    files.set(file, { dev, ino });
  }
  return { files, folders };
}

/** The folders `file` (a relative path) is in, innermost first, without `.`. */
function ancestors(file: string): string[] {
  const folders: string[] = [];
  for (let folder = path.dirname(file); folder !== "."; folder = path.dirname(folder)) folders.push(folder);
  return folders;
}

/**
 * Removes the emptied `folders` (paths relative to `root`), deepest first, so a folder's emptied subfolders are gone
 * before it.
 */
export async function removeFolders(root: string, folders: readonly string[]): Promise<void> {
  const depth = (relative: string) => relative.split(path.sep).length;
  for (const folder of [...folders].sort((a, b) => depth(b) - depth(a))) await rmdir(path.join(root, folder));
}

/** Folders {@link treeEntries} reads at once. */
const WALK_CONCURRENCY = 64;

/**
 * Every file and folder under `dir`, at any depth, in no particular order. A site has a folder per page, and Node's
 * recursive `readdir` (either kind) reads them one after another: a 100,000-article site's 400,000 entries took 26 s
 * that way when the disk had to be read (and 2 s when its folders were in memory), 7.8 s read many folders at once.
 */
export async function treeEntries(dir: string): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  const folders = [dir];
  let reading = 0;
  await new Promise<void>((resolve, reject) => {
    const next = (): void => {
      if (folders.length === 0 && reading === 0) return resolve();
      while (reading < WALK_CONCURRENCY && folders.length > 0) {
        const folder = folders.pop() as string;
        reading += 1;
        readdir(folder, { withFileTypes: true }).then((found) => {
          for (const entry of found) {
            entries.push(entry);
            if (entry.isDirectory()) folders.push(path.join(folder, entry.name));
          }
          reading -= 1;
          next();
        }, reject);
      }
    };
    next();
  });
  return entries;
}

/**
 * The path of `entry` (from {@link treeEntries} of `root`) relative to `root`: by slicing, as `path.relative` and
 * `path.join` cost about 1 s over the half million entries of a 100,000-article site.
 */
export function relativePath(root: string, entry: Dirent): string {
  const parent = entry.parentPath;
  if (parent === root) return entry.name;
  if (parent.startsWith(root) && parent[root.length] === path.sep) return `${parent.slice(root.length + 1)}${path.sep}${entry.name}`;
  // A root not written as Node writes the folders under it (`./site`, `site/`).
  return path.relative(root, path.join(parent, entry.name));
}

/** Every file under `dir` (paths relative to it, sorted), or none if `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  return (await treeEntries(dir))
    .filter((entry) => entry.isFile())
    .map((entry) => relativePath(dir, entry))
    .sort();
}

/**
 * Runs the removal `script` (CommonJS, given `input` on its standard input) in a child Node process: a removal is many
 * small file-system calls, and Node's promise calls queue one by one in this process's thread pool, where every other file
 * operation of the build then waits behind them (at 100,000 articles a 2 MB write waited 36 s behind the removal of a
 * site), and each costs a round trip. The child makes them one after another on its own thread, and on another core.
 */
function removeApart(script: string, input: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "ignore", "pipe"] });
    let errors = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      errors += text;
    });
    child.once("error", reject);
    // A child that failed stops reading its input; its exit code and errors say why.
    child.stdin.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`could not remove ${what} (${signal ?? `exit code ${code}`}): ${errors.trim()}`));
    });
    child.stdin.end(input);
  });
}

/** Removes the tree at `folder` (if any) in a child process (see {@link removeApart}): a whole site is hundreds of thousands of files. */
export function removeTreeApart(folder: string): Promise<void> {
  return removeTreesApart([folder]);
}

/** Removes the trees at `folders` (those still there) one after another in one child process (see {@link removeApart}). */
export async function removeTreesApart(folders: readonly string[]): Promise<void> {
  if (folders.length === 0) return;
  const script = [
    "const fs = require('node:fs');",
    "for (const folder of fs.readFileSync(0, 'utf8').split('\\0')) fs.rmSync(folder, { recursive: true, force: true });",
  ].join("\n");
  await removeApart(script, folders.join("\0"), folders.length === 1 ? (folders[0] as string) : `${folders.length} folders`);
}

/** Fewest files worth a child process of their own to remove (it starts in about 50 ms). */
const FILES_APART = 1_000;

/** Removes `files` (those still there): many in a child process (see {@link removeApart}), a few here. */
export async function removeFiles(files: readonly string[]): Promise<void> {
  if (files.length < FILES_APART) {
    await Promise.all(files.map((file) => rm(file, { force: true })));
    return;
  }
  const script = [
    "const fs = require('node:fs');",
    "for (const file of fs.readFileSync(0, 'utf8').split('\\0')) {",
    "  try { fs.unlinkSync(file); } catch (error) { if (error.code !== 'ENOENT') throw error; }",
    "}",
  ].join("\n");
  await removeApart(script, files.join("\0"), `${files.length} files`);
}
