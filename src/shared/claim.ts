// Work shared by a build's processes: a claim file says which process is doing one piece of work, so the others wait
// for it instead of doing the same work at once.
import { hostname } from "node:os";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** True while process `pid` runs on this machine. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Who holds a claim, or a build's lock (`lockOutput` in src/build/publish.ts, which also records when it started). */
export interface Holder {
  pid: number;
  host: string;
  started?: string;
}

/** The holder written in a claim or lock file, or undefined when the file is gone or half-written. */
export async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as Partial<Holder>;
    if (typeof value.pid !== "number" || typeof value.host !== "string") return undefined;
    return { pid: value.pid, host: value.host, ...(typeof value.started === "string" ? { started: value.started } : {}) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** How long a claim may stay without its holder's name before it is taken for one left by a killed process. */
const EMPTY_CLAIM_MS = 1_000;

/** What {@link doOnce} does, and how it knows the work is done. */
export interface OnceOptions {
  /** True once the work's result is there (made by this process or another): nothing is left to do. */
  done: () => Promise<boolean>;
  /** Does the work. Its result must be written whole, so a reader never sees half of it. */
  work: () => Promise<void>;
  /** How long to wait for a running holder before doing the work anyway (default 60 s). */
  patienceMs?: number;
  /** How often to look whether a holder has finished (default 25 ms). */
  pollMs?: number;
}

/**
 * Does `work` unless `done`, with `claim` held meanwhile, so that processes needing the same result at once make it
 * once: while a running process of this machine holds the claim, the others wait for it and then look again. The
 * claim of a process that died (a killed build runs no clean-up) is taken over, and a holder that takes longer than
 * the patience, or runs on another machine (a cache on a shared folder), is not waited for: doing the work twice
 * costs time, never correctness, as its result is written whole.
 */
export async function doOnce(claim: string, options: OnceOptions): Promise<void> {
  const { done, work, patienceMs = 60_000, pollMs = 25 } = options;
  const me: Holder = { pid: process.pid, host: hostname() };
  let waited = 0;
  await mkdir(path.dirname(claim), { recursive: true });
  for (;;) {
    if (await done()) return;
    let handle;
    try {
      handle = await open(claim, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (handle) {
      try {
        try {
          await handle.writeFile(JSON.stringify(me));
        } finally {
          await handle.close();
        }
        // Another process may have finished between the look above and taking the claim.
        if (!(await done())) await work();
      } finally {
        await rm(claim, { force: true });
      }
      return;
    }
    const holder = await readHolder(claim);
    // A claim names its holder within a few system calls of being made: one still empty after a second was left by a
    // process killed in between.
    const dead = holder ? holder.host === me.host && !isRunning(holder.pid) : waited >= EMPTY_CLAIM_MS;
    if (dead) {
      await rm(claim, { force: true });
      continue;
    }
    if ((holder && holder.host !== me.host) || waited >= patienceMs) return work();
    await sleep(pollMs);
    waited += pollMs;
  }
}
