// The build pipeline's guarantees with real builds in child processes: a killed, failed or concurrent build never
// changes the published output or the manifest, a retracted article leaves no trace, a CRLF draft stays unpublished,
// a data file in the articles folder adds nothing to a page.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import sharp from "sharp";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildScriptArgs } from "../../scripts/build-script.ts";
import {
  FIXTURE_BUILD_TIME,
  buildArchive,
  cacheWithPictures,
  copySmallFixture,
  fixtureArchive,
  fixtureBuild,
  fixtureData,
  projectRoot,
} from "../helpers/build.ts";
import { TIMEZONE, fixtureArticles } from "../helpers/fixture.ts";
import { outputPaths } from "../../src/build/publish.ts";
import { checkArchive } from "../../src/validation/check.ts";
import { formatProblem } from "../../src/validation/index.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { treeDigest } from "../helpers/tree.ts";

/** Every file's text under `folder` that contains `needle`. */
async function filesMentioning(folder: string, needle: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(needle)) found.push(path.relative(folder, file));
  }
  return found;
}

/** A copy of fixture articles and data that a test may change, with a build cache of its own; `env` builds it. */
interface Copy {
  articles: string;
  data: string;
  env: Record<string, string>;
}

/**
 * A copy of part of the fixture archive (see copySmallFixture) and of the data folder, and a cache of its own holding
 * only the fixture's encoded pictures: its builds share the page cache with no other test's, so a rebuild takes the
 * unchanged pages from it, as in use.
 */
async function copyFixture(): Promise<Copy> {
  const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-pipeline-"));
  const articles = path.join(root, "articles");
  const data = path.join(root, "data");
  await copySmallFixture(articles);
  await mkdir(data);
  for (const file of ["authors.yaml", "sections.yaml"]) await copyFile(path.join(fixtureData, file), path.join(data, file));
  await writeFile(path.join(data, "site.ts"), `export { default } from ${JSON.stringify(path.join(projectRoot, "_data/site.ts"))};\n`);
  const cache = await cacheWithPictures(path.join(root, "cache"));
  return { articles, data, env: { DATA_DIR: data, BROADSHEET_CACHE: cache } };
}

/** Starts `npm run build`'s command line on `articles` into `output`, without --quiet so progress can be watched. */
async function startBuild(articles: string, env: Record<string, string>, output: string): Promise<ChildProcess> {
  return spawn(process.execPath, [...(await buildScriptArgs()), `--output=${output}`], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ARTICLES_DIR: path.relative(projectRoot, articles),
      SITE_URL: "https://news.test",
      SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
      ...env,
      ...(env.DATA_DIR !== undefined && { DATA_DIR: path.relative(projectRoot, env.DATA_DIR) }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves when the child has printed `times` lines containing `marker` (or rejects if it ends first). */
function waitForOutput(child: ChildProcess, marker: string, times = 1): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split(marker).length > times) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", () => reject(new Error(`build ended before printing ${marker} ${times} times:\n${seen}`)));
  });
}

/**
 * Resolves with the exit code (or signal) and stderr of a child. Reads all its output from the start: a child
 * whose pipe is left unread blocks once the pipe is full, and never ends.
 */
function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stdout?.on("data", () => undefined);
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, stderr })));
}

// Every group has its own copy of the fixture and its own output, so the groups run at once, two at a time (one build
// per core); the steps of a killed build, which share one output, run in order.
vi.setConfig({ maxConcurrency: 2 });

