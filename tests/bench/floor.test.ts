import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { measureFloor, minimalPage, titleAndBody } from "../../scripts/bench/floor.ts";
import { archiveLayout, writeArchive } from "../../scripts/bench/generator/index.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const scratchDir = scratchFolder("broadsheet-floor-");

describe("titleAndBody", () => {
  it("takes the quoted title line and the text after the front matter", () => {
    expect(titleAndBody('---\ntitle: "A \\"quoted\\" headline"\ndate: 2020-01-01\n---\n\nBody text.\n')).toEqual({
      title: 'A "quoted" headline',
      body: "\nBody text.\n",
    });
  });
});

describe("minimalPage", () => {
  it("marks the headline and body as the searchable part and escapes the headline", () => {
    const { document } = parseHTML(minimalPage("Fish & <chips>", "<p>Body</p>", "en"));
    expect(document.documentElement.getAttribute("lang")).toBe("en");
    expect(document.querySelector("[data-pagefind-body] h1")?.textContent).toBe("Fish & <chips>");
    expect(document.querySelector("[data-pagefind-body] p")?.textContent).toBe("Body");
  });
});

describe("measureFloor", () => {
  it("renders and indexes every article and writes a Pagefind index", async () => {
    const root = path.join(scratchDir(), "archive");
    await writeArchive(root, { articles: 12, seed: 4 });
    const out = path.join(scratchDir(), "out");
    const result = await measureFloor(archiveLayout(root).articlesDir, out);
    expect(result.articles).toBe(12);
    expect(result.totalMs).toBeGreaterThan(0);
    expect(result.markdownMs).toBeGreaterThan(0);
    expect(await readdir(path.join(out, "pagefind", "1"))).toContain("pagefind-entry.json");
  });

  it("indexes at most shardSize articles per Pagefind index, as the build does", async () => {
    const root = path.join(scratchDir(), "archive-sharded");
    await writeArchive(root, { articles: 12, seed: 4 });
    const out = path.join(scratchDir(), "out-sharded");
    await measureFloor(archiveLayout(root).articlesDir, out, 32, "en", 5);
    const counts = await Promise.all(
      ["1", "2", "3"].map(async (bundle) => {
        const entry = JSON.parse(await readFile(path.join(out, "pagefind", bundle, "pagefind-entry.json"), "utf8")) as {
          languages: { en: { page_count: number } };
        };
        return entry.languages.en.page_count;
      }),
    );
    expect(counts).toEqual([5, 5, 2]);
    expect(await readdir(path.join(out, "pagefind"))).toEqual(["1", "2", "3"]);
  });
});
