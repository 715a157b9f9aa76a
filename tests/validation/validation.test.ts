import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkArticleText, findUrlProblems, formatProblem, validateArchive, validateArticleText } from "../../src/validation/index.ts";
import { buildArchive, projectRoot } from "../helpers/build.ts";

const invalidArchive = path.join(projectRoot, "tests/fixtures/invalid/articles");
const lines = (file: string, text: string) => validateArticleText(file, text).map(formatProblem);

describe("validateArticleText", () => {
  it("reports malformed YAML with the file and line", () => {
    expect(lines("a.md", '---\ntitle: "Broken\ndate: 2013-08-04\n---\n')).toEqual([
      "a.md:3: front matter: malformed YAML: Missing closing \"quote (check indentation, closing quotes, and quote values containing ': ')",
    ]);
  });

  it("reports a missing title", () => {
    expect(lines("a.md", "---\ndate: 2013-08-04\n---\n")).toEqual(["a.md:1: title: is required but missing; add it to the front matter"]);
  });

  it("reports an impossible date", () => {
    expect(lines("a.md", "---\ntitle: T\ndate: 2013-02-30\n---\n")).toEqual([
      'a.md:3: date: "2013-02-30" is not a real date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM with an offset',
    ]);
  });

  it("reports a title that is not a string", () => {
    expect(lines("a.md", "---\ntitle: 42\ndate: 2013-08-04\n---\n")).toEqual([
      "a.md:2: title: must be text (the headline); quote it in YAML if it starts with a special character",
    ]);
  });

  it("reports an unknown field by name", () => {
    expect(lines("a.md", "---\ntitle: T\ndate: 2013-08-04\ntopcis: [Iran]\n---\n")).toEqual([
      "a.md:4: topcis: unknown field; check the spelling against the README's list of fields",
    ]);
  });

  it("reports a file without front matter", () => {
    expect(lines("a.md", "Just text\n")).toEqual([
      "a.md:1: front matter: missing; start the file with a --- block holding at least title and date",
    ]);
  });
});

describe("findUrlProblems", () => {
  const article = (file: string, title: string, date = "2013-08-04", draft = "") =>
    checkArticleText(file, `---\ntitle: "${title}"\ndate: ${date}\n${draft}---\n`);

  it("names both files when two articles would share a URL", () => {
    const problems = findUrlProblems([article("a.md", "Same story"), article("b.md", "Same  story!")], "UTC");
    expect(problems.map(formatProblem)).toEqual([
      "b.md:2: title: has the same URL /2013/08/04/same-story/ as a.md; change one of the headlines or dates",
    ]);
  });

  it("lets the same headline run on another day", () => {
    expect(findUrlProblems([article("a.md", "Same story"), article("b.md", "Same story", "2013-08-05")], "UTC")).toEqual([]);
  });

  it("ignores drafts, which get no URL", () => {
    expect(findUrlProblems([article("a.md", "Same story"), article("b.md", "Same story", "2013-08-04", "draft: true\n")], "UTC")).toEqual([]);
  });

  it("reports a headline that gives an empty slug instead of crashing the build", () => {
    expect(findUrlProblems([article("a.md", "!!!")], "UTC").map(formatProblem)).toEqual([
      "a.md:2: title: gives an empty URL slug; include letters or digits that can be written in Latin script",
    ]);
  });
});

describe("validateArchive", () => {
  it("lists every bad article in one run", async () => {
    const problems = await validateArchive(invalidArchive, { cwd: projectRoot, timezone: "UTC", dataDir: "tests/fixtures/data" });
    expect(problems.map((p) => path.basename(p.file))).toEqual([
      "impossible-date.md",
      "malformed-yaml.md",
      "missing-title.md",
      "title-not-string.md",
      "unknown-field.md",
    ]);
  });
});

describe("build with invalid articles", () => {
  it("exits non-zero, names every bad file and leaves the previous output as it was", async () => {
    const outputDir = await mkdtemp(path.join(tmpdir(), "broadsheet-previous-"));
    await writeFile(path.join(outputDir, "index.html"), "previous build");
    const build = await buildArchive(invalidArchive, outputDir);
    expect(build.exitCode).not.toBe(0);
    for (const name of ["impossible-date", "malformed-yaml", "missing-title", "title-not-string", "unknown-field"]) {
      expect(build.stderr).toContain(`tests/fixtures/invalid/articles/${name}.md:`);
    }
    expect(await readFile(path.join(outputDir, "index.html"), "utf8")).toBe("previous build");
  });
});
