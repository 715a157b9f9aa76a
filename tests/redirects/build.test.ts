// The permalink guard in real builds of a small archive with its own data folder and manifest.
import { access, copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildArchive, fixtureArchive, fixtureData, projectRoot, readOutput } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { htmlErrors } from "../helpers/vnu.ts";

const OLD_URL = "/2019/01/03/archive-story-01/";
const NEW_URL = "/2019/01/03/archive-story-one/";
const HEBREW_URL = "/2023/05/10/חמאס-ואיראן-מחדשים-קשרים/";

/** A copy of four fixture articles with its own data folder (so it has its own manifest and redirects file). */
async function makeArchive(): Promise<{ root: string; articles: string; data: string; manifest: string }> {
  const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-permalinks-"));
  const articles = path.join(root, "articles");
  const data = path.join(root, "data");
  await mkdir(articles);
  await mkdir(data);
  for (const file of ["2019/story-01.md", "2019/story-02.md", "2023/hebrew.md", "2024/seed.md"]) {
    await copyFile(path.join(fixtureArchive, file), path.join(articles, path.basename(file)));
  }
  for (const file of ["authors.yaml", "sections.yaml"]) await copyFile(path.join(fixtureData, file), path.join(data, file));
  await writeFile(path.join(data, "site.ts"), `export { default } from ${JSON.stringify(path.join(projectRoot, "_data/site.ts"))};\n`);
  return { root, articles, data, manifest: path.join(data, "permalinks.txt") };
}

/** The manifest's URLs (lines that are not comments), each with its file's base name. */
async function manifestLines(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [url, articleFile = ""] = line.split("\t");
      return `${url} ${path.basename(articleFile)}`;
    });
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** A copy of the small archive, built once with its manifest, that one group of tests may change. */
interface Site {
  archive: Awaited<ReturnType<typeof makeArchive>>;
  output: string;
  /** Builds the archive again into the same output, with its manifest. */
  build(): Promise<BuildResult>;
  /** The article whose headline the tests change. */
  story: string;
  /** The first build. */
  first: BuildResult;
}

/** A fresh copy of the archive, published once: each group of tests starts from its own. */
async function publishedSite(): Promise<Site> {
  const archive = await makeArchive();
  const output = path.join(archive.root, "site");
  const build = (): Promise<BuildResult> =>
    buildArchive(archive.articles, output, { DATA_DIR: archive.data, PERMALINKS_MANIFEST: archive.manifest });
  const first = await build();
  if (first.exitCode !== 0) throw new Error(`the first build failed:\n${first.stderr}`);
  return { archive, output, build, story: path.join(archive.articles, "story-01.md"), first };
}

