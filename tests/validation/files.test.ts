// Listing the article files and looking at each: on the build's thread or on a worker thread, the same files in the
// same order with the same signatures, and a file just written is not yet settled.
import { mkdir, mkdtemp, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SETTLED_MS, fileSignature, listAndLook, listArticleFiles, listArticlesAside, lookAt } from "../../src/validation/files.ts";
import { testTmpdir } from "../helpers/tmp.ts";

/** A project folder with an articles folder of a few files, two of them set to an hour ago. */
async function archive(): Promise<{ cwd: string; dir: string }> {
  const cwd = await mkdtemp(path.join(testTmpdir(), "broadsheet-files-"));
  const dir = "articles";
  await mkdir(path.join(cwd, dir, "2024"), { recursive: true });
  const files = ["2024/b.md", "2024/a.md", "top.md", "2024/notes.txt"];
  for (const file of files) await writeFile(path.join(cwd, dir, file), `---\ntitle: ${file}\n---\n`);
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const file of ["2024/a.md", "top.md"]) await utimes(path.join(cwd, dir, file), hourAgo, hourAgo);
  return { cwd, dir };
}

describe("listAndLook", () => {
  it("lists the markdown files sorted, relative to the project, with each one's signature", async () => {
    const { cwd, dir } = await archive();
    const listed = await listAndLook({ dir, cwd });
    expect(listed.files).toEqual(["articles/2024/a.md", "articles/2024/b.md", "articles/top.md"]);
    expect(listed.files).toEqual(await listArticleFiles(dir, cwd));
    const signatures = await Promise.all(listed.files.map(async (file) => fileSignature(await stat(path.join(cwd, file)))));
    expect(listed.seen).toEqual(signatures);
  });

  it("calls a file settled only when its change time too is SETTLED_MS before the listing", async () => {
    const { cwd, dir } = await archive();
    // utimes sets the modification time back, but the change time is the moment utimes ran: nothing is settled yet.
    expect([...(await listAndLook({ dir, cwd })).settled]).toEqual([0, 0, 0]);
    const file = path.join(cwd, dir, "top.md");
    expect(lookAt(file, Date.now() + SETTLED_MS + 1_000).settled).toBe(true);
    expect(lookAt(file, Date.now() + SETTLED_MS / 2).settled).toBe(false);
  });
});

describe("listArticlesAside", () => {
  it("gives on a worker thread what listAndLook gives on this one", async () => {
    const { cwd, dir } = await archive();
    const aside = await listArticlesAside({ dir, cwd });
    const here = await listAndLook({ dir, cwd });
    expect({ files: aside.files, seen: aside.seen, settled: [...aside.settled] }).toEqual({
      files: here.files,
      seen: here.seen,
      settled: [...here.settled],
    });
  });

  it("fails with the folder's error when there is no such folder", async () => {
    const { cwd } = await archive();
    await expect(listArticlesAside({ dir: "artciles", cwd })).rejects.toThrow("artciles");
  });
});