describe.concurrent("a killed build", () => {
  let fixture: Copy;
  let output: string;
  let published: Map<string, string>;
  let next: Map<string, string>;

  beforeAll(async () => {
    fixture = await copyFixture();
    output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-killed-")), "_site");
    expect((await buildArchive(fixture.articles, output, fixture.env)).exitCode).toBe(0);
    published = await treeDigest(output);
    // The next build has something new to publish, so a mix would show.
    const story = path.join(fixture.articles, "2022/story-29.md");
    await writeFile(story, `${await readFile(story, "utf8")}\nA sentence added by a correction.\n`);
    // The site the next build publishes, built elsewhere from an empty page cache: builds are deterministic, so this
    // is what it must be. The copy's own cache keeps only the first build's pages, so the killed builds render the
    // pages the correction changed.
    const elsewhere = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-next-")), "_site");
    const emptyCache = await cacheWithPictures(path.join(path.dirname(elsewhere), "cache"));
    expect((await buildArchive(fixture.articles, elsewhere, { ...fixture.env, BROADSHEET_CACHE: emptyCache })).exitCode).toBe(0);
    next = await treeDigest(elsewhere);
    expect(next).not.toEqual(published);
  });

  // Points in the build: start-up, mid-render (after 8 of the about 20 pages the correction changes are written), and
  // the search index.
  for (const [point, marker, times] of [
    ["during start-up", "start-up", 1],
    ["mid-render", "Writing ", 8],
  ] as const) {
    it.sequential(`with SIGKILL ${point} leaves the published site byte-identical`, async () => {
      const child = await startBuild(fixture.articles, fixture.env, output);
      const done = finished(child);
      await waitForOutput(child, marker, times);
      child.kill("SIGKILL");
      expect((await done).signal).toBe("SIGKILL");
      expect(await treeDigest(output)).toEqual(published);
    });
  }

  it.sequential("with SIGKILL once the search index is written leaves either the old site or the new one whole, never a mix", async () => {
    // The kill races the last step (the swap), so both outcomes are possible; a mix of the two never is. A kill between
    // the swap's two renames (back to back, so it is rare) leaves no output, and the old site whole beside it for the
    // next build to move back.
    const child = await startBuild(fixture.articles, fixture.env, output);
    const done = finished(child);
    await waitForOutput(child, "search index:");
    child.kill("SIGKILL");
    await done;
    if (existsSync(output)) expect([published, next]).toContainEqual(await treeDigest(output));
    else expect(await treeDigest(outputPaths(output).previous)).toEqual(published);
  });

  it.sequential("is followed by a build that succeeds and publishes the new site whole, leaving no staging folder", async () => {
    // Beside the output stays only the site it replaced, hidden, for the next build to start from.
    const result = await buildArchive(fixture.articles, output, fixture.env);
    expect(result.exitCode, result.stderr).toBe(0);
    const story = (await fixtureArticles(fixture.articles)).find((article) => article.file.endsWith("2022/story-29.md"));
    expect(await filesMentioning(output, "A sentence added by a correction.")).toContain(`${story?.url.slice(1)}index.html`);
    expect(await treeDigest(output)).toEqual(next);
    expect((await readdir(path.dirname(output))).sort()).toEqual(["._site.reuse", "_site"]);
  });
});

describe.concurrent("two builds of one output at once", () => {
  it("one stops with a clear message and the output is the other's", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-concurrent-"));
    const output = path.join(root, "_site");
    // The whole fixture archive with a page cache of its own, so the build that takes the lock renders every page:
    // started together, both reach the lock within moments of each other, long before either could finish.
    const env = { DATA_DIR: fixtureData, BROADSHEET_CACHE: await cacheWithPictures(path.join(root, "cache")) };
    const results = await Promise.all([0, 1].map(async () => finished(await startBuild(fixtureArchive, env, output))));
    expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
    const refused = results.find((result) => result.code === 1);
    expect(refused?.stderr).toMatch(/another build \(process \d+ .*\) is writing .*_site; wait for it to finish/);
    expect(refused?.stderr).not.toMatch(/\n\s+at /);
    // The same input built alone: the global setup's build of the fixture archive.
    expect(await treeDigest(output)).toEqual(await treeDigest(fixtureBuild().outputDir));
  });
});

describe.concurrent("a failed build", () => {
  it("changes neither the output nor the permalink manifest, and prints the problems once without stack traces", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-failed-")), "_site");
    const manifest = path.join(fixture.data, "permalinks.txt");
    expect((await buildArchive(fixture.articles, output, { ...fixture.env, PERMALINKS_MANIFEST: manifest })).exitCode).toBe(0);
    const before = { site: await treeDigest(output), manifest: await readFile(manifest, "utf8") };
    // A new article (its URL would be added to the manifest) and a broken one.
    await writeFile(path.join(fixture.articles, "2024/new.md"), "---\ntitle: A new story\ndate: 2024-02-01\n---\nNew.\n");
    await writeFile(path.join(fixture.articles, "2024/broken.md"), "---\ntitle: Broken\ndate: 2024-02-30\n---\nBody.\n");
    const result = await buildArchive(fixture.articles, output, { ...fixture.env, PERMALINKS_MANIFEST: manifest });
    expect(result.exitCode).toBe(1);
    const problemLines = result.stderr.split("\n").filter((line) => line.includes("broken.md:3: date:"));
    expect(problemLines).toHaveLength(1);
    expect(result.stderr).toMatch(/^1 problem in 1 file; nothing was published$/m);
    expect(result.stderr + result.stdout).not.toMatch(/\n\s+at |Eleventy Fatal Error|Original error stack trace/);
    expect(await treeDigest(output)).toEqual(before.site);
    expect(await readFile(manifest, "utf8")).toBe(before.manifest);
  });
});

