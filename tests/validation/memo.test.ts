// The article checks kept between builds: the same bytes give the same checked article, changed bytes are checked again.
import { mkdir, mkdtemp, readFile, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { articlePath, articleSlug } from "../../src/articles/permalink.ts";
import { formatIsoDate } from "../../src/dates/index.ts";
import { type CheckedArticle, articleHashOf, checkArticleText } from "../../src/validation/index.ts";
import { siteLinks } from "../../src/validation/links.ts";
import {
  CheckedMemo,
  type KeptArticle,
  type MemoHeader,
  type MemoSite,
  PREFILL_MIN_FILES,
  SETTLED_MS,
  fileSignature,
  readMemo,
} from "../../src/validation/memo.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const ARTICLE = "---\ntitle: A story\ndate: 2024-01-05\ntopics: [Iran]\n---\nIt happened [here](https://example.org/).\n";
const SITE: MemoSite = { siteUrl: "https://example.org", timezone: "Asia/Jerusalem" };

/** The keys of the entries in a memo file. */
async function keysIn(file: string): Promise<string[]> {
  return [...readMemo(await readFile(file), JSON.parse((await readFile(file, "utf8")).split("\n")[0] ?? "") as MemoHeader).keys()];
}

/** What a checked article holds, its line lookup asked for each field. */
function plain(checked: CheckedArticle) {
  const { lineOf, ...rest } = checked;
  return { ...rest, lines: ["title", "date", "topics", "dek"].map((field) => lineOf(field)) };
}

/**
 * What the memo gives for an article a fresh check gives `checked` for: the same, but with its links to the site found
 * and without its body (which the build reads again when it renders the article).
 */
function fromMemo(checked: CheckedArticle) {
  const { linkBody, ...rest } = plain(checked);
  return {
    ...rest,
    body: undefined,
    ...(checked.article && { articleHash: articleHashOf(checked.article) }),
    ...(linkBody && { links: siteLinks(linkBody.text, linkBody.line, SITE.siteUrl) }),
  };
}

describe("CheckedMemo", () => {
  it("gives a file with the same bytes the checked article a fresh check gives, from the memo a later run opens", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const first = await CheckedMemo.open(file, SITE);
    const fresh = checkArticleText("a.md", ARTICLE);
    expect(plain(first.check("a.md", ARTICLE))).toEqual(fromMemo(fresh));
    await first.save();
    const second = await CheckedMemo.open(file, SITE);
    const remembered = second.check("a.md", ARTICLE);
    expect(plain(remembered)).toEqual(fromMemo(fresh));
    expect(remembered.body).toBeUndefined();
    expect(remembered.links).toEqual([{ path: "/", line: 6 }]);
    const [header, ...entries] = (await readFile(file, "utf8")).trimEnd().split("\n");
    expect(JSON.parse(header ?? "")).toEqual({ code: expect.any(String) as unknown, ...SITE, tzdata: process.versions.tz ?? "" });
    expect(JSON.parse(entries[0] ?? "")).toMatchObject([expect.any(String), { path: "/2024/01/05/a-story/" }]);
    expect(entries.map((line) => (JSON.parse(line) as [string, unknown])[0])).toEqual([expect.stringMatching(/^a\.md\0[0-9a-f]{64}$/)]);
  });

  it("gives each article the URL path it kept for the site's time zone", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const first = await CheckedMemo.open(file, SITE);
    first.check("a.md", ARTICLE);
    await first.save();
    // A path no build would make for this article shows that the kept one is used rather than made again.
    const [header, entry] = (await readFile(file, "utf8")).trimEnd().split("\n");
    const [key, kept] = JSON.parse(entry ?? "") as [string, { path: string }];
    await writeFile(file, `${header}\n${JSON.stringify([key, { ...kept, path: "/kept/path/" }])}\n`);
    const article = (await CheckedMemo.open(file, SITE)).check("a.md", ARTICLE).article;
    if (!article) throw new Error("the memo gave no article");
    expect(articlePath(article, SITE.timezone)).toBe("/kept/path/");
    expect(articleSlug(article)).toBe("path");
    // In another zone the day is found again; the slug, of the same title, is still the kept one.
    expect(articlePath(article, "America/New_York")).toBe("/2024/01/05/path/");
  });

  it("tells the date formatter the zoned dates it kept, for that zone", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const text = ARTICLE.replace("date: 2024-01-05", "date: 2024-01-06T09:30:00Z\nupdated: 2024-01-07T10:00:00Z");
    const first = await CheckedMemo.open(file, SITE);
    first.check("z.md", text);
    await first.save();
    const [header, entry] = (await readFile(file, "utf8")).trimEnd().split("\n");
    const [key, kept] = JSON.parse(entry ?? "") as [string, KeptArticle];
    expect(kept.isoDates).toEqual({
      "2024-01-06T09:30:00Z": "2024-01-06T11:30:00.000+02:00",
      "2024-01-07T10:00:00Z": "2024-01-07T12:00:00.000+02:00",
    });
    // A text no formatter would make shows that the kept one is used.
    await writeFile(file, `${header}\n${JSON.stringify([key, { ...kept, isoDates: { "2024-01-06T09:30:00Z": "kept" } }])}\n`);
    (await CheckedMemo.open(file, SITE)).check("z.md", text);
    expect(formatIsoDate("2024-01-06T09:30:00Z", SITE.timezone)).toBe("kept");
    expect(formatIsoDate("2024-01-06T09:30:00Z", "UTC")).toBe("2024-01-06T09:30:00.000Z");
  });

  it("checks changed bytes again, keeps no article with problems, and keeps only what the last run read", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const memo = await CheckedMemo.open(file, SITE);
    memo.check("a.md", ARTICLE);
    expect(memo.check("a.md", ARTICLE.replace("A story", "Another story")).article?.title).toBe("Another story");
    expect(memo.check("bad.md", "---\ntitle: No date\n---\n").problems).not.toEqual([]);
    await memo.save();
    const kept = await keysIn(file);
    expect(kept).toHaveLength(2);
    expect(kept.every((key) => key.startsWith("a.md\0"))).toBe(true);
  });

  it("leaves the file alone after a run that found every file in it and used all of it", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const first = await CheckedMemo.open(file, SITE);
    first.check("a.md", ARTICLE);
    first.check("b.md", ARTICLE);
    await first.save();
    const written = await stat(file);
    const same = await CheckedMemo.open(file, SITE);
    same.check("a.md", ARTICLE);
    same.check("b.md", ARTICLE);
    await same.save();
    expect((await stat(file)).ino).toBe(written.ino);
    const fewer = await CheckedMemo.open(file, SITE);
    fewer.check("a.md", ARTICLE);
    await fewer.save();
    expect((await stat(file)).ino).not.toBe(written.ino);
    expect(await keysIn(file)).toHaveLength(1);
  });

  it("starts empty from a memo written by other code or cut short", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    await writeFile(file, `${JSON.stringify({ code: "older code" })}\n${JSON.stringify(["a.md\0x", {}])}\n`);
    const memo = await CheckedMemo.open(file, SITE);
    expect(memo.check("a.md", ARTICLE).problems).toEqual([]);
    await writeFile(file, '{"code": "cut sh');
    await expect(CheckedMemo.open(file, SITE)).resolves.toBeInstanceOf(CheckedMemo);
  });
});

