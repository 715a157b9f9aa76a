import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkArticleText, findImageProblems, findNameProblems, findUrlProblems, formatProblem, validateArchive, validateArticleText } from "../../src/validation/index.ts";
import { buildArchive, projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

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
      'a.md:4: topcis: unknown field; did you mean "topics"? (see the README\'s list of fields)',
    ]);
  });

  it("reports a slug field that is not a slug", () => {
    expect(lines("a.md", "---\ntitle: T\nslug: Not_A Slug\ndate: 2013-08-04\n---\n")).toEqual([
      "a.md:3: slug: must be lower-case words joined by single hyphens, e.g. hamas-patches-up-ties",
    ]);
  });

  it("reports an image src without alt text", () => {
    expect(lines("a.md", "---\ntitle: T\ndate: 2013-08-04\nimage:\n  src: https://images.test/a.jpg\n---\n")).toEqual([
      "a.md:4: image.alt: has a src but no alt; describe the picture in image.alt for readers who cannot see it",
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
      "b.md:2: title: has the same URL /2013/08/04/same-story/ as a.md; change the slug, headline or date of one of them",
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
      "a.md:2: title: gives an empty URL slug; include letters or digits, or set a slug field",
    ]);
  });
});

describe("findNameProblems", () => {
  const directory = { authors: ["Ada Reporter", "Ben Correspondent"], sections: ["World"] };
  const names = (frontMatter: string) =>
    findNameProblems(checkArticleText("a.md", `---\ntitle: T\ndate: 2013-08-04\n${frontMatter}\n---\n`), directory, "data").map(formatProblem);

  it("reports an unknown author, suggesting the one probably meant", () => {
    expect(names("authors: [Ada Reporter, Ada Reportr]")).toEqual([
      'a.md:4: authors.1: "Ada Reportr" is not a known author; did you mean "Ada Reporter"? If not, add them to data/authors.yaml',
    ]);
  });

  it("reports an unknown section, listing the known ones when none is close", () => {
    expect(names("section: Sport")).toEqual(['a.md:4: section: "Sport" is not a known section; use one of "World", or add it to data/sections.yaml']);
  });

  it("reports a topic that gives an empty slug", () => {
    expect(names('topics: [Iran, "!!!"]')).toEqual(['a.md:4: topics.1: "!!!" gives an empty URL slug; a topic needs letters or digits']);
  });

  it("accepts known names", () => {
    expect(names("authors: [Ada Reporter]\nsection: World\ntopics: [Iran]")).toEqual([]);
  });
});

describe("findImageProblems", () => {
  const image = (src: string) => checkArticleText("a.md", `---\ntitle: T\ndate: 2013-08-04\nimage:\n  src: ${src}\n  alt: A street\n---\n`);

  it("reports an image file that is not beside the article", async () => {
    const problems = await findImageProblems(image("missing.jpg"), path.join(projectRoot, "tests/fixtures/invalid/articles/a.md"), {
      articlesDir: "tests/fixtures/invalid/articles",
      cwd: projectRoot,
    });
    expect(problems.map(formatProblem)).toEqual([
      'a.md:4: image.src: "missing.jpg" is not a file beside the article (looked for tests/fixtures/invalid/articles/missing.jpg); fix the path or use an absolute URL',
    ]);
  });

  it("does not fetch absolute image URLs", async () => {
    expect(await findImageProblems(image("https://images.test/a.jpg"), path.join(projectRoot, "a.md"), { articlesDir: ".", cwd: projectRoot })).toEqual([]);
  });
});

/**
 * Every invalid fixture with the start of the problem the build reports for it, in the order validation
 * lists them: each file's own problems in file order, then URL clashes. Links are checked by `npm run check` only.
 */
const BUILD_PROBLEMS = [
  "bad-slug.md:3: slug:",
  "empty-topic-slug.md:4: topics.1:",
  "image-without-alt.md:4: image.alt:",
  "impossible-date.md:3: date:",
  "malformed-yaml.md:3: front matter:",
  "missing-image.md:4: image.src:",
  "missing-title.md:1: title:",
  "no-front-matter.md:1: front matter:",
  "title-not-string.md:2: title:",
  "unknown-author.md:4: authors.1:",
  "unknown-field.md:4: topcis:",
  "unknown-section.md:4: section:",
  "duplicate-second.md:2: title: has the same URL /2013/08/05/same-headline/ as tests/fixtures/invalid/articles/duplicate-first.md",
];

describe("validateArchive", () => {
  it("lists every bad article in one run", async () => {
    const problems = await validateArchive(invalidArchive, { cwd: projectRoot, timezone: "UTC", dataDir: "tests/fixtures/data" });
    const located = problems.map(formatProblem).map((line) => line.replace("tests/fixtures/invalid/articles/", ""));
    expect(located).toHaveLength(BUILD_PROBLEMS.length);
    BUILD_PROBLEMS.forEach((start, index) => expect(located[index]?.startsWith(start), located[index]).toBe(true));
  });
});

describe("build with invalid articles", () => {
  it("exits non-zero, names every bad file and leaves the previous output as it was", async () => {
    const outputDir = await mkdtemp(path.join(testTmpdir(), "broadsheet-previous-"));
    await writeFile(path.join(outputDir, "index.html"), "previous build");
    const build = await buildArchive(invalidArchive, outputDir);
    expect(build.exitCode).not.toBe(0);
    for (const problem of BUILD_PROBLEMS) expect(build.stderr).toContain(`tests/fixtures/invalid/articles/${problem}`);
    expect(await readFile(path.join(outputDir, "index.html"), "utf8")).toBe("previous build");
  }, 60_000);
});