describe("permalink guard in a build", () => {
  describe("without PERMALINKS_MANIFEST", () => {
    it("builds another archive without creating a manifest in its data folder", async () => {
      const archive = await makeArchive();
      const result = await buildArchive(archive.articles, path.join(archive.root, "plain-site"), { DATA_DIR: archive.data });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(await exists(archive.manifest)).toBe(false);
      expect(await exists(path.join(fixtureData, "permalinks.txt"))).toBe(false);
    }, 60_000);
  });

  describe("first build", () => {
    let site: Site;
    beforeAll(async () => {
      site = await publishedSite();
    }, 60_000);

    it("records every published URL with its file, sorted", async () => {
      expect(await manifestLines(site.archive.manifest)).toEqual([
        "/2019/01/03/archive-story-01/ story-01.md",
        "/2019/02/04/archive-story-02/ story-02.md",
        `${HEBREW_URL} hebrew.md`,
        "/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/ seed.md",
      ]);
    });

    it("starts the manifest with a comment saying what it is", async () => {
      expect((await readFile(site.archive.manifest, "utf8")).split("\n")[0]).toMatch(/^# Every URL this site has published/);
    });

    it("writes an empty _redirects file when nothing has moved", async () => {
      const lines = (await readOutput(site.first, "_redirects")).split("\n").filter((line) => line !== "" && !line.startsWith("#"));
      expect(lines).toEqual([]);
    });
  });

  describe("renaming an article without an alias", () => {
    let site: Site;
    let result: BuildResult;
    let homeBefore: string;
    let manifestBefore: string;
    beforeAll(async () => {
      site = await publishedSite();
      homeBefore = await readFile(path.join(site.output, "index.html"), "utf8");
      manifestBefore = await readFile(site.archive.manifest, "utf8");
      const text = await readFile(site.story, "utf8");
      await writeFile(site.story, text.replace('title: "Archive story 01"', 'title: "Archive story one"'));
      result = await site.build();
    }, 120_000);

    it("fails, naming the old URL, the file that had it and where it went", () => {
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(
        `story-01.md:2: permalink: ${OLD_URL} would stop working: this article is now at ${NEW_URL}; keep the old URL with "aliases: [${OLD_URL}]" in its front matter`,
      );
    });

    it("leaves the previous output and the manifest untouched", async () => {
      expect(await readFile(path.join(site.output, "index.html"), "utf8")).toBe(homeBefore);
      expect(await exists(path.join(site.output, NEW_URL, "index.html"))).toBe(false);
      expect(await readFile(site.archive.manifest, "utf8")).toBe(manifestBefore);
    });
  });

  describe("renaming an article with an alias", () => {
    let site: Site;
    let result: BuildResult;
    beforeAll(async () => {
      site = await publishedSite();
      const text = await readFile(site.story, "utf8");
      await writeFile(
        site.story,
        text
          .replace('title: "Archive story 01"', 'title: "Archive story one"')
          .replace("date: 2019-01-03\n", `date: 2019-01-03\naliases: [${OLD_URL}]\n`),
      );
      result = await site.build();
    }, 120_000);
    it("passes and writes the redirect to _redirects", async () => {
      expect(result.exitCode, result.stderr).toBe(0);
      expect((await readOutput(result, "_redirects")).split("\n")).toContain(`${OLD_URL} ${NEW_URL} 301`);
    });

    it("writes a redirect page at the old URL: refresh, canonical, visible link, noindex", async () => {
      const { document } = parseHTML(await readOutput(result, `${OLD_URL}index.html`));
      expect(document.querySelector('meta[http-equiv="refresh"]')?.getAttribute("content")).toBe(`0; url=${NEW_URL}`);
      expect(document.querySelector('link[rel="canonical"]')?.getAttribute("href")).toBe(`https://news.test${NEW_URL}`);
      expect(document.querySelector('meta[name="robots"]')?.getAttribute("content")).toBe("noindex");
      expect(document.querySelector(`main a[href="${NEW_URL}"]`)?.textContent).toBe(`https://news.test${NEW_URL}`);
      expect(document.querySelector("title")?.textContent).toContain("Archive story one");
    });

    it("writes a redirect page that is valid HTML", async () => {
      expect((await htmlErrors([path.join(site.output, OLD_URL, "index.html")])).map((error) => error.message)).toEqual([]);
    }, 60_000);

    it("keeps the old URL in the manifest and adds the new one", async () => {
      expect(await manifestLines(site.archive.manifest)).toEqual(
        expect.arrayContaining([`${OLD_URL} story-01.md`, `${NEW_URL} story-01.md`]),
      );
    });

    it("keeps the old URL out of the sitemap", async () => {
      expect(await readOutput(result, "sitemap.xml").catch(() => "")).not.toContain(OLD_URL);
    });
  });

  describe("removing an article, then covering its URL in the redirects file", () => {
    let failed: BuildResult;
    let result: BuildResult;
    beforeAll(async () => {
      const site = await publishedSite();
      const hebrew = path.join(site.archive.articles, "hebrew.md");
      await writeFile(hebrew, (await readFile(hebrew, "utf8")).replace("---\n\n", "draft: true\n---\n\n"));
      failed = await site.build();
      await writeFile(path.join(site.archive.data, "redirects.yaml"), `# Retired stories\n- from: ${HEBREW_URL}\n  to: /topics/iran/\n`);
      result = await site.build();
    }, 180_000);
    it("fails while nothing covers the removed URL", () => {
      expect(failed.exitCode).not.toBe(0);
      expect(failed.stderr).toContain(`hebrew.md:8: permalink: ${HEBREW_URL} would stop working: this article is now a draft;`);
    });

    it("passes once the redirects file covers it, and redirects it percent-encoded", async () => {
      expect(result.exitCode, result.stderr).toBe(0);
      expect((await readOutput(result, "_redirects")).split("\n")).toContain(`${encodeURI(HEBREW_URL)} /topics/iran/ 301`);
      const { document } = parseHTML(await readOutput(result, `${HEBREW_URL}index.html`));
      expect(document.querySelector('meta[http-equiv="refresh"]')?.getAttribute("content")).toBe("0; url=/topics/iran/");
    });
  });

  describe("a mistake in the redirects file", () => {
    let result: BuildResult;
    beforeAll(async () => {
      const archive = await makeArchive();
      await writeFile(path.join(archive.data, "redirects.yaml"), "- from: /a/\n  to: /2013/01/01/no-such-story/\n");
      result = await buildArchive(archive.articles, path.join(archive.root, "site"), {
        DATA_DIR: archive.data,
        PERMALINKS_MANIFEST: archive.manifest,
      });
    }, 60_000);
    it("fails the build naming the file, line, entry and field", () => {
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(
        "redirects.yaml:1: entry 1: /a/ redirects to /2013/01/01/no-such-story/, which is not a published article or a page of this site",
      );
    });
  });
});