describe("CheckedMemo.checkFile", () => {
  /** The signatures the memo file keeps, by file. */
  async function seenIn(file: string): Promise<Record<string, string | undefined>> {
    const [, ...entries] = (await readFile(file, "utf8")).trimEnd().split("\n");
    return Object.fromEntries(
      entries.map((line) => {
        const [key, kept] = JSON.parse(line) as [string, KeptArticle];
        return [key.split("\0")[0] ?? "", kept.seen];
      }),
    );
  }

  /** A memo file's place and an article file `a.md` holding ARTICLE, in a new folder. */
  async function articleOnDisk(): Promise<{ memoFile: string; article: string }> {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-"));
    const article = path.join(root, "a.md");
    await writeFile(article, ARTICLE);
    return { memoFile: path.join(root, "articles.jsonl"), article };
  }

  /** A clock a minute ahead: a file just written was written long enough before the run for its signature to be kept. */
  const later = () => Date.now() + 60_000;

  it("keeps the signature of a settled file, and reads a file again once anything wrote to it", async () => {
    const { memoFile, article } = await articleOnDisk();
    const first = await CheckedMemo.open(memoFile, SITE, later);
    expect(plain(first.checkFile("a.md", article))).toEqual(fromMemo(checkArticleText("a.md", ARTICLE)));
    await first.save();
    const written = await stat(article);
    expect(await seenIn(memoFile)).toEqual({ "a.md": fileSignature(written) });

    const second = await CheckedMemo.open(memoFile, SITE, later);
    expect(second.checkFile("a.md", article).article?.title).toBe("A story");
    // The same size and modification time, other bytes: the change time tells.
    await writeFile(article, ARTICLE.replace("A story", "B story"));
    await utimes(article, written.atime, written.mtime);
    expect(second.checkFile("a.md", article).article?.title).toBe("B story");
  });

  it("keeps no signature for a file changed less than SETTLED_MS before the run, and reads it every time", async () => {
    const { memoFile, article } = await articleOnDisk();
    const justAfter = () => Date.now() + SETTLED_MS / 2;
    const first = await CheckedMemo.open(memoFile, SITE, justAfter);
    first.checkFile("a.md", article);
    await first.save();
    expect(await seenIn(memoFile)).toEqual({ "a.md": undefined });
    // The same bytes read in a later run, once the file has settled, get the signature kept.
    const settled = await CheckedMemo.open(memoFile, SITE, later);
    settled.checkFile("a.md", article);
    await settled.save();
    expect(await seenIn(memoFile)).toEqual({ "a.md": fileSignature(await stat(article)) });
  });

  it("gives the same archive digest whether it read the files or knew them", async () => {
    const { memoFile, article } = await articleOnDisk();
    const first = await CheckedMemo.open(memoFile, SITE, later);
    first.checkFile("a.md", article);
    const read = first.readDigest();
    await first.save();
    const second = await CheckedMemo.open(memoFile, SITE, later);
    second.checkFile("a.md", article);
    expect(second.readDigest()).toBe(read);
  });
});

