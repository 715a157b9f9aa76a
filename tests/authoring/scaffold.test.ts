import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { scaffoldArticle } from "../../src/authoring/scaffold.ts";
import { validateArticleText } from "../../src/validation/index.ts";
import { projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const run = promisify(execFile);
const newArticle = (dir: string, headline: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/new.ts", "--dir", dir, headline], { cwd: projectRoot });

describe("scaffoldArticle", () => {
  const now = DateTime.fromISO("2026-11-24T23:30:00Z");

  it("dates the article today in the site's time zone and files it by year and slug", () => {
    const article = scaffoldArticle("Harbour cranes return", now, "Asia/Jerusalem");
    expect(article.relativePath).toBe("2026/harbour-cranes-return.md");
    expect(article.text).toContain("\ndate: 2026-11-25\n");
  });

  it("writes front matter that passes validation, with every optional field commented", () => {
    const { text } = scaffoldArticle(`A "quoted" headline: with colon`, now, "UTC");
    expect(validateArticleText("new.md", text)).toEqual([]);
    for (const field of ["dek", "updated", "authors", "section", "topics", "image", "src", "alt", "caption", "credit", "source", "url"]) {
      expect(text).toMatch(new RegExp(`^#\\s+${field}:`, "m"));
    }
  });
});

describe("npm run new", () => {
  it("creates the draft file", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    const { stdout } = await newArticle(dir, "Harbour cranes return");
    const file = path.join(dir, `${DateTime.now().setZone("Asia/Jerusalem").toFormat("yyyy")}/harbour-cranes-return.md`);
    expect(stdout).toContain(`created ${file}`);
    expect(await readFile(file, "utf8")).toContain('title: "Harbour cranes return"');
  });

  it("refuses to overwrite an existing article and leaves it untouched", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    const file = path.join(dir, `${DateTime.now().setZone("Asia/Jerusalem").toFormat("yyyy")}/harbour-cranes-return.md`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "the author's words");
    const failure = await newArticle(dir, "Harbour cranes return").then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`${file} already exists; it was left untouched`);
    expect(await readFile(file, "utf8")).toBe("the author's words");
  });
});