describe.concurrent("a missing articles folder", () => {
  it("stops the build with one line naming the folder and the setting, and changes nothing", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-missing-")), "_site");
    expect((await buildArchive(fixture.articles, output, fixture.env)).exitCode).toBe(0);
    const before = await treeDigest(output);
    const missing = path.join(path.dirname(fixture.articles), "artciles");
    const result = await buildArchive(missing, output, fixture.env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^build: the articles folder "[^"]*artciles" does not exist; create it, or set ARTICLES_DIR .*nothing was published$/m,
    );
    expect(result.stderr + result.stdout).not.toMatch(/\n\s+at |ENOENT/);
    expect(await treeDigest(output)).toEqual(before);
  });
});

describe.concurrent("every problem in one run", () => {
  it("the build lists a removed published URL, a bad date, an unknown author and a missing image together, as npm run check does", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-all-")), "_site");
    const manifest = path.join(fixture.data, "permalinks.txt");
    expect((await buildArchive(fixture.articles, output, { ...fixture.env, PERMALINKS_MANIFEST: manifest })).exitCode).toBe(0);
    await rm(path.join(fixture.articles, "2022/story-29.md"));
    await writeFile(path.join(fixture.articles, "2024/bad-date.md"), "---\ntitle: Bad date\ndate: 2024-02-30\n---\nBody.\n");
    await writeFile(
      path.join(fixture.articles, "2024/unknown-author.md"),
      "---\ntitle: Unknown author\ndate: 2024-02-01\nauthors: [Nobody Known]\n---\nBody.\n",
    );
    await writeFile(
      path.join(fixture.articles, "2024/no-image.md"),
      "---\ntitle: No image\ndate: 2024-02-02\nimage:\n  src: missing.jpg\n  alt: A picture\n---\nBody.\n",
    );
    const result = await buildArchive(fixture.articles, output, { ...fixture.env, PERMALINKS_MANIFEST: manifest });
    expect(result.exitCode).toBe(1);
    const printed = result.stderr.split("\n").filter((line) => /:\d+: [\w.]+: /.test(line));
    for (const expected of [
      /permalink: \/2022\/.*\/ would stop working/,
      /bad-date\.md:3: date:/,
      /unknown-author\.md:4: authors\.0:/,
      /no-image\.md:4: image\.src:/,
    ]) {
      expect(
        printed.filter((line) => expected.test(line)),
        String(expected),
      ).toHaveLength(1);
    }
    const check = await checkArchive(path.relative(projectRoot, fixture.articles), {
      cwd: projectRoot,
      timezone: TIMEZONE,
      dataDir: fixture.data,
      siteUrl: "https://news.test",
      now: DateTime.fromISO(FIXTURE_BUILD_TIME),
      manifest,
    });
    expect(printed).toEqual(check.problems.map(formatProblem));
  });
});

describe.concurrent("feed entry ids", () => {
  /** The id of the Atom and JSON Feed entries titled `title` in the main feed. */
  async function ids(output: string, title: string): Promise<{ atom: string | undefined; json: string | undefined }> {
    const atom = await readFile(path.join(output, "feed.xml"), "utf8");
    const entry = atom
      .split("<entry>")
      .find((part) => part.includes(`<title type="html">${title}</title>`) || part.includes(`<title>${title}</title>`));
    const json = JSON.parse(await readFile(path.join(output, "feed.json"), "utf8")) as { items: { id: string; title: string }[] };
    return { atom: /<id>([^<]+)<\/id>/.exec(entry ?? "")?.[1], json: json.items.find((item) => item.title === title)?.id };
  }

  it("stay the same across a retitle and a change of date, each with an alias", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-ids-")), "_site");
    const env = { ...fixture.env, PERMALINKS_MANIFEST: path.join(fixture.data, "permalinks.txt") };
    const story = path.join(fixture.articles, "2024/story-24.md");
    const text = await readFile(story, "utf8");
    expect((await buildArchive(fixture.articles, output, env)).exitCode).toBe(0);
    const first = await ids(output, "Fixture story 24");
    expect(first.atom).toMatch(/^tag:/);
    expect(first.json).toBe(first.atom);

    await writeFile(
      story,
      text.replace('title: "Fixture story 24"', 'title: "Fixture story 24, retitled"\naliases: [/2024/02/12/fixture-story-24/]'),
    );
    const retitled = await buildArchive(fixture.articles, output, env);
    expect(retitled.exitCode, retitled.stderr).toBe(0);
    expect(await ids(output, "Fixture story 24, retitled")).toEqual(first);

    await writeFile(
      story,
      text
        .replace(
          'title: "Fixture story 24"',
          'title: "Fixture story 24, retitled"\naliases: [/2024/02/12/fixture-story-24/, /2024/02/12/fixture-story-24-retitled/]',
        )
        .replace("date: 2024-02-12", "date: 2024-02-13"),
    );
    const redated = await buildArchive(fixture.articles, output, env);
    expect(redated.exitCode, redated.stderr).toBe(0);
    expect(await ids(output, "Fixture story 24, retitled")).toEqual(first);
  });
});

