// Staged publishing: a build writes a complete site beside the output folder and swaps it in only when every phase
// succeeded, under a lock, so the output is always exactly one successful build.
import { hostname } from "node:os";
import { open, readFile, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { exists } from "../shared/fs.ts";

/** The folders and files of one output folder's publishing. */
export interface OutputPaths {
  /** The published site, e.g. `_site`. */
  output: string;
  /** Where a build assembles the next site: `.<name>.staging` beside the output. */
  staging: string;
  /** Where the published site waits during the swap: `.<name>.previous` beside the output. */
  previous: string;
  /** The lock file of builds of this output: `.<name>.lock` beside the output. */
  lock: string;
}

/** The publishing paths of `output`; all beside it, so every rename stays on one filesystem and is atomic. */
export function outputPaths(output: string): OutputPaths {
  const resolved = path.resolve(output);
  const sibling = (suffix: string): string => path.join(path.dirname(resolved), `.${path.basename(resolved)}.${suffix}`);
  return { output: resolved, staging: sibling("staging"), previous: sibling("previous"), lock: sibling("lock") };
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

/** True while process `pid` runs on this machine. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The holder recorded in a lock file, or undefined when the file is gone or unreadable (half-written). */
async function readHolder(lock: string): Promise<LockHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(lock, "utf8")) as Partial<LockHolder>;
    if (typeof value.pid !== "number" || typeof value.host !== "string" || typeof value.started !== "string") return undefined;
    return { pid: value.pid, host: value.host, started: value.started };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return undefined;
    throw error;
  }
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
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(paths.lock, "wx");
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return async () => {
        const holder = await readHolder(paths.lock);
        if (holder?.pid === me.pid && holder.started === me.started) await unlink(paths.lock);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(paths.lock);
    // Another host's lock (a shared folder) cannot be checked from here, so it is respected.
    if (holder && (holder.host !== me.host || isRunning(holder.pid))) throw new OutputBusyError(paths.output, holder);
    await rm(paths.lock, { force: true });
  }
  throw new Error(`could not take the lock ${paths.lock}; another build keeps taking it`);
}

/**
 * Undoes what a killed build left (call it holding the lock): a swap cut between its two renames is completed
 * backwards (the previous site goes back to the output), and a half-built staging folder is removed.
 */
export async function recoverOutput(paths: OutputPaths): Promise<void> {
  if (await exists(paths.previous)) {
    if (await exists(paths.output)) await rm(paths.previous, { recursive: true, force: true });
    else await rename(paths.previous, paths.output);
  }
  await rm(paths.staging, { recursive: true, force: true });
}

/**
 * Replaces the output with the staging folder: two renames, each atomic; a build killed between them leaves the
 * previous site in `previous`, where {@link recoverOutput} finds it. The old site is deleted last.
 */
export async function publishStaging(paths: OutputPaths): Promise<void> {
  const hadOutput = await exists(paths.output);
  if (hadOutput) await rename(paths.output, paths.previous);
  await rename(paths.staging, paths.output);
  if (hadOutput) await rm(paths.previous, { recursive: true, force: true });
}
