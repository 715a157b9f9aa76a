import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { type ContentWriter, writeArticleFile } from "../../src/authoring/write.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const ARTICLE = `---\ntitle: Harbour cranes return\ndate: 2013-08-04\n---\n\n${"The cranes are back. ".repeat(500)}\n`;

/** Writes the first half of the text for real, then fails as a full disk does. */
const diskFullHalfway: ContentWriter = async (handle, text) => {
  await handle.write(text.slice(0, text.length / 2));
  throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
};

let folder: string;
let target: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(testTmpdir(), "broadsheet-write-"));
  target = path.join(folder, "harbour-cranes-return.md");
});

describe("writeArticleFile", () => {
  it("writes a new article whole and leaves nothing else in the folder", async () => {
    expect(await writeArticleFile(target, ARTICLE, { overwrite: false })).toBe("written");
    expect(await readFile(target, "utf8")).toBe(ARTICLE);
    expect(await readdir(folder)).toEqual(["harbour-cranes-return.md"]);
  });

  it("refuses an existing article without overwrite, before writing anything, and leaves it untouched", async () => {
    await writeFile(target, "the author's words");
    let called = false;
    const result = await writeArticleFile(target, ARTICLE, {
      overwrite: false,
      writeContent: async () => {
        called = true;
      },
    });
    expect(result).toBe("exists");
    expect(called).toBe(false);
    expect(await readFile(target, "utf8")).toBe("the author's words");
    expect(await readdir(folder)).toEqual(["harbour-cranes-return.md"]);
  });

  it("never replaces a file created by someone else while it writes", async () => {
    const raced: ContentWriter = async (handle, text) => {
      await writeFile(target, "written meanwhile by another editor");
      await handle.writeFile(text);
    };
    expect(await writeArticleFile(target, ARTICLE, { overwrite: false, writeContent: raced })).toBe("exists");
    expect(await readFile(target, "utf8")).toBe("written meanwhile by another editor");
    expect(await readdir(folder)).toEqual(["harbour-cranes-return.md"]);
  });

  it("replaces an existing article with overwrite", async () => {
    await writeFile(target, "old version");
    expect(await writeArticleFile(target, ARTICLE, { overwrite: true })).toBe("written");
    expect(await readFile(target, "utf8")).toBe(ARTICLE);
    expect(await readdir(folder)).toEqual(["harbour-cranes-return.md"]);
  });

  it("on a full disk with overwrite, keeps the old article intact and leaves no temporary file", async () => {
    await writeFile(target, "old version");
    await expect(writeArticleFile(target, ARTICLE, { overwrite: true, writeContent: diskFullHalfway })).rejects.toThrow("ENOSPC");
    expect(await readFile(target, "utf8")).toBe("old version");
    expect(await readdir(folder)).toEqual(["harbour-cranes-return.md"]);
  });

  it("never publishes a short write (write(2) on a filling disk writes less without an error)", async () => {
    await writeFile(target, "old version");
    const shortWrite: ContentWriter = async (handle, text) => {
      await handle.write(text.slice(0, 4096));
    };
    await expect(writeArticleFile(target, ARTICLE, { overwrite: true, writeContent: shortWrite })).rejects.toThrow(
      `only 4096 of ${Buffer.byteLength(ARTICLE)} bytes reached the disk`,
    );
    expect(await readFile(target, "utf8")).toBe("old version");
    expect(await readdir(folder)).toEqual(["harbour-cranes-return.md"]);
  });

  it("on a full disk without overwrite, leaves no article at all (not a truncated one) and no temporary file", async () => {
    await expect(writeArticleFile(target, ARTICLE, { overwrite: false, writeContent: diskFullHalfway })).rejects.toThrow("ENOSPC");
    expect(await readdir(folder)).toEqual([]);
  });
});
