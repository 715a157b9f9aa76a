import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { scaffoldArticle } from "../../src/authoring/scaffold.ts";
import { validateArticleText } from "../../src/validation/index.ts";
import { scriptArgs } from "../../scripts/build-script.ts";
import { projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const run = promisify(execFile);
const newArticle = async (dir: string, headline: string, ...flags: string[]) =>
  run(process.execPath, [...(await scriptArgs("new")), "--dir", dir, ...flags, headline], { cwd: projectRoot });
const failedNew = (dir: string, headline: string, ...flags: string[]) =>
  newArticle(dir, headline, ...flags).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
const thisYear = () => DateTime.now().setZone("Asia/Jerusalem").toFormat("yyyy");

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
    expect(text).not.toMatch(/^slug:/m);
    for (const field of ["dek", "updated", "authors", "section", "topics", "image", "src", "alt", "caption", "credit", "source", "url"]) {
      expect(text).toMatch(new RegExp(`^#\\s+${field}:`, "m"));
    }
  });

  it("uses a given slug for the file name and the URL", () => {
    const article = scaffoldArticle("???", now, "UTC", "question-time");
    expect(article.relativePath).toBe("2026/question-time.md");
    expect(article.text).toContain('\nslug: "question-time"\n');
    expect(validateArticleText("new.md", article.text)).toEqual([]);
  });
});

describe("npm run new", () => {
  it("creates the draft file", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    const { stdout } = await newArticle(dir, "Harbour cranes return");
    const file = path.join(dir, `${DateTime.now().setZone("Asia/Jerusalem").toFormat("yyyy")}/harbour-cranes-return.md`);
    expect(stdout).toContain(`created ${file}, a draft. Still to do before publishing:`);
    expect(stdout).toContain('remove the line "draft: true" to publish');
    expect(await readFile(file, "utf8")).toContain('title: "Harbour cranes return"');
  });

  it("refuses to overwrite an existing article and leaves it untouched", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    const file = path.join(dir, `${DateTime.now().setZone("Asia/Jerusalem").toFormat("yyyy")}/harbour-cranes-return.md`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "the author's words");
    const failure = await newArticle(dir, "Harbour cranes return").then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`${file} already exists; it was left untouched`);
    expect(await readFile(file, "utf8")).toBe("the author's words");
  });

  it("refuses a headline without letters or digits with a clear message, no stack trace, and writes nothing", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    const failure = await failedNew(dir, "???");
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe(
      'new: the headline "???" has no letters or digits, so it gives no URL; write the headline in words, or give the URL with --slug, e.g. --slug harbour-cranes-return',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("creates a headline without letters under the --slug given", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    await newArticle(dir, "???", "--slug", "question-time");
    const file = path.join(dir, thisYear(), "question-time.md");
    expect(validateArticleText(file, await readFile(file, "utf8"))).toEqual([]);
  });

  it("refuses a --slug that npm run check would reject, naming the field, and writes nothing", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-new-"));
    const failure = await failedNew(dir, "Harbour cranes return", "--slug", "Harbour Cranes");
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("would not pass npm run check, so nothing was written");
    expect(failure?.stderr).toContain("slug: must be lower-case words joined by single hyphens");
    expect(failure?.stderr).not.toMatch(/^\s+at /m);
    expect(await readdir(dir)).toEqual([]);
  });
});
