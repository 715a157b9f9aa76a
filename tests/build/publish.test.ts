// Staged publishing: the lock, the recovery after a killed build and the swap, on real folders.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OutputBusyError, lockOutput, outputPaths, publishStaging, recoverOutput } from "../../src/build/publish.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-publish-");

/** A folder holding one file with `text`. */
async function site(folder: string, text: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, "index.html"), text);
}

const read = (folder: string) => readFile(path.join(folder, "index.html"), "utf8");

describe("outputPaths", () => {
  it("keeps staging, previous and the lock beside the output, hidden", () => {
    expect(outputPaths("/srv/x/_site")).toEqual({
      output: "/srv/x/_site",
      staging: "/srv/x/._site.staging",
      previous: "/srv/x/._site.previous",
      lock: "/srv/x/._site.lock",
    });
  });
});

describe("publishStaging", () => {
  it("replaces the output with the staging folder and leaves nothing else behind", async () => {
    const paths = outputPaths(path.join(scratch(), "swap", "_site"));
    await site(paths.output, "old");
    await writeFile(path.join(paths.output, "retracted.html"), "retracted story");
    await site(paths.staging, "new");
    await publishStaging(paths);
    expect(await read(paths.output)).toBe("new");
    expect(await readdir(paths.output)).toEqual(["index.html"]);
    expect(await readdir(path.dirname(paths.output))).toEqual(["_site"]);
  });

  it("publishes the first build when there was no output yet", async () => {
    const paths = outputPaths(path.join(scratch(), "first", "_site"));
    await site(paths.staging, "first");
    await publishStaging(paths);
    expect(await read(paths.output)).toBe("first");
  });
});

describe("recoverOutput", () => {
  it("puts the previous site back when a build was killed between the two renames", async () => {
    const paths = outputPaths(path.join(scratch(), "cut", "_site"));
    await site(paths.previous, "published");
    await site(paths.staging, "half");
    await recoverOutput(paths);
    expect(await read(paths.output)).toBe("published");
    expect(await readdir(path.dirname(paths.output))).toEqual(["_site"]);
  });

  it("drops a leftover previous site when the new one was already in place", async () => {
    const paths = outputPaths(path.join(scratch(), "late", "_site"));
    await site(paths.output, "new");
    await site(paths.previous, "old");
    await recoverOutput(paths);
    expect(await read(paths.output)).toBe("new");
    expect(await readdir(path.dirname(paths.output))).toEqual(["_site"]);
  });
});

describe("lockOutput", () => {
  it("refuses a second holder while the first runs, and frees the lock on release", async () => {
    const paths = outputPaths(path.join(scratch(), "_site"));
    const release = await lockOutput(paths);
    await expect(lockOutput(paths)).rejects.toBeInstanceOf(OutputBusyError);
    await expect(lockOutput(paths)).rejects.toThrow(/another build \(process \d+ .*\) is writing .*_site; wait for it/);
    await release();
    const again = await lockOutput(paths);
    await again();
  });

  it("takes over a lock whose process is gone (a build killed with SIGKILL)", async () => {
    const paths = outputPaths(path.join(scratch(), "dead", "_site"));
    await mkdir(path.dirname(paths.lock), { recursive: true });
    // Process ids are at most 2^22 on Linux; this one cannot be running.
    await writeFile(
      paths.lock,
      JSON.stringify({ pid: 2 ** 22 + 1, host: (await import("node:os")).hostname(), started: "2026-01-01T00:00:00Z" }),
    );
    const release = await lockOutput(paths);
    expect(JSON.parse(await readFile(paths.lock, "utf8"))).toMatchObject({ pid: process.pid });
    await release();
  });
});