describe.concurrent("publishing only what is published", () => {
  it("a retracted article (the only one of its topic and author, with its own picture) leaves no trace after one rebuild", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-retract-")), "_site");
    const title = "A story that will be retracted";
    const story = path.join(fixture.articles, "2024/retracted.md");
    // Its picture is one no other article uses: its encoded files must go with it. A small one, quick to encode.
    await sharp({ create: { width: 160, height: 90, channels: 3, background: { r: 200, g: 30, b: 60 } } })
      .jpeg()
      .toFile(path.join(fixture.articles, "2024/retracted.jpg"));
    await writeFile(
      story,
      `---\ntitle: ${title}\ndate: 2024-02-10\nauthors: [Dormant Writer]\ntopics: [Retraction topic]\nimage:\n  src: retracted.jpg\n  alt: A red square\n---\nA claim that turned out wrong.\n`,
    );
    expect((await buildArchive(fixture.articles, output, fixture.env)).exitCode).toBe(0);
    expect((await filesMentioning(output, title)).length).toBeGreaterThan(3);
    const images = new Set(await readdir(path.join(output, "img")));
    await writeFile(story, (await readFile(story, "utf8")).replace("---\nA claim", "draft: true\n---\nA claim"));
    const rebuilt = await buildArchive(fixture.articles, output, fixture.env);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(await filesMentioning(output, title)).toEqual([]);
    expect(await filesMentioning(output, "A claim that turned out wrong")).toEqual([]);
    expect(await filesMentioning(output, "retraction-topic")).toEqual([]);
    const left = new Set(await readdir(path.join(output, "img")));
    expect([...images].filter((file) => !left.has(file)).length).toBeGreaterThan(0);
    expect([...left].filter((file) => !images.has(file))).toEqual([]);
  });

  it("a data file in the articles folder adds nothing to its articles' pages, and a JavaScript one is never run", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-data-file-")), "_site");
    const injected = { image: { src: "https://news.test/injected.jpg", alt: "Injected by a data file" } };
    await writeFile(path.join(fixture.articles, "2019/2019.json"), JSON.stringify(injected));
    await writeFile(path.join(fixture.articles, "2019/story-01.11tydata.json"), JSON.stringify(injected));
    const ran = path.join(fixture.articles, "ran");
    await writeFile(
      path.join(fixture.articles, "2022/2022.11tydata.js"),
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(ran)}, "ran");\nexport default ${JSON.stringify(injected)};\n`,
    );
    const result = await buildArchive(fixture.articles, output, fixture.env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await filesMentioning(output, "Archive story 01")).toContain("2019/01/03/archive-story-01/index.html");
    expect(await filesMentioning(output, "Injected by a data file")).toEqual([]);
    expect(existsSync(ran)).toBe(false);
  });

  it("a CRLF article whose last front matter line is draft: true is published nowhere", async () => {
    const fixture = await copyFixture();
    const output = path.join(await mkdtemp(path.join(testTmpdir(), "broadsheet-crlf-")), "_site");
    await writeFile(
      path.join(fixture.articles, "2024/crlf.md"),
      "---\r\ntitle: Embargoed CRLF story\r\ndate: 2024-01-05\r\nslug: crlf-story\r\ndraft: true\r\n---\r\nSecret words.\r\n",
    );
    await writeFile(
      path.join(fixture.articles, "2024/crlf-live.md"),
      "---\r\ntitle: Live CRLF story\r\nslug: live-crlf\r\ndate: 2024-01-06\r\n---\r\nPublic words.\r\n",
    );
    const result = await buildArchive(fixture.articles, output, fixture.env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await filesMentioning(output, "Embargoed CRLF story")).toEqual([]);
    expect(await filesMentioning(output, "Secret words")).toEqual([]);
    // The slug on a CRLF line is the slug, not "live-crlf\r".
    expect(await filesMentioning(output, "Public words")).toContain("2024/01/06/live-crlf/index.html");
  });
});
