import { describe, expect, it } from "vitest";
import { EDITED_SENTENCE, appendParagraph, frontMatterDate, markDraft, newestArticle, pickEditTargets } from "../../scripts/bench/edits.ts";
import { DEFAULT_END_DATE, generateArticles, generateDirectory } from "../../scripts/bench/generator/index.ts";
import { splitArticle } from "../../src/articles/frontMatter.ts";

const article = '---\ntitle: "A headline"\ndate: 2020-03-14T23:42:00Z\ntopics: ["Trade"]\n---\n\nFirst paragraph.\n\nLast paragraph.\n';

describe("pickEditTargets", () => {
  const files = [
    { file: "2003/c.md", date: "2003-01-01T00:00Z" },
    { file: "2025/newest.md", date: "2025-12-30T10:00Z" },
    { file: "2001/a.md", date: "2001-01-01T00:00Z" },
    { file: "2010/mid.md", date: "2010-06-01T00:00Z" },
    { file: "2020/b.md", date: "2020-01-01T00:00Z" },
  ];

  it("edits the newest article and retracts the middle one of the others", () => {
    expect(pickEditTargets(files)).toEqual({ edit: "2025/newest.md", retract: "2010/mid.md" });
  });

  it("never picks the same article twice", () => {
    const two = files.slice(0, 2);
    const picked = pickEditTargets(two);
    expect(picked.edit).not.toBe(picked.retract);
  });

  it("needs two articles", () => {
    expect(() => pickEditTargets(files.slice(0, 1))).toThrow(/at least 2/);
  });
});

describe("frontMatterDate", () => {
  it("reads the date line of the front matter only", () => {
    expect(frontMatterDate(article)).toBe("2020-03-14T23:42:00Z");
    expect(frontMatterDate("---\ntitle: x\n---\ndate: 2020-01-01\n")).toBeUndefined();
    expect(frontMatterDate("no front matter")).toBeUndefined();
  });
});

describe("appendParagraph", () => {
  it("adds the sentence as the body's last paragraph", () => {
    expect(appendParagraph(article, EDITED_SENTENCE)).toBe(`${article.trimEnd()}\n\n${EDITED_SENTENCE}\n`);
  });
});

describe("markDraft", () => {
  it("adds draft: true to the front matter, which the project's parser then reads", () => {
    const drafted = markDraft(article);
    expect(drafted.startsWith("---\ndraft: true\ntitle:")).toBe(true);
    expect(splitArticle(drafted).data).toMatchObject({ draft: true, title: "A headline" });
  });

  it("refuses a file without front matter or already marked", () => {
    expect(() => markDraft("Just text.\n")).toThrow(/no front matter/);
    expect(() => markDraft(markDraft(article))).toThrow(/already/);
  });
});

describe("newestArticle", () => {
  const existing = [...generateArticles(generateDirectory(1), { articles: 50, seed: 1 })];
  const added = newestArticle(1, new Set(existing.map((generated) => generated.slug)));

  it("is dated after every generated article and before the end date", () => {
    const date = frontMatterDate(added.text) ?? "";
    expect(existing.every((generated) => generated.date < date)).toBe(true);
    expect(Date.parse(date)).toBeLessThan(Date.parse(DEFAULT_END_DATE));
    expect(added.file.startsWith(`${date.slice(0, 4)}/`)).toBe(true);
  });

  it("has a slug of its own", () => {
    const slug = added.file.slice(5, -3);
    expect(existing.map((generated) => generated.slug)).not.toContain(slug);
    expect(newestArticle(1, new Set([slug])).file).not.toBe(added.file);
  });

  it("is the same article every time", () => {
    expect(newestArticle(1, new Set())).toEqual(newestArticle(1, new Set()));
  });
});