describe("CheckedMemo.prefill", () => {
  it("checks the files on a worker thread into the memo, which then gives the article a fresh check gives", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-"));
    await mkdir(path.join(root, "articles"));
    const files = Array.from({ length: PREFILL_MIN_FILES }, (_, index) => `articles/a${index}.md`);
    const texts = files.map((_, index) => ARTICLE.replace("A story", `Story ${index}`));
    await Promise.all(files.map((file, index) => writeFile(path.join(root, file), texts[index] ?? "")));
    const memoFile = path.join(root, "articles.jsonl");
    const memo = await CheckedMemo.open(memoFile, SITE);
    await memo.prefill(files, root);
    // Only the worker checked them: saving keeps what this run read, so read them all first.
    const last = files.length - 1;
    expect(plain(memo.check(files[last] ?? "", texts[last] ?? ""))).toEqual(
      fromMemo(checkArticleText(files[last] ?? "", texts[last] ?? "")),
    );
    for (const [index, file] of files.entries()) memo.check(file, texts[index] ?? "");
    await memo.save();
    expect(await keysIn(memoFile)).toHaveLength(PREFILL_MIN_FILES);
  });

  it("is not started for fewer files, nor when the memo already knows as many articles", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-"));
    const memo = await CheckedMemo.open(path.join(root, "articles.jsonl"), SITE);
    expect(memo.prefill(["a.md"], root)).toBeUndefined();
    const many = Array.from({ length: PREFILL_MIN_FILES }, (_, index) => `a${index}.md`);
    for (const file of many) memo.check(file, ARTICLE.replace("A story", file));
    await memo.save();
    expect(memo.prefill(many, root)).toBeUndefined();
  });

  it("fails with the worker's error when a file cannot be read", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-"));
    const memo = await CheckedMemo.open(path.join(root, "articles.jsonl"), SITE);
    const missing = Array.from({ length: PREFILL_MIN_FILES }, (_, index) => `gone${index}.md`);
    await expect(memo.prefill(missing, root)).rejects.toThrow("gone0.md");
  });
});

