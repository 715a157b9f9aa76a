import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { folderSize, runMeasured, statCpuMs, statusKilobytes } from "../../scripts/bench/measure.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratchDir = scratchFolder("broadsheet-measure-");

describe("statusKilobytes", () => {
  it("reads a kB field of /proc/<pid>/status", () => {
    expect(statusKilobytes("Name:\tnode\nVmHWM:\t  123456 kB\nVmRSS:\t   2048 kB\n", "VmRSS")).toBe(2048);
  });

  it("gives undefined for a missing field", () => {
    expect(statusKilobytes("Name:\tnode\n", "VmHWM")).toBeUndefined();
  });
});

describe("statCpuMs", () => {
  it("adds user and system clock ticks of a /proc/<pid>/stat line, whatever the command name holds", () => {
    const stat = "4242 (node (worker) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 150 25 0 0 20 0 11 0";
    expect(statCpuMs(stat)).toBe(1750);
  });

  it("gives undefined for an unreadable line", () => {
    expect(statCpuMs("")).toBeUndefined();
  });
});

describe("runMeasured", () => {
  it("measures the peak memory of a child's own child", async () => {
    // The grandchild holds 200 MB for half a second; the child itself stays small.
    const grandchild = "const b = Buffer.alloc(200 * 2 ** 20, 1); setTimeout(() => console.log(b[0]), 500)";
    const child = `require("node:child_process").spawnSync(process.execPath, ["-e", ${JSON.stringify(grandchild)}], { stdio: "inherit" })`;
    const run = await runMeasured(process.execPath, ["-e", child], { cwd: scratchDir(), env: process.env, intervalMs: 50 });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe("1");
    expect(run.peakTreeRssBytes).toBeGreaterThan(200 * 2 ** 20);
    expect(run.peakProcessRssBytes).toBeGreaterThan(200 * 2 ** 20);
  });

  it("stops a run whose memory passes the cap", async () => {
    const hog = "const b = Buffer.alloc(400 * 2 ** 20, 1); setTimeout(() => console.log(b[0]), 3000)";
    const run = await runMeasured(process.execPath, ["-e", hog], {
      cwd: scratchDir(),
      env: process.env,
      intervalMs: 50,
      memoryCapBytes: 200 * 2 ** 20,
    });
    expect(run.killedForMemory).toBe(true);
    expect(run.exitCode).not.toBe(0);
    // Stopped before its three seconds were up: it never printed.
    expect(run.stdout).toBe("");
  });

  it("stops a run that passes the time limit", async () => {
    const run = await runMeasured(process.execPath, ["-e", "setTimeout(() => {}, 5000)"], {
      cwd: scratchDir(),
      env: process.env,
      intervalMs: 50,
      timeLimitMs: 300,
    });
    expect(run.killedForTime).toBe(true);
    // Stopped before its five seconds were up: a child that ran them out would have exited with 0.
    expect(run.exitCode).not.toBe(0);
  });

  it("measures the CPU time of a busy child", async () => {
    // The child spins until it has used 600 ms of CPU itself, however busy the machine is (a wall-clock loop is not);
    // the sampler reads /proc between intervals, so it may miss the last one: at least half is counted.
    const spin =
      "const used = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; }; while (used() < 600);";
    const run = await runMeasured(process.execPath, ["-e", spin], {
      cwd: scratchDir(),
      env: process.env,
    });
    expect(run.cpuMs).toBeGreaterThanOrEqual(300);
  });

  it("reports a failing command's exit code and output instead of throwing", async () => {
    const run = await runMeasured(process.execPath, ["-e", "console.error('nope'); process.exit(3)"], {
      cwd: scratchDir(),
      env: process.env,
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("nope");
  });
});

describe("folderSize", () => {
  it("adds up the files under a folder, nested ones included", async () => {
    const dir = path.join(scratchDir(), "site");
    await mkdir(path.join(dir, "a/b"), { recursive: true });
    await writeFile(path.join(dir, "index.html"), "12345");
    await writeFile(path.join(dir, "a/b/page.html"), "123");
    expect(await folderSize(dir)).toEqual({ bytes: 8, files: 2 });
  });
});
