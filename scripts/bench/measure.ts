// Runs a command in a fresh process and measures its wall time and peak memory, its child processes included
// (Pagefind indexes in a separate Rust process, whose memory a Node-only figure would miss).
import { execFile, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";

/** What one measured run did. */
export interface MeasuredRun {
  exitCode: number;
  wallMs: number;
  /** Highest sum of resident memory over the process tree, sampled every `intervalMs` (null without /proc). */
  peakTreeRssBytes: number | null;
  /** Highest resident memory of any single process of the tree (its VmHWM, exact up to the last sample). */
  peakProcessRssBytes: number | null;
  /**
   * User plus system CPU time summed over the process tree (Pagefind included), as last sampled for each
   * process, so each may be short by up to one interval (null without /proc).
   */
  cpuMs: number | null;
  stdout: string;
  stderr: string;
  /** True when the tree was killed for using more than `memoryCapBytes`. */
  killedForMemory: boolean;
  /** True when the tree was killed for running longer than `timeLimitMs`. */
  killedForTime: boolean;
}

/** Reads a `kB` field such as VmRSS from a `/proc/<pid>/status` text; undefined when absent. */
export function statusKilobytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

// The sampler reads /proc synchronously: it is this process's only work while a run goes on, and a process tree of a
// few hundred threads (Pagefind grows to 170 while it writes) is a few thousand small files a second. Read through
// promises, they cost the bench's process a quarter of a core at 160 threads (measured against a tree of sleeping
// threads): CPU taken from the build it measures, on a 2-core machine. Read directly, a sixth of that.

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    // A process can exit between listing and reading; that is not an error of the measurement.
    if (["ENOENT", "ESRCH", "EACCES"].includes((error as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw error;
  }
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The pid and every descendant of it, from `/proc/<pid>/task/<tid>/children`. */
function processTree(root: number): number[] {
  const pids: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    pids.push(pid);
    for (const task of readdirOrEmpty(`/proc/${pid}/task`)) {
      const children = readOrUndefined(`/proc/${pid}/task/${task}/children`);
      for (const child of (children ?? "").split(/\s+/).filter(Boolean)) queue.push(Number(child));
    }
  }
  return pids;
}

async function hasProc(): Promise<boolean> {
  try {
    await stat("/proc/self/status");
    return true;
  } catch {
    return false;
  }
}

/** Kernel clock ticks per second, the unit of CPU times in `/proc/<pid>/stat` (100 on Linux in practice). */
const CLOCK_TICKS = 100;

/** User plus system CPU milliseconds of a process from its `/proc/<pid>/stat` line; undefined if unreadable. */
export function statCpuMs(stat: string): number | undefined {
  // Fields after the command name, which is in parentheses and may itself hold spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? ((user + system) * 1000) / CLOCK_TICKS : undefined;
}

/**
 * Waits until the machine has written out what earlier commands left to write (`sync`), so that a timed run does not
 * pay for the one before it: right after a cold build of 10,000 articles (15,000 files), the kernel's writing of them
 * made the next build's page cache phase take 2.6 s instead of 1.2 s. A reader's correction comes minutes after a
 * build, when those writes are long done.
 */
export async function settleDisk(): Promise<void> {
  await promisify(execFile)("sync");
}

/** Runs `command args` with `env` in `cwd`, sampling memory until it exits. Never throws on a failing command. */
export async function runMeasured(
  command: string,
  args: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    intervalMs?: number;
    echo?: boolean;
    /** Kill the whole tree when its resident memory passes this, so a runaway run cannot take the machine down. */
    memoryCapBytes?: number;
    /** Kill the whole tree after this long. */
    timeLimitMs?: number;
  },
): Promise<MeasuredRun> {
  const sampling = await hasProc();
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (options.echo) process.stderr.write(chunk);
  });

  let peakTree = 0;
  let peakProcess = 0;
  const cpuByPid = new Map<number, number>();
  let killedForMemory = false;
  let killedForTime = false;
  const killTree = (tree: readonly number[]) => {
    for (const pid of tree) {
      try {
        process.kill(pid, "SIGKILL");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    }
  };
  const sample = () => {
    if (!sampling || child.pid === undefined) return;
    let sum = 0;
    const tree = processTree(child.pid);
    for (const pid of tree) {
      const status = readOrUndefined(`/proc/${pid}/status`);
      if (!status) continue;
      sum += statusKilobytes(status, "VmRSS") ?? 0;
      peakProcess = Math.max(peakProcess, statusKilobytes(status, "VmHWM") ?? 0);
      const cpu = statCpuMs(readOrUndefined(`/proc/${pid}/stat`) ?? "");
      if (cpu !== undefined) cpuByPid.set(pid, cpu);
    }
    peakTree = Math.max(peakTree, sum);
    if (killedForMemory || killedForTime) return;
    if (options.memoryCapBytes !== undefined && sum * 1024 > options.memoryCapBytes) {
      killedForMemory = true;
      killTree(tree);
    } else if (options.timeLimitMs !== undefined && performance.now() - started > options.timeLimitMs) {
      killedForTime = true;
      killTree(tree);
    }
  };
  const timer = setInterval(sample, options.intervalMs ?? 100);

  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    // A process killed by a signal exits, as a shell reports it, with 128 + the signal's number.
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
  const wallMs = performance.now() - started;
  clearInterval(timer);
  const cpuMs = sampling ? [...cpuByPid.values()].reduce((sum, ms) => sum + ms, 0) : null;
  return {
    exitCode,
    wallMs,
    cpuMs,
    peakTreeRssBytes: sampling ? peakTree * 1024 : null,
    peakProcessRssBytes: sampling ? peakProcess * 1024 : null,
    stdout,
    stderr,
    killedForMemory,
    killedForTime,
  };
}

/** Total bytes and number of files under `dir`. */
export async function folderSize(dir: string): Promise<{ bytes: number; files: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let bytes = 0;
  let files = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { bytes, files };
}
