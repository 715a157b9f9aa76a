import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildArchive, fixtureArchive } from "../helpers/build.ts";
import { scratchFolder } from "../helpers/scratch.ts";

describe("pages left in the output folder by an earlier build", () => {
  const scratch = scratchFolder("broadsheet-stale-");
  let output: string;

  beforeAll(async () => {
    output = path.join(scratch(), "site");
    const first = await buildArchive(fixtureArchive, output);
    if (first.exitCode !== 0) throw new Error(first.stderr);
  }, 120_000);

  async function plant(url: string, html: string): Promise<string> {
    const file = path.join(output, url, "index.html");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, html);
    return file;
  }

  it("let an old redirect page stay: it would not be searchable", async () => {
    await plant("/2001/01/01/old-redirect/", '<!doctype html><meta http-equiv="refresh" content="0; url=/">');
    const result = await buildArchive(fixtureArchive, output);
    expect(result.exitCode, result.stderr).toBe(0);
  }, 120_000);

  it("fail the build, naming the page and the fix, when one would be searchable", async () => {
    const file = await plant("/2001/01/02/renamed-long-ago/", "<!doctype html><article data-pagefind-body>Old text</article>");
    const result = await buildArchive(fixtureArchive, output);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("holds 1 article page(s) this build did not write, left by an earlier build; they would be searchable:");
    expect(result.stderr).toContain(`  ${file}`);
    expect(result.stderr).toContain("Delete them (or the whole output folder) and build again.");
  }, 120_000);
});
