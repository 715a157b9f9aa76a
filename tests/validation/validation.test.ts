import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import {
  checkArticleBytes,
  checkArticleText,
  findImageProblems,
  findNameProblems,
  findTopicProblems,
  findUrlProblems,
  formatProblem,
  validateArchive,
  validateArticleText,
} from "../../src/validation/index.ts";
import { buildArchive, projectRoot } from "../helpers/build.ts";
import { scratchFolder } from "../helpers/scratch.ts";
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

  it("reads front matter after a byte-order mark", () => {
    expect(lines("a.md", "\uFEFF---\r\ntitle: T\r\ndate: 2013-08-04\r\n---\r\nBody\r\n")).toEqual([]);
  });

  it("says that a front matter block is never closed", () => {
    expect(lines("a.md", "---\ntitle: T\ndate: 2013-08-04\n\nBody\n")).toEqual([
      "a.md:1: front matter: the --- block that starts on line 1 is never closed; end the front matter with a line of three hyphens (---) before the body",
    ]);
  });

  it("reports front matter that is not a mapping of fields", () => {
    expect(lines("a.md", "---\n- title\n---\n")).toEqual([
      "a.md:2: front matter: must be fields written as name: value, one a line, holding at least title and date",
    ]);
  });

  it("reports a YAML alias bomb as a problem on its line", () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: [${Array(10).fill("*b").join(", ")}]`;
    expect(lines("a.md", `---\ntitle: T\ndate: 2013-08-04\n${bomb}\n---\n`)).toEqual([
      `a.md:5: front matter: malformed YAML: Excessive alias count indicates a resource exhaustion attack (more than 100 values copied through & and * aliases); write the values out instead of using aliases (check indentation, closing quotes, and quote values containing ': ')`,
    ]);
  });

  it("suggests the field probably meant for an unknown one, nested ones too", () => {
    expect(lines("a.md", "---\ntitle: T\ndate: 2013-08-04\nimage:\n  src: https://images.test/a.jpg\n  atl: A street\n---\n")).toContain(
      'a.md:4: image.atl: unknown field; did you mean "alt"? (see the README\'s list of fields)',
    );
  });

  it("reports a headline whose URL segment is too long for a file name, suggesting a shorter slug", () => {
    const title = "中".repeat(90);
    expect(lines("a.md", `---\ntitle: ${title}\ndate: 2013-08-04\n---\n`)).toEqual([
      `a.md:2: title: gives the URL segment "${title}" of 270 bytes, more than a file name may safely have (200); set a shorter slug field, e.g. "slug: ${"中".repeat(20)}"`,
    ]);
  });

  it("reports a slug field that is too long for a file name", () => {
    const slug = Array(30).fill("word").join("-").concat("-", "x".repeat(60));
    expect(lines("a.md", `---\ntitle: T\nslug: ${slug}\ndate: 2013-08-04\n---\n`)).toEqual([
      `a.md:3: slug: gives the URL segment "${slug}" of 210 bytes, more than a file name may safely have (200); set a shorter slug field, e.g. "slug: ${Array(12).fill("word").join("-")}"`,
    ]);
  });

  it("reports an alias holding a NUL, which would cut a file name short mid-write", () => {
    expect(lines("a.md", '---\ntitle: T\ndate: 2013-08-04\naliases: ["/2013/08/04/old\\0/"]\n---\n')).toEqual([
      'a.md:4: aliases.0: "/2013/08/04/old\\u0000/" contains a control character (U+0000); remove it',
    ]);
  });
});

describe("checkArticleBytes", () => {
  it("checks the bytes' UTF-8 text as checkArticleText does, with the bytes' own digest", () => {
    const text = "\uFEFF---\r\ntitle: Café\r\ndate: 2013-08-04\r\n---\r\nBody.\r\n";
    const bytes = Buffer.from(text, "utf8");
    const { lineOf, ...checked } = checkArticleBytes("a.md", bytes);
    const { lineOf: textLineOf, ...fromText } = checkArticleText("a.md", text);
    expect(checked).toEqual(fromText);
    expect(lineOf("date")).toBe(textLineOf("date"));
    expect(checked.digest).toBe(createHash("sha256").update(bytes).digest("hex"));
  });
});

describe("checkArticleText", () => {
  it("returns the body the page is made from, with its first line", () => {
    const checked = checkArticleText("a.md", "---\r\ntitle: T\r\ndate: 2013-08-04\r\n---\r\n\r\nBody with [a link](/x/).\r\n");
    expect(checked.body).toBe("\nBody with [a link](/x/).\n");
    expect(checked.bodyLine).toBe(5);
    expect(checked.linkBody).toEqual({ text: checked.body, line: 5 });
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
    expect(findUrlProblems([article("a.md", "Same story"), article("b.md", "Same story", "2013-08-04", "draft: true\n")], "UTC")).toEqual(
      [],
    );
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
    findNameProblems(checkArticleText("a.md", `---\ntitle: T\ndate: 2013-08-04\n${frontMatter}\n---\n`), directory, "data").map(
      formatProblem,
    );

  it("reports an unknown author, suggesting the one probably meant", () => {
    expect(names("authors: [Ada Reporter, Ada Reportr]")).toEqual([
      'a.md:4: authors.1: "Ada Reportr" is not a known author; did you mean "Ada Reporter"? If not, add them to data/authors.yaml',
    ]);
  });

  it("reports an unknown section, listing the known ones when none is close", () => {
    expect(names("section: Sport")).toEqual([
      'a.md:4: section: "Sport" is not a known section; use one of "World", or add it to data/sections.yaml',
    ]);
  });

  it("reports a topic that gives an empty slug", () => {
    expect(names('topics: [Iran, "!!!"]')).toEqual(['a.md:4: topics.1: "!!!" gives an empty URL slug; a topic needs letters or digits']);
  });

  it("lists only the closest few known names when none is close, however many there are", () => {
    const many = Array.from({ length: 80 }, (_, index) => `Staff Writer ${index + 1}`);
    const [problem] = findNameProblems(
      checkArticleText("a.md", "---\ntitle: T\ndate: 2013-08-04\nauthors: [Qx]\n---\n"),
      { authors: many },
      "data",
    );
    expect(problem?.message).toMatch(
      /^"Qx" is not a known author; use one of "Staff Writer \d+", "Staff Writer \d+", "Staff Writer \d+", "Staff Writer \d+" or "Staff Writer \d+" \(the closest of 80\), or add them to data\/authors\.yaml$/,
    );
  });

  it("does not check names against a directory file that could not be read", () => {
    expect(
      findNameProblems(checkArticleText("a.md", "---\ntitle: T\ndate: 2013-08-04\nauthors: [Ada]\nsection: World\n---\n"), {}, "data"),
    ).toEqual([]);
  });

  it("reports a topic whose URL segment is too long for a file name", () => {
    expect(names(`topics: [${"話".repeat(70)}]`)).toEqual([
      `a.md:4: topics.0: "${"話".repeat(70)}" gives a URL segment of 210 bytes, more than a file name may safely have (200); shorten the topic`,
    ]);
  });

  it("accepts known names", () => {
    expect(names("authors: [Ada Reporter]\nsection: World\ntopics: [Iran]")).toEqual([]);
  });
});

describe("findTopicProblems", () => {
  const article = (file: string, topics: string, draft = "") =>
    checkArticleText(file, `---\ntitle: ${file}\ndate: 2013-08-04\n${draft}topics: ${topics}\n---\n`);

  it("reports topics spelt differently that would share a page, naming both files", () => {
    expect(findTopicProblems([article("a.md", "[C++, Iran]"), article("b.md", "[Iran, C]")]).map(formatProblem)).toEqual([
      'b.md:4: topics.1: "C" has the same page /topics/c/ as the topic "C++" in a.md, so the two would be merged; use one spelling, or reword one so that their letters and digits differ',
    ]);
  });

  it("counts drafts too, so a clash is found before it is published", () => {
    expect(findTopicProblems([article("a.md", "[José García]"), article("b.md", "[Jose Garcia]", "draft: true\n")])).toHaveLength(1);
  });

  it("keeps topics that differ only in case and spacing as one topic", () => {
    expect(
      findTopicProblems([
        article("a.md", "[Hezbollah]"),
        article("b.md", '[hezbollah, " HEZBOLLAH "]'),
        article("c.md", '["Middle  East", middle east]'),
      ]),
    ).toEqual([]);
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

  describe("on files", () => {
    const scratch = scratchFolder("broadsheet-images-");
    let articles: string;
    beforeAll(async () => {
      articles = path.join(scratch(), "articles");
      await mkdir(path.join(articles, "2013"), { recursive: true });
      await mkdir(path.join(articles, "2012"), { recursive: true });
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#888" } })
        .png()
        .toBuffer();
      await writeFile(path.join(articles, "2013/photo.png"), png);
      await writeFile(path.join(articles, "2012/older.png"), png);
      await writeFile(path.join(scratch(), "outside.png"), png);
      await symlink(path.join(scratch(), "outside.png"), path.join(articles, "2013/linked.png"));
      await symlink(path.join(articles, "2012/older.png"), path.join(articles, "2013/inside-link.png"));
      await writeFile(path.join(articles, "2013/notes.jpg"), "these are notes, not a photo\n");
      await writeFile(path.join(articles, "2013/drawing.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    });
    const check = (src: string) =>
      findImageProblems(image(src), path.join(articles, "2013/a.md"), { articlesDir: articles, cwd: scratch() }).then((problems) =>
        problems.map(formatProblem),
      );

    it("accepts an image beside the article, elsewhere in the articles folder, or linked within it", async () => {
      for (const src of ["photo.png", "../2012/older.png", "inside-link.png"]) expect(await check(src), src).toEqual([]);
    });

    it("refuses a path that climbs out of the articles folder", async () => {
      expect(await check("../../outside.png")).toEqual([
        'a.md:4: image.src: "../../outside.png" leads out of the articles folder articles (to outside.png); put the photo in that folder, beside the article',
      ]);
    });

    it("refuses a symbolic link to a file outside the articles folder", async () => {
      expect(await check("linked.png")).toEqual([
        `a.md:4: image.src: "linked.png" is a link to ${path.join(scratch(), "outside.png")}, outside the articles folder; copy the photo into the folder instead of linking to it`,
      ]);
    });

    it("reports a file that is not an image, naming the article", async () => {
      expect(await check("notes.jpg")).toEqual([
        'a.md:4: image.src: "notes.jpg" is not an image that can be read (Input file contains unsupported image format); use a JPEG, PNG, WebP, AVIF, GIF or TIFF file',
      ]);
    });

    it("reports an image in a format the build does not take", async () => {
      expect(await check("drawing.svg")).toEqual([
        'a.md:4: image.src: "drawing.svg" is in SVG format, which the build does not take; export it as JPEG (the build takes JPEG, PNG, WebP, AVIF, GIF and TIFF)',
      ]);
    });

    it("reports a folder named as the image", async () => {
      expect(await check("../2012")).toEqual(['a.md:4: image.src: "../2012" is a folder, not an image file; name the photo itself']);
    });
  });

  it("does not fetch absolute image URLs", async () => {
    expect(
      await findImageProblems(image("https://images.test/a.jpg"), path.join(projectRoot, "a.md"), { articlesDir: ".", cwd: projectRoot }),
    ).toEqual([]);
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

describe("validateArchive on a scratch archive", () => {
  const scratch = scratchFolder("broadsheet-validate-");

  it("lists a broken directory file's problems, an alias bomb and other articles' problems in one run", async () => {
    const root = scratch();
    await mkdir(path.join(root, "articles"));
    await mkdir(path.join(root, "data"));
    await writeFile(path.join(root, "data/authors.yaml"), "- name: Ada\n  bio: Writes.\n- name: Ben\n");
    await writeFile(path.join(root, "data/sections.yaml"), "- name: World\n  description: Abroad.\n");
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: [${Array(10).fill("*b").join(", ")}]`;
    await writeFile(path.join(root, "articles/bomb.md"), `---\ntitle: T\ndate: 2013-08-04\n${bomb}\n---\n`);
    await writeFile(
      path.join(root, "articles/other.md"),
      "---\ntitle: Other\ndate: 2013-08-04T10:00\nauthors: [Ben, Ada]\nsection: Wrold\n---\n",
    );
    const problems = await validateArchive("articles", { cwd: root, timezone: "UTC", dataDir: "data" });
    expect(problems.map(formatProblem)).toEqual([
      "data/authors.yaml:3: entry 2, bio: must be text (one or two sentences about the author)",
      expect.stringMatching(/^articles\/bomb\.md:5: front matter: malformed YAML: Excessive alias count/),
      'articles/other.md:3: date: "2013-08-04T10:00" has a time but no UTC offset, so its moment is unknown; add the offset, e.g. 2013-08-04T10:00+03:00 (or 2013-08-04T10:00Z for UTC)',
    ]);
    await writeFile(
      path.join(root, "articles/other.md"),
      "---\ntitle: Other\ndate: 2013-08-04\nauthors: [Ben, Ada]\nsection: Wrold\n---\n",
    );
    expect((await validateArchive("articles", { cwd: root, timezone: "UTC", dataDir: "data" })).map(formatProblem).slice(2)).toEqual([
      'articles/other.md:5: section: "Wrold" is not a known section; did you mean "World"? If not, add it to data/sections.yaml',
    ]);
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
