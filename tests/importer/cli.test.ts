import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, copyFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scriptArgs } from "../../scripts/build-script.ts";
import { projectRoot } from "../helpers/build.ts";
import { validateArticleText } from "../../src/validation/index.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const run = promisify(execFile);
const importer = async (...args: string[]) =>
  run(process.execPath, [...(await scriptArgs("import")), ...args], { cwd: projectRoot }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
/**
 * The importer with files limited to 2 KB (`ulimit -f 2`): a write past that fails with EFBIG after writing what
 * fits, as a full disk does, so the seed's 2.5 kB article cannot be written whole.
 */
const importerOnFullDisk = async (...args: string[]) =>
  run("bash", ["-c", 'ulimit -f 2 && exec "$0" "$@"', process.execPath, ...(await scriptArgs("import")), ...args], {
    cwd: projectRoot,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
const SEED = "tests/fixtures/raw/hamas-hezbollah-iran.txt";
const DATA = "tests/fixtures/data";
const SEED_TARGET = path.join("2013", "hamas-patches-up-ties-with-hezbollah-iran.md");

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(testTmpdir(), "broadsheet-import-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("npm run import", () => {
  it("imports the seed as a valid article under <out>/<year>/<slug>.md and reports fidelity and boilerplate", async () => {
    const result = await importer(
      SEED,
      "--out",
      out,
      "--data",
      DATA,
      "--date",
      "2013-08-04",
      "--section",
      "World",
      "--topic",
      "Hamas",
      "--topic",
      "Iran",
      "--author",
      "Ada Reporter",
      "--source-name",
      "The Times of Israel",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fidelity: all 8 body paragraph(s) kept word for word");
    expect(result.stdout).toContain("- Never miss breaking news on Israel");
    expect(result.stdout).toContain("import: imported 1, skipped 0, failed 0");
    const file = path.join(out, "2013", "hamas-patches-up-ties-with-hezbollah-iran.md");
    const text = await readFile(file, "utf8");
    expect(validateArticleText(file, text)).toEqual([]);
    expect(text).toContain("authors: [Ada Reporter]\nsection: World\ntopics: [Hamas, Iran]\n");
    expect(result.stdout).toContain("still to add: image: only the caption and credit were in the text");
  });

  it("imports the seed with the README's command to a file identical to the committed article", async () => {
    // The fixture is a byte-for-byte copy of ../shared/seed/hamas-hezbollah-iran.txt, so this runs in a fresh clone.
    const result = await importer(
      SEED,
      "--out",
      out,
      "--date",
      "2013-08-04",
      "--date-note",
      'The text carries no date. Its clues: Israel Radio cited the report "on Sunday"; the meeting was "last month"; the June statement is named by its month, so June was no longer last month. The earliest Sunday that fits all three is 4 August 2013, the date used here.',
      "--section",
      "World",
      "--topic",
      "Hamas",
      "--topic",
      "Hezbollah",
      "--topic",
      "Iran",
      "--topic",
      "Syria",
      "--source-name",
      "The Times of Israel",
    );
    expect(result.code, result.stderr).toBe(0);
    const imported = await readFile(path.join(out, "2013", "hamas-patches-up-ties-with-hezbollah-iran.md"));
    const committed = await readFile(path.join(projectRoot, "articles/2013/hamas-patches-up-ties-with-hezbollah-iran.md"));
    expect(imported.equals(committed)).toBe(true);
  });

  it("refuses to overwrite an existing article, naming it, and overwrites with --force", async () => {
    const file = path.join(out, "2013", "hamas-patches-up-ties-with-hezbollah-iran.md");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "hand edited\n");
    const refused = await importer(SEED, "--out", out, "--date", "2013-08-04");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`would overwrite ${file}, which already exists`);
    expect(await readFile(file, "utf8")).toBe("hand edited\n");

    const forced = await importer(SEED, "--out", out, "--date", "2013-08-04", "--force");
    expect(forced.code).toBe(0);
    expect(await readFile(file, "utf8")).toContain("title: Hamas patches up ties with Hezbollah, Iran\n");
  });

  it("on a full disk keeps the existing article under --force, and leaves no half article or temporary file", async () => {
    const file = path.join(out, SEED_TARGET);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "hand edited\n");
    const result = await importerOnFullDisk(SEED, "--out", out, "--date", "2013-08-04", "--force");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `failed ${SEED}: could not write ${file} (EFBIG: file too large, write); nothing was written and the existing article is unchanged`,
    );
    expect(await readFile(file, "utf8")).toBe("hand edited\n");
    expect(await readdir(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it("on a full disk writes no truncated article, so a retry succeeds", async () => {
    const failed = await importerOnFullDisk(SEED, "--out", out, "--date", "2013-08-04");
    expect(failed.code).toBe(1);
    expect(await readdir(path.join(out, "2013"))).toEqual([]);
    const retried = await importer(SEED, "--out", out, "--date", "2013-08-04");
    expect(retried.code, retried.stderr).toBe(0);
    const file = path.join(out, SEED_TARGET);
    expect(validateArticleText(file, await readFile(file, "utf8"))).toEqual([]);
  });

  it("writes nothing with --dry-run but prints the article", async () => {
    const result = await importer(SEED, "--out", out, "--date", "2013-08-04", "--dry-run");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("dry run: would write");
    expect(result.stdout).toContain("| title: Hamas patches up ties with Hezbollah, Iran\n");
    expect(await readdir(out)).toEqual([]);
  });

  it("imports a folder: bad files fail with reasons, the others are imported, and it exits 1", async () => {
    const input = path.join(out, "raw");
    await mkdir(input);
    for (const name of ["hamas-hezbollah-iran.txt", "latin1.txt", "empty.txt", "binary.txt", "no-dek-no-caption.txt"]) {
      await copyFile(path.join(projectRoot, "tests/fixtures/raw", name), path.join(input, name));
    }
    await writeFile(path.join(input, "notes.md"), "not raw text\n");
    const articles = path.join(out, "articles");
    const result = await importer(input, "--out", articles, "--date", "2013-08-04");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("import: imported 3, skipped 1, failed 2");
    expect(result.stderr).toContain("empty.txt: is empty");
    expect(result.stderr).toContain("binary.txt: looks like a binary file, not text");
    const written = (await readdir(path.join(articles, "2013"))).sort();
    expect(written).toEqual([
      "cafe-owners-protest-new-rules.md",
      "hamas-patches-up-ties-with-hezbollah-iran.md",
      "knesset-passes-budget-after-all-night-session.md",
    ]);
    for (const name of written) {
      const file = path.join(articles, "2013", name);
      expect(validateArticleText(file, await readFile(file, "utf8"))).toEqual([]);
    }
  });

  it("refuses to run without --date, saying the format, and writes nothing", async () => {
    const result = await importer(SEED, "--out", out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("import: --date is required");
    expect(result.stderr).toContain("--date YYYY-MM-DD");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await readdir(out)).toEqual([]);
  });

  it("rejects an unknown --section and --author with suggestions from --data, before writing anything", async () => {
    const result = await importer(
      SEED,
      "--out",
      out,
      "--data",
      DATA,
      "--date",
      "2013-08-04",
      "--section",
      "Wrold",
      "--author",
      "Ada Reportr",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`import: --author "Ada Reportr" is not a known author; did you mean "Ada Reporter"?`);
    expect(result.stderr).toContain(
      `import: --section "Wrold" is not a known section; did you mean "World"? the closest in ${path.join(DATA, "sections.yaml")} are "World"`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await readdir(out)).toEqual([]);
  });

  it("writes nothing that npm run check would reject, naming the field", async () => {
    const result = await importer(SEED, "--out", out, "--date", "2013-08-04", "--source-name", "The Times", "--source-url", "not a url");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("would not pass npm run check, so nothing was written");
    expect(result.stderr).toContain(`${path.join(out, SEED_TARGET)}:`);
    expect(result.stderr).toContain('source.url: "not a url" is not an http:// or https:// URL');
    expect(await readdir(out)).toEqual([]);
  });

  it("refuses an article whose URL an existing article of another file name already has", async () => {
    const other = path.join(out, "2013", "earlier-copy.md");
    await mkdir(path.dirname(other), { recursive: true });
    await writeFile(
      other,
      "---\ntitle: An earlier copy\nslug: hamas-patches-up-ties-with-hezbollah-iran\ndate: 2013-08-04\n---\n\nText.\n",
    );
    const result = await importer(SEED, "--out", out, "--date", "2013-08-04");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path.join(out, SEED_TARGET)}:2: title: has the same URL /2013/08/04/hamas-patches-up-ties-with-hezbollah-iran/ as ${path.relative(projectRoot, other)}`,
    );
    expect(await readdir(path.dirname(other))).toEqual(["earlier-copy.md"]);
  });

  it("refuses two inputs with the same headline in one run, naming both, and writes neither (even with --force)", async () => {
    const input = path.join(out, "raw");
    await mkdir(input);
    await copyFile(path.join(projectRoot, SEED), path.join(input, "first.txt"));
    await copyFile(path.join(projectRoot, SEED), path.join(input, "second.txt"));
    const articles = path.join(out, "articles");
    const existing = path.join(articles, SEED_TARGET);
    await mkdir(path.dirname(existing), { recursive: true });
    await writeFile(existing, "hand edited\n");
    const result = await importer(input, "--out", articles, "--date", "2013-08-04", "--force");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("import: imported 0, skipped 0, failed 2");
    const [first, second] = [path.join(input, "first.txt"), path.join(input, "second.txt")];
    expect(result.stderr).toContain(
      `failed ${first}: would be written to ${existing}, as would ${second} (same headline and year); neither was written`,
    );
    expect(result.stderr).toContain(`failed ${second}: would be written to ${existing}, as would ${first}`);
    expect(await readFile(existing, "utf8")).toBe("hand edited\n");
  });

  it("files an article under the year of its URL, in the site's time zone", async () => {
    const result = await importer(SEED, "--out", out, "--date", "2013-12-31T23:30:00+00:00");
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(out)).toEqual(["2014"]);
  });

  it("rejects an impossible --date before doing anything", async () => {
    const result = await importer(SEED, "--out", out, "--date", "2013-02-30");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--date "2013-02-30" is not a real date');
    expect(await readdir(out)).toEqual([]);
  });
});
