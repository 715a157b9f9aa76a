// Claims of work shared by a build's processes: the work is done once, a running holder is waited for, a dead or
// distant one is not.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { doOnce, isRunning } from "../../src/shared/claim.ts";
import { exists } from "../../src/shared/fs.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-claim-");

/** A process that runs until the tests end, to hold claims. */
const sleeper: ChildProcess = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)"], { stdio: "ignore" });
afterAll(() => {
  sleeper.kill();
});

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  if (child.pid === undefined) throw new Error("the child process did not start");
  return child.pid;
}

/** A claim file (its folder made) and a result file in a new folder, and a `done` that looks for the result. */
async function place(): Promise<{ claim: string; result: string; done: () => Promise<boolean> }> {
  const folder = await mkdtemp(path.join(scratch(), "place-"));
  const result = path.join(folder, "result");
  await mkdir(path.join(folder, "claims"));
  return { claim: path.join(folder, "claims", "work.encoding"), result, done: () => exists(result) };
}

describe("isRunning", () => {
  it("is true of a running process and false of one that ended", async () => {
    expect(isRunning(process.pid)).toBe(true);
    expect(isRunning(await deadPid())).toBe(false);
  });
});

describe("doOnce", () => {
  it("does the work holding the claim, and removes the claim after", async () => {
    const { claim, result, done } = await place();
    let holder: unknown;
    await doOnce(claim, {
      done,
      work: async () => {
        holder = JSON.parse(await readFile(claim, "utf8"));
        await writeFile(result, "made");
      },
    });
    expect(holder).toEqual({ pid: process.pid, host: hostname() });
    expect(await readFile(result, "utf8")).toBe("made");
    expect(await exists(claim)).toBe(false);
  });

  it("does nothing when the result is there", async () => {
    const { claim, result, done } = await place();
    await writeFile(result, "made before");
    let worked = false;
    await doOnce(claim, { done, work: async () => void (worked = true) });
    expect(worked).toBe(false);
  });

  it("does the work once for two callers at once", async () => {
    const { claim, result, done } = await place();
    let works = 0;
    const work = async (): Promise<void> => {
      works += 1;
      await writeFile(result, "made");
    };
    await Promise.all([doOnce(claim, { done, work }), doOnce(claim, { done, work })]);
    expect(works).toBe(1);
  });

  it("waits for a running holder and does not do the work it did", async () => {
    const { claim, result } = await place();
    await writeFile(claim, JSON.stringify({ pid: sleeper.pid, host: hostname() }));
    let looks = 0;
    let worked = false;
    await doOnce(claim, {
      // The holder finishes while the caller waits: on its third look, the result is there and the claim gone.
      done: async () => {
        looks += 1;
        if (looks === 3) {
          await writeFile(result, "made by the holder");
          await rm(claim);
        }
        return exists(result);
      },
      work: async () => void (worked = true),
      pollMs: 5,
    });
    expect(worked).toBe(false);
    expect(looks).toBe(3);
  });

  it("takes over the claim of a process that ended", async () => {
    const { claim, result, done } = await place();
    await writeFile(claim, JSON.stringify({ pid: await deadPid(), host: hostname() }));
    await doOnce(claim, { done, work: () => writeFile(result, "made") });
    expect(await exists(result)).toBe(true);
    expect(await exists(claim)).toBe(false);
  });

  it("does the work without waiting when the holder runs on another machine, leaving its claim", async () => {
    const { claim, result, done } = await place();
    await writeFile(claim, JSON.stringify({ pid: sleeper.pid, host: `not-${hostname()}` }));
    await doOnce(claim, { done, work: () => writeFile(result, "made"), pollMs: 60_000 });
    expect(await exists(result)).toBe(true);
    expect(await exists(claim)).toBe(true);
  });

  it("does the work after its patience when a running holder never finishes", async () => {
    const { claim, result, done } = await place();
    await writeFile(claim, JSON.stringify({ pid: sleeper.pid, host: hostname() }));
    await doOnce(claim, { done, work: () => writeFile(result, "made"), patienceMs: 20, pollMs: 5 });
    expect(await exists(result)).toBe(true);
  });

  it("takes a claim that stays empty for a claim left by a process killed as it made it", async () => {
    const { claim, result, done } = await place();
    await writeFile(claim, "");
    await doOnce(claim, { done, work: () => writeFile(result, "made"), pollMs: 100 });
    expect(await exists(result)).toBe(true);
    expect(await exists(claim)).toBe(false);
  });

  it("removes its claim when the work fails, and passes the failure on", async () => {
    const { claim, done } = await place();
    await expect(
      doOnce(claim, {
        done,
        work: async () => {
          throw new Error("the encoder failed");
        },
      }),
    ).rejects.toThrow("the encoder failed");
    expect(await exists(claim)).toBe(false);
  });
});
