import { readdir, readFile } from "node:fs/promises";
import { DEMO_PICTURE_COUNT } from "../../../../scripts/bench/generator/pictures.ts";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import site from "../../../../_data/site.ts";
import { splitArticle } from "../../../../src/articles/frontMatter.ts";
import { slugOf } from "../../../../src/articles/permalink.ts";
import { countWords } from "../../../../src/articles/reading.ts";
import {
  DEFAULT_END_DATE,
  type GeneratedArticle,
  PROJECT_SITE_MODULE,
  SHAPE,
  archiveLayout,
  benchArchiveRoot,
  ensureArchive,
  generateArticles,
  generateDirectory,
  rankOf,
  renderArticle,
  writeArchive,
  zipfCumulative,
} from "../../../../scripts/bench/generator/index.ts";
import { validateArchive } from "../../../../src/validation/index.ts";
import { scratchFolder } from "../../../helpers/scratch.ts";

/** Every file under `dir` as relative path → contents. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    // Pictures are compared as bytes (base64), text files as text.
    files.set(path.relative(dir, full), await readFile(full, full.endsWith(".jpg") ? "base64" : "utf8"));
  }
  return files;
}

const scratchDir = scratchFolder("broadsheet-generator-");

describe("determinism", () => {
  it("writes byte-identical archives for the same seed", async () => {
    await writeArchive(path.join(scratchDir(), "a"), { articles: 40, seed: 7 });
    await writeArchive(path.join(scratchDir(), "b"), { articles: 40, seed: 7 });
    const [a, b] = await Promise.all([snapshot(path.join(scratchDir(), "a")), snapshot(path.join(scratchDir(), "b"))]);
    expect(a.size).toBe(40 + 4 + DEMO_PICTURE_COUNT); // articles, authors, sections, site, manifest, pictures
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  it("writes a different archive for another seed", async () => {
    const one = [...generateArticles(generateDirectory(1), { articles: 5, seed: 1 })].map(renderArticle);
    const two = [...generateArticles(generateDirectory(2), { articles: 5, seed: 2 })].map(renderArticle);
    expect(one).not.toEqual(two);
  });

  it("makes a smaller archive the first articles of a larger one", () => {
    const directory = generateDirectory(3);
    const small = [...generateArticles(directory, { articles: 10, seed: 3 })];
    const large = [...generateArticles(directory, { articles: 30, seed: 3 })];
    expect(large.slice(0, 10)).toEqual(small);
  });
});

describe("shape", () => {
  const directory = generateDirectory(11);
  const articles: GeneratedArticle[] = [...generateArticles(directory, { articles: 2000, seed: 11 })];

  it("gives every body 400 to 1,200 words", () => {
    const counts = articles.map((article) => article.words);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(SHAPE.minWords);
    expect(Math.max(...counts)).toBeLessThanOrEqual(SHAPE.maxWords);
  });

  it("counts words as the byline does", () => {
    // The byline's Unicode word segmenter is slow, so a sample is counted.
    const sample = articles.slice(0, 100);
    expect(sample.map((article) => countWords(article.paragraphs.join("\n\n")))).toEqual(sample.map((article) => article.words));
  });

  it("splits bodies into several paragraphs", () => {
    expect(articles.every((article) => article.paragraphs.length >= 4)).toBe(true);
  });

  it("gives each article 1 to 4 distinct topics out of a few hundred", () => {
    expect(new Set(directory.topics.map(slugOf)).size).toBe(SHAPE.topics);
    for (const article of articles) {
      expect(article.topics.length).toBeGreaterThanOrEqual(1);
      expect(article.topics.length).toBeLessThanOrEqual(SHAPE.maxTopicsPerArticle);
      expect(new Set(article.topics).size).toBe(article.topics.length);
    }
  });

  it("uses topics with a long tail: a fifth of the topics carry most uses, the median topic few", () => {
    const uses = new Map<string, number>();
    for (const topic of articles.flatMap((article) => article.topics)) uses.set(topic, (uses.get(topic) ?? 0) + 1);
    const counts = directory.topics.map((topic) => uses.get(topic) ?? 0).sort((a, b) => b - a);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const topFifth = counts.slice(0, SHAPE.topics / 5).reduce((sum, count) => sum + count, 0);
    expect(topFifth / total).toBeGreaterThan(0.6);
    expect(counts[0] ?? 0).toBeGreaterThan(20 * (counts[SHAPE.topics / 2] ?? 0));
  });

  it("gives each article 1 or 2 of about 100 authors", () => {
    expect(directory.authors).toHaveLength(SHAPE.authors);
    expect(articles.every((article) => article.authors.length >= 1 && article.authors.length <= 2)).toBe(true);
    expect(articles.some((article) => article.authors.length === 2)).toBe(true);
  });

  it("has 5 to 8 sections", () => {
    expect(directory.sections.length).toBeGreaterThanOrEqual(SHAPE.minSections);
    expect(directory.sections.length).toBeLessThanOrEqual(SHAPE.maxSections);
  });

  it("puts a local demo picture with alt, caption and credit on about a third of the articles", () => {
    const withImages = articles.filter((article) => article.image);
    expect(withImages.length / articles.length).toBeGreaterThan(0.28);
    expect(withImages.length / articles.length).toBeLessThan(0.39);
    for (const { image } of withImages) {
      expect(image?.src).toMatch(/^\.\.\/pictures\/scene-\d+\.jpg$/);
      expect(image?.alt && image.caption && image.credit).toBeTruthy();
    }
  });

  it("dates articles over 25 years, all before the end date", () => {
    const dates = articles.map((article) => Date.parse(article.date));
    const end = Date.parse(DEFAULT_END_DATE);
    expect(Math.max(...dates)).toBeLessThan(end);
    expect(Math.min(...dates)).toBeGreaterThanOrEqual(end - 25.01 * 365.25 * 86_400_000);
    expect(Math.max(...dates) - Math.min(...dates)).toBeGreaterThan(23 * 365.25 * 86_400_000);
  });

  it("gives every article a title and slug of its own", () => {
    expect(new Set(articles.map((article) => article.slug)).size).toBe(articles.length);
    expect(new Set(articles.map((article) => article.title)).size).toBe(articles.length);
    expect(articles.every((article) => slugOf(article.title) === article.slug)).toBe(true);
  });

  it("writes front matter that reads back as the article", () => {
    const article = articles.find((candidate) => candidate.image && candidate.authors.length === 2) as GeneratedArticle;
    const split = splitArticle(renderArticle(article));
    expect(split.yamlErrors).toEqual([]);
    expect(split.data).toMatchObject({
      title: article.title,
      dek: article.dek,
      date: article.date,
      authors: article.authors,
      topics: article.topics,
      image: article.image,
    });
    expect(split.body.trim()).toBe(article.paragraphs.join("\n\n"));
  });
});

describe("writeArchive", () => {
  it("writes an archive that validates with no problems", async () => {
    const root = path.join(scratchDir(), "valid");
    await writeArchive(root, { articles: 200, seed: 5 });
    const layout = archiveLayout(root);
    const problems = await validateArchive(layout.articlesDir, { timezone: site.timezone, dataDir: layout.dataDir });
    expect(problems).toEqual([]);
  });

  it("lays articles out as articles/YYYY/slug.md and re-exports the project's site settings", async () => {
    const root = path.join(scratchDir(), "layout");
    await writeArchive(root, { articles: 20, seed: 5 });
    const files = await snapshot(root);
    const articleFiles = [...files.keys()].filter((file) => file.startsWith("articles/") && file.endsWith(".md"));
    expect(articleFiles).toHaveLength(20);
    expect([...files.keys()].filter((file) => file.startsWith("articles/pictures/")).sort()).toEqual(
      Array.from({ length: DEMO_PICTURE_COUNT }, (_, index) => `articles/pictures/scene-${index + 1}.jpg`).sort(),
    );
    expect(articleFiles.every((file) => /^articles\/\d{4}\/[a-z0-9-]+\.md$/.test(file))).toBe(true);
    expect(files.get("data/site.ts")).toContain(JSON.stringify(PROJECT_SITE_MODULE));
  });

  it("reuses an archive generated with the same options and regenerates it when they change", async () => {
    const root = path.join(scratchDir(), "cache");
    expect((await ensureArchive(root, { articles: 10, seed: 9 })).reused).toBe(false);
    expect((await ensureArchive(root, { articles: 10, seed: 9 })).reused).toBe(true);
    const changed = await ensureArchive(root, { articles: 12, seed: 9 });
    expect(changed.reused).toBe(false);
    expect(changed.manifest.articles).toBe(12);
  });

  it("keeps benchmark archives outside the repository, one folder per size and seed", () => {
    expect(benchArchiveRoot(1000, 1, "/cache")).toBe(path.join("/cache", "1000-1"));
    expect(benchArchiveRoot(1000, 1).startsWith(tmpdir())).toBe(true);
  });
});

describe("zipfCumulative and rankOf", () => {
  it("ends the cumulative weights at 1, heaviest first", () => {
    const cumulative = zipfCumulative(4, 1);
    expect(cumulative[3]).toBeCloseTo(1);
    expect((cumulative[0] ?? 0) - 0).toBeGreaterThan((cumulative[1] ?? 0) - (cumulative[0] ?? 0));
  });

  it("maps a uniform number to the rank whose interval holds it", () => {
    const cumulative = Float64Array.from([0.5, 0.8, 1]);
    expect([0, 0.49, 0.5, 0.79, 0.8, 0.99].map((u) => rankOf(cumulative, u))).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
