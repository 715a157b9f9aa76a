// Warm builds equal cold ones: a newsroom's day of edits, each followed by a build that reuses the page cache, gives
// byte for byte the output of a build from an empty cache, and renders few pages for an edit, all for a layout change;
// and a build whose pages are shared out between render processes equals one rendered in a single process.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildScriptArgs } from "../../scripts/build-script.ts";
import { outputPaths } from "../../src/build/publish.ts";
import { parseTimings } from "../../src/progress/index.ts";
import { FIXTURE_BUILD_TIME, cacheWithPictures, fixtureArchive, fixtureData, projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { treeDigest } from "../helpers/tree.ts";

const run = promisify(execFile);

/** What the test's project copies of the fixture archive. */
const PROJECT_ARTICLES = ["2019", "2022", "2024/draft.md", "2024/embargoed.md", "2024/seed.md", "2024/story-24.md", "2024/lake-hills.jpg"];

/**
 * A project of its own (articles, data, layouts) that the test may change: the build reads `_includes` from the folder
 * it runs in, so a layout or stylesheet change stays inside this copy.
 */
async function copyProject(): Promise<string> {
  const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-incremental-"));
  // Two years of the fixture and four articles of 2024 (24 articles, with pictures, a draft and an embargo): every
  // kind of page, fewer of each.
  for (const entry of [...PROJECT_ARTICLES]) {
    await cp(path.join(fixtureArchive, entry), path.join(root, "articles", entry), { recursive: true });
  }
  await cp(path.join(projectRoot, "_includes"), path.join(root, "_includes"), { recursive: true });
  await mkdir(path.join(root, "data"));
  for (const file of ["authors.yaml", "sections.yaml"]) await cp(path.join(fixtureData, file), path.join(root, "data", file));
  await writeFile(path.join(root, "data/site.ts"), `export { default } from ${JSON.stringify(path.join(projectRoot, "_data/site.ts"))};\n`);
  // The build's `--import tsx` resolves from the folder it runs in.
  await symlink(path.join(projectRoot, "node_modules"), path.join(root, "node_modules"));
  return root;
}

/** Builds `project` with the cache `cache` into `output`; returns how many pages Eleventy rendered and articles Pagefind indexed. */
async function build(
  project: string,
  cache: string,
  output: string,
  env: Record<string, string> = {},
): Promise<{ rendered: number; indexed: number }> {
  const timings = path.join(path.dirname(output), `timings-${path.basename(output)}.jsonl`);
  await rm(timings, { force: true });
  const args = (await buildScriptArgs()).map((arg) => (arg.startsWith("scripts/") ? path.join(projectRoot, arg) : arg));
  await run(process.execPath, [...args, `--output=${output}`, "--quiet"], {
    cwd: project,
    env: {
      ...process.env,
      ARTICLES_DIR: "articles",
      DATA_DIR: "data",
      SITE_URL: "https://news.test",
      SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
      BROADSHEET_CACHE: cache,
      BROADSHEET_TIMINGS: timings,
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const phases = parseTimings(await readFile(timings, "utf8"));
  // A build renders in several Eleventy runs (article pages before listings), each reporting its own phase.
  const count = (phase: string) => {
    const timings = phases.filter((each) => each.phase === phase);
    if (timings.length === 0) throw new Error(`the build reported no ${phase} phase`);
    return timings.reduce((sum, timing) => sum + timing.count, 0);
  };
  return { rendered: count("render/write"), indexed: count("search index") };
}

/**
 * The inode and modification time of each sitemap file of `output` (the index and the files it lists), by its path in
 * the output: a file taken from the cache keeps both, one rendered again has a new inode, or a new time where it was
 * written into the same file.
 */
async function sitemapFiles(output: string): Promise<Record<string, string>> {
  const files = ["sitemap.xml", ...(await readdir(path.join(output, "sitemaps"))).map((name) => `sitemaps/${name}`)];
  const signature = async (file: string) => {
    const { ino, mtimeMs } = await stat(path.join(output, file));
    return [file, `${ino} ${mtimeMs}`] as const;
  };
  return Object.fromEntries(await Promise.all(files.map(signature)));
}

/** Rewrites a file of the project through `change`. */
async function edit(project: string, file: string, change: (text: string) => string): Promise<void> {
  const target = path.join(project, file);
  await writeFile(target, change(await readFile(target, "utf8")));
}

/** One step of the day: what it changes, and the most pages a warm build may render after it (all: a layout change). */
interface Step {
  name: string;
  change: (project: string) => Promise<void>;
  /** Upper bound of pages rendered by the warm build, or "all" for as many as a cold build. */
  renders: number | "all";
  /** Articles the warm build indexes again, when the step says: none for a change the index does not read. */
  indexes?: number;
  /**
   * Whether the warm build takes the sitemap files from the cache (the same files) or renders them again,
   * when the step says: a body edit changes no URL nor date they list; a new article does.
   */
  keepsSitemaps?: boolean;
}

const steps: Step[] = [
  {
    name: "edit a body",
    change: (project) => appendFile(path.join(project, "articles/2019/story-01.md"), "\nA sentence added by the copy desk.\n"),
    renders: 20,
    keepsSitemaps: true,
  },
  {
    name: "add an article",
    change: (project) =>
      writeFile(
        path.join(project, "articles/2024/late-story.md"),
        "---\ntitle: A late story\ndate: 2024-02-20\nauthors: [Ben Correspondent]\nsection: Politics\ntopics: [Syria]\n---\nLate news.\n",
      ),
    renders: 45,
    keepsSitemaps: false,
  },
  {
    name: "retitle with an alias",
    change: (project) =>
      edit(project, "articles/2024/late-story.md", (text) =>
        text.replace("title: A late story", "title: A late story, retitled\naliases: [/2024/02/20/a-late-story/]"),
      ),
    renders: 45,
  },
  {
    name: "set draft: true",
    change: (project) =>
      edit(project, "articles/2019/story-01.md", (text) => text.replace("topics: [Syria]", "topics: [Syria]\ndraft: true")),
    renders: 45,
  },
  {
    name: "remove the draft flag",
    change: (project) => edit(project, "articles/2019/story-01.md", (text) => text.replace("\ndraft: true", "")),
    renders: 45,
  },
  {
    name: "delete an article with a redirect",
    change: async (project) => {
      await rm(path.join(project, "articles/2024/late-story.md"));
      await writeFile(
        path.join(project, "data/redirects.yaml"),
        "- from: /2024/02/20/a-late-story-retitled/\n  to: /\n- from: /2024/02/20/a-late-story/\n  to: /\n",
      );
    },
    renders: 45,
  },
  {
    name: "change a layout",
    change: (project) => edit(project, "_includes/layouts/base.njk", (text) => text.replace("Skip to content", "Skip to the content")),
    renders: "all",
  },
  {
    name: "change the stylesheet",
    change: (project) => appendFile(path.join(project, "_includes/css/site.css"), "\n.article__title { letter-spacing: 0; }\n"),
    renders: "all",
    // Pages link to the stylesheet by its fingerprinted URL: what Pagefind reads of them is unchanged.
    indexes: 0,
  },
  {
    name: "change an author's bio",
    change: (project) => edit(project, "data/authors.yaml", (text) => text.replace("Covers diplomacy and energy.", "Covers diplomacy.")),
    renders: 20,
  },
  {
    name: "change a setting in site.ts",
    change: (project) =>
      writeFile(
        path.join(project, "data/site.ts"),
        `import site from ${JSON.stringify(path.join(projectRoot, "_data/site.ts"))};\nexport default { ...site, title: "The Other Broadsheet" };\n`,
      ),
    renders: "all",
  },
];

describe("warm builds", () => {
  it("after each edit of a day, a build from the cache equals a build from an empty cache, rendering only what changed", async () => {
    const project = await copyProject();
    const work = await mkdtemp(path.join(testTmpdir(), "broadsheet-incremental-out-"));
    // Every cache starts with the fixture's encoded pictures only (named by content, and not what these tests are
    // about: encoding them again would double the time of every cold build).
    const cache = await cacheWithPictures(path.join(work, "cache"));
    const output = path.join(work, "_site");
    const cold = await build(project, cache, output);
    expect(cold.rendered).toBeGreaterThan(100);
    // Rendered by three processes, the site is the same; and a build with nothing changed renders only the pages every
    // build makes (indexes, the news sitemap, the search page). The two builds share nothing (output, cache), so they run at
    // once, as the warm and cold builds of each step below do: the same CPU work in half the test's time.
    const shared = path.join(work, "three-processes");
    const sitemapsBefore = await sitemapFiles(output);
    const [, unchanged] = await Promise.all([
      build(project, await cacheWithPictures(path.join(work, "cache-three")), shared, { BROADSHEET_PROCESSES: "3" }),
      build(project, cache, output),
    ]);
    expect(await treeDigest(shared)).toEqual(await treeDigest(output));
    expect(unchanged.rendered).toBeLessThan(15);
    expect(unchanged.indexed).toBe(0);
    expect(await sitemapFiles(output)).toEqual(sitemapsBefore);

    // A runner that keeps only the cache builds into an empty output, starting from a copy of the last site built on
    // the cache, made from the cache's record of it. The record is only a start: one that names a page's file wrongly
    // and a file no build makes (as a record of another output would) changes nothing but what is copied in vain.
    const record = path.join(cache, "site.tsv");
    const [header, ...lines] = (await readFile(record, "utf8")).split("\n").filter((line) => line !== "");
    const files = lines.map((line) => line.split("\t") as [string, string]);
    const pages = files.filter(([file]) => file.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(50);
    const [first, second] = pages as [[string, string], [string, string]];
    const tampered = [
      [first[0], second[1]],
      [second[0], first[1]],
      ["left-over/index.html", first[1]],
    ];
    tampered.push(...files.filter((entry) => entry !== first && entry !== second));
    await writeFile(record, [header, ...tampered.map((entry) => entry.join("\t"))].join("\n"));
    const fromCache = path.join(work, "cache-only");
    const cacheOnly = await build(project, cache, fromCache);
    expect(await treeDigest(fromCache)).toEqual(await treeDigest(output));
    expect(cacheOnly.rendered).toBeLessThan(15);
    expect(cacheOnly.indexed).toBe(0);
    await rm(fromCache, { recursive: true });

    // Each step's warm build, and a cold build of the same input (a cache of its own) to compare with.
    for (const [index, step] of steps.entries()) {
      await step.change(project);
      const sitemaps = await sitemapFiles(output);
      const reference = path.join(work, `cold-${index}`);
      const referenceCache = await cacheWithPictures(path.join(work, `cache-${index}`));
      const [warm, all] = await Promise.all([build(project, cache, output), build(project, referenceCache, reference)]);
      expect(await treeDigest(output), step.name).toEqual(await treeDigest(reference));
      if (step.renders === "all") expect(warm.rendered, step.name).toBe(all.rendered);
      else {
        expect(warm.rendered, step.name).toBeLessThanOrEqual(step.renders);
        expect(warm.rendered, step.name).toBeLessThan(all.rendered / 4);
      }
      if (step.indexes !== undefined) expect(warm.indexed, step.name).toBe(step.indexes);
      if (step.keepsSitemaps !== undefined) {
        const after = await sitemapFiles(output);
        if (step.keepsSitemaps) expect(after, step.name).toEqual(sitemaps);
        else for (const [file, signature] of Object.entries(after)) expect(signature, `${step.name}: ${file}`).not.toBe(sitemaps[file]);
      }
      // The site a build replaced is kept for the next build to start from, unless the build rendered every page again:
      // then the next one starts from a copy of the published site (and the step after it checks that it equals cold).
      expect(existsSync(outputPaths(output).reuse), step.name).toBe(step.renders !== "all");
      await rm(reference, { recursive: true });
      await rm(path.join(work, `cache-${index}`), { recursive: true });
    }
  }, 600_000);
});
