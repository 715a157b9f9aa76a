import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySmallFixture, fixtureData, projectRoot } from "../helpers/build.ts";
import { type Preview, startPreview } from "../helpers/preview.ts";
import { testTmpdir } from "../helpers/tmp.ts";
import { treeDigest } from "../helpers/tree.ts";
import { PREVIEW_RECORD } from "../../src/build/preview.ts";

// `npm start` (the build pipeline with --serve) on the fixture archive: held-back articles get preview pages with a banner.
let preview: Preview;
let origin: string;

beforeAll(async () => {
  const output = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-"));
  preview = await startPreview({ articles: "tests/fixtures/archive", data: "tests/fixtures/data", output });
  origin = preview.origin;
});

afterAll(() => {
  preview?.server.kill();
});

const page = async (url: string) => {
  const response = await fetch(new URL(url, origin));
  return { status: response.status, document: parseHTML(await response.text()).document };
};

describe("preview under npm start", () => {
  it("shows a draft with a banner saying it is a draft", async () => {
    const { status, document } = await page("/2024/01/15/unpublished-draft/");
    expect(status).toBe(200);
    expect(document.querySelector(".preview-banner")?.textContent).toContain("this article is a draft");
    expect(document.querySelector("[data-pagefind-body]")).toBeNull();
  });

  it("shows an embargoed article with a banner naming its date", async () => {
    const { document } = await page("/2024/06/01/embargoed-budget-story/");
    expect(document.querySelector(".preview-banner")?.textContent).toContain("embargoed until June 1, 2024");
  });

  it("keeps previews out of the listings", async () => {
    const { document } = await page("/");
    const titles = [...document.querySelectorAll(".article-list__title a")].map((a) => a.textContent);
    expect(titles).not.toContain("Unpublished draft");
    expect(titles).not.toContain("Embargoed budget story");
  });

  it("gives published articles no banner", async () => {
    const { document } = await page("/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/");
    expect(document.querySelector(".preview-banner")).toBeNull();
  });
});

/** The pages each finished build of a preview rendered, from its log: the first build's, then each rebuild's. */
function renderedPerBuild(log: string): number[] {
  return [...log.matchAll(/\[broadsheet\] render\/write: (\d+) pages?/g)].map((match) => Number(match[1]));
}

/** Waits until the preview has finished `builds` builds (its first included), polling its log. */
async function builds(preview: Preview, count: number): Promise<void> {
  for (let tries = 0; tries < 1200; tries += 1) {
    if ((preview.log().match(/Watching…/g) ?? []).length >= count) return;
    await sleep(50);
  }
  throw new Error(`the preview did not finish ${count} builds:\n${preview.log()}`);
}

/** Stops a preview and waits until its process has exited (and so let go of its folder). */
async function stop(preview: Preview): Promise<void> {
  if (preview.server.exitCode !== null || preview.server.signalCode !== null) return;
  const exited = new Promise((resolve) => preview.server.once("exit", resolve));
  preview.server.kill();
  await exited;
}

describe("a save under npm start", () => {
  it("renders in runs, then only the pages a save changes, in this session and the next, leaving what a fresh start would", async () => {
    const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-saves-"));
    const articles = path.join(root, "articles");
    await copySmallFixture(articles);
    const data = path.relative(projectRoot, fixtureData);
    const output = path.join(root, "live");
    // Its first start renders in Eleventy runs of at most 40 pages before it watches (as a large archive's does).
    const live = await startPreview({ articles, data, output, env: { BROADSHEET_PAGES_PER_RUN: "40" } });
    try {
      await builds(live, 1);
      expect(renderedPerBuild(live.log()).length, live.log()).toBeGreaterThan(3);
      // A correction to one article's body: its page, and the feeds that carry it in full.
      await appendFile(path.join(articles, "2022/story-29.md"), "\nA sentence added by the copy desk.\n");
      await builds(live, 2);
      // A new headline at the same address: the article, its neighbours' and related articles' links, its listings.
      const story = path.join(articles, "2019/story-03.md");
      await writeFile(story, (await readFile(story, "utf8")).replace(/^title: .*$/m, 'title: "A new headline"\nslug: archive-story-03'));
      await builds(live, 3);
      const counts = renderedPerBuild(live.log());
      const [corrected, retitled] = counts.slice(-2);
      const all = counts.slice(0, -2).reduce((sum, count) => sum + count, 0);
      expect(corrected, live.log()).toBeLessThan(all / 4);
      expect(retitled, live.log()).toBeLessThan(all / 2);
      expect(retitled).toBeGreaterThan(corrected!);
      const page = await fetch(new URL("/2022/06/07/archive-story-29/", live.origin));
      expect(await page.text()).toContain("A sentence added by the copy desk.");
    } finally {
      await stop(live);
    }

    // The next session on the same folder, after one more correction made while no preview ran: its first build
    // renders what changed since the last, not the whole site.
    await appendFile(path.join(articles, "2019/story-05.md"), "\nA second correction.\n");
    const next = await startPreview({ articles, data, output });
    try {
      await builds(next, 1);
      const first = renderedPerBuild(next.log()).reduce((sum, count) => sum + count, 0);
      const all = renderedPerBuild(live.log())
        .slice(0, -2)
        .reduce((sum, count) => sum + count, 0);
      expect(first, next.log()).toBeLessThan(all / 4);
    } finally {
      await stop(next);
    }

    // The same archive previewed from the start: every file it writes is in the rebuilt preview, byte for byte (its
    // record of page keys too).
    const fresh = await startPreview({ articles, data, output: path.join(root, "fresh") });
    try {
      await builds(fresh, 1);
    } finally {
      await stop(fresh);
    }
    const rebuilt = await treeDigest(output);
    const expected = await treeDigest(path.join(root, "fresh"));
    expect(expected.size).toBeGreaterThan(100);
    expect(expected.has(PREVIEW_RECORD)).toBe(true);
    expect(new Map([...expected.keys()].map((file) => [file, rebuilt.get(file)]))).toEqual(expected);
  });
});
