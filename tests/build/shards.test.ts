// Sharded builds: shards built on their own and joined by `--merge` give the site a single build gives, byte for byte,
// and a merge of shards that do not belong together publishes nothing.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SHARD_MARKER, parseShard } from "../../src/build/shards.ts";
import { SHARDED_FIXTURE_ENV, buildArchive, cacheWithPictures, fixtureArchive, shardedFixtureBuild } from "../helpers/build.ts";
import { exists } from "../../src/shared/fs.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { treeDigest } from "../helpers/tree.ts";

/**
 * Builds every shard of `count` (each with a page cache of its own, as on separate machines); returns their folders.
 * Each cache starts with the pictures the shared fixture build encoded (named by content, and not what these tests
 * are about: encoding them again in every shard would double the time of each build).
 */
async function buildShards(root: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const output = path.join(root, `shard-${index + 1}`);
      const cache = await cacheWithPictures(path.join(root, `cache-${index + 1}`));
      const env = { ...SHARDED_FIXTURE_ENV, BROADSHEET_CACHE: cache };
      const build = await buildArchive(fixtureArchive, output, env, ["--shard", `${index + 1}/${count}`]);
      expect(build.exitCode, build.stderr).toBe(0);
      return output;
    }),
  );
}

/** Merges `shards` into a new folder under `root`. */
function merge(root: string, shards: readonly string[]) {
  return buildArchive(fixtureArchive, path.join(root, "merged"), { ...SHARDED_FIXTURE_ENV }, ["--merge", ...shards]);
}

describe("parseShard", () => {
  it("reads I/N and refuses anything else with what a shard is", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/2", "3/2", "1", "a/b", "1/0", "-1/2"]) expect(() => parseShard(bad)).toThrow(/I\/N with 1 ≤ I ≤ N/);
  });
});

describe("sharded builds", () => {
  for (const count of [2, 3]) {
    it(`${count} shards merged give the site of a single build, byte for byte`, async () => {
      const root = await mkdtemp(path.join(testTmpdir(), `broadsheet-shards-${count}-`));
      const merged = await merge(root, await buildShards(root, count));
      expect(merged.exitCode, merged.stderr).toBe(0);
      expect(await treeDigest(merged.outputDir)).toEqual(await treeDigest(shardedFixtureBuild().outputDir));
    });
  }

  it("a merge missing a shard, given one twice or given a folder that is no shard says which and publishes nothing", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-shards-bad-"));
    // What a shard's output says of itself is all a merge checks before joining anything.
    const shard = async (name: string, marker?: object) => {
      const folder = path.join(root, name);
      await mkdir(folder);
      if (marker) await writeFile(path.join(folder, SHARD_MARKER), JSON.stringify(marker));
      return folder;
    };
    const first = await shard("first", { index: 1, count: 3, digest: "x" });
    const second = await shard("second", { index: 2, count: 3, digest: "x" });
    expect((await merge(root, [first, second, second])).stderr).toMatch(/merge: shard 2\/3 is given twice[^]*merge: shard 3\/3 is missing/);
    const plain = await shard("plain");
    const merged = await merge(root, [first, plain]);
    expect(merged.exitCode).toBe(1);
    expect(merged.stderr).toContain(`merge: ${plain} is not the output of a sharded build`);
    expect(merged.stderr).toContain("nothing was published");
    expect(await exists(merged.outputDir)).toBe(false);
  });

  it("a merge of shards built from other input than the archive's says so", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-shards-other-"));
    const folder = path.join(root, "only");
    await mkdir(folder);
    await writeFile(path.join(folder, SHARD_MARKER), JSON.stringify({ index: 1, count: 1, digest: "not this archive" }));
    const merged = await merge(root, [folder]);
    expect(merged.exitCode).toBe(1);
    expect(merged.stderr).toContain("was built from other articles, layouts or settings than these");
  });
});
