// What of Pagefind's output the site keeps: bundles of an earlier plan left in a reused staging folder go.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { removeOtherBundles } from "../../src/search/output.ts";
import type { SearchShard } from "../../src/search/shards.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratch = scratchFolder("broadsheet-search-output-");

const shard = (bundle: string): SearchShard => ({ bundle, globs: [], articles: 1 });

/** An output folder whose search folder holds `names` (folders, or files where the name has a dot). */
async function outputWith(names: string[]): Promise<string> {
  const output = path.join(scratch(), `site-${names.join("-")}`);
  for (const name of names) {
    if (name.includes(".")) {
      await mkdir(path.join(output, "pagefind"), { recursive: true });
      await writeFile(path.join(output, "pagefind", name), "{}");
    } else {
      await mkdir(path.join(output, "pagefind", name, "fragment"), { recursive: true });
    }
  }
  return output;
}

describe("removeOtherBundles", () => {
  it("removes the folders and files of the search folder that are not a selected bundle", async () => {
    const output = await outputWith(["2013-08", "2019-01", "2024-02", "pagefind-entry.json"]);
    const shards = [shard("/pagefind/2013-08/"), shard("/pagefind/2024-02/")];
    expect(await removeOtherBundles(shards, output, () => true)).toEqual(["2019-01", "pagefind-entry.json"]);
    expect((await readdir(path.join(output, "pagefind"))).sort()).toEqual(["2013-08", "2024-02"]);
  });

  it("removes the bundles a sharded build does not write", async () => {
    const output = await outputWith(["2013-08", "2024-02"]);
    const shards = [shard("/pagefind/2013-08/"), shard("/pagefind/2024-02/")];
    expect(await removeOtherBundles(shards, output, (each) => each.bundle === "/pagefind/2024-02/")).toEqual(["2013-08"]);
  });

  it("leaves the one bundle of a small archive, the search folder itself, to its restore", async () => {
    const output = await outputWith(["2013-08", "pagefind-entry.json"]);
    expect(await removeOtherBundles([shard("/pagefind/")], output, () => true)).toEqual([]);
    expect(await removeOtherBundles([shard("/pagefind/")], path.join(scratch(), "no-site"), () => true)).toEqual([]);
  });
});