describe("CheckedMemo.save", () => {
  it("appends what an edit checked anew, and writes the file whole once a quarter of it is of unused entries", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const names = ["a.md", "b.md", "c.md", "d.md"];
    const first = await CheckedMemo.open(file, SITE);
    for (const name of names) first.check(name, ARTICLE);
    await first.save();
    const written = await readFile(file);
    const edit = async (name: string, title: string) => {
      const memo = await CheckedMemo.open(file, SITE);
      for (const other of names) memo.check(other, other === name ? ARTICLE.replace("A story", title) : ARTICLE);
      await memo.save();
    };
    await edit("a.md", "Edited story");
    const appended = await readFile(file);
    expect(appended.subarray(0, written.length).equals(written)).toBe(true);
    expect(appended.toString("utf8").trimEnd().split("\n")).toHaveLength(1 + names.length + 1);
    expect(await keysIn(file)).toHaveLength(names.length + 1);
    // A second unused entry would make two of six lines unused: the file is written whole, with the entries in use.
    await edit("b.md", "Another edit");
    expect((await readFile(file, "utf8")).trimEnd().split("\n")).toHaveLength(1 + names.length);
    const reopened = await CheckedMemo.open(file, SITE);
    expect(reopened.check("b.md", ARTICLE.replace("A story", "Another edit")).article?.title).toBe("Another edit");
  });

  it("writes the file whole when another run has replaced it since this one read it", async () => {
    const file = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-memo-")), "articles.jsonl");
    const first = await CheckedMemo.open(file, SITE);
    first.check("a.md", ARTICLE);
    first.check("b.md", ARTICLE);
    await first.save();
    const memo = await CheckedMemo.open(file, SITE);
    // Another run writes the file anew meanwhile, for another site: its lines must not be appended to.
    const other = await CheckedMemo.open(file, { ...SITE, siteUrl: "https://other.example" });
    other.check("a.md", ARTICLE);
    await other.save();
    memo.check("a.md", ARTICLE);
    memo.check("b.md", ARTICLE.replace("A story", "B story"));
    await memo.save();
    const [header] = (await readFile(file, "utf8")).split("\n");
    expect(JSON.parse(header ?? "")).toMatchObject({ siteUrl: SITE.siteUrl });
    expect(await keysIn(file)).toHaveLength(2);
  });
});

describe("readMemo", () => {
  it("reads a line an entry, the last of a repeated key, and stops at a header of other code", () => {
    const entry = { article: { title: "A", date: "2024-01-05" }, lines: { title: 2 }, bodyLine: 5 };
    const header: MemoHeader = { code: "c", ...SITE, tzdata: "2024a" };
    const text = `${JSON.stringify(header)}\n${JSON.stringify(["a.md\0k", entry])}\n${JSON.stringify(["b.md\0k", entry])}\n`;
    expect([...readMemo(Buffer.from(text), header).keys()]).toEqual(["a.md\0k", "b.md\0k"]);
    expect(readMemo(Buffer.from(text), { ...header, code: "other" }).size).toBe(0);
    expect(readMemo(Buffer.from(text), { ...header, siteUrl: "https://other.example" }).size).toBe(0);
    expect(readMemo(Buffer.from(text), { ...header, timezone: "UTC" }).size).toBe(0);
    expect(readMemo(Buffer.from(text), { ...header, tzdata: "2025b" }).size).toBe(0);
    const again = `${text}${JSON.stringify(["a.md\0k", { ...entry, seen: "1:2:3:4:5" }])}\n`;
    expect(readMemo(Buffer.from(again), header).get("a.md\0k")?.seen).toBe("1:2:3:4:5");
  });

  it("leaves out a last line cut short (an append that did not finish), and throws on a broken whole line", () => {
    const entry = { article: { title: "A", date: "2024-01-05" }, lines: { title: 2 }, bodyLine: 5 };
    const header: MemoHeader = { code: "c", ...SITE, tzdata: "2024a" };
    const text = `${JSON.stringify(header)}\n${JSON.stringify(["a.md\0k", entry])}\n${JSON.stringify(["b.md\0k", entry])}\n`;
    expect([...readMemo(Buffer.from(text.slice(0, -10)), header).keys()]).toEqual(["a.md\0k"]);
    expect(() => readMemo(Buffer.from(`${text}{"cut`.concat("\n")), header)).toThrow(SyntaxError);
  });
});
