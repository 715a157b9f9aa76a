// The bench's Eleventy peer built for real on a small generated archive: the site it makes is the one its timing
// stands for (an article page each, the listings, the feeds), and the bench reads its page count from Eleventy's summary.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveLayout, ensureArchive } from "../../../scripts/bench/generator/index.ts";
import { eleventyPages } from "../../../scripts/bench/peers.ts";
import { projectRoot } from "../../helpers/build.ts";
import { testTmpdir } from "../../helpers/tmp.ts";

const ARTICLES = 30;

let scratch: string;
let output: string;
let summary: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(testTmpdir(), "broadsheet-eleventy-peer-"));
  const root = path.join(scratch, "archive");
  await ensureArchive(root, { articles: ARTICLES, seed: 3 });
  output = path.join(scratch, "site");
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/bench/eleventy/build.ts", archiveLayout(root).articlesDir, output],
    { cwd: projectRoot },
  );
  summary = `${stdout}\n${stderr}`;
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Every file under `dir`, relative to it. */
async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe("the Eleventy peer", () => {
  it("writes a page for every article, at its year folder", async () => {
    const articlePages = (await filesIn(output)).filter((file) => /^\d{4}\/(?!page\/)[^/]+\/index\.html$/.test(file));
    expect(articlePages).toHaveLength(ARTICLES);
    const page = await readFile(path.join(output, articlePages[0]!), "utf8");
    expect(page).toContain("<article data-pagefind-body>");
  });

  it("lists the newest 20 on the home page and the rest on the next", async () => {
    const links = (html: string) => [...html.matchAll(/<li><a href="(\/\d{4}\/[^"]+)"/g)].map((match) => match[1]);
    expect(links(await readFile(path.join(output, "index.html"), "utf8"))).toHaveLength(20);
    expect(links(await readFile(path.join(output, "page/2/index.html"), "utf8"))).toHaveLength(ARTICLES - 20);
  });

  it("writes RSS for the home page and each topic that a feed parser reads", async () => {
    const parser = new XMLParser();
    const home = parser.parse(await readFile(path.join(output, "index.xml"), "utf8")) as { rss: { channel: { item: unknown[] } } };
    expect(home.rss.channel.item).toHaveLength(20);
    const topicFeeds = (await filesIn(output)).filter((file) => /^topics\/[^/]+\/index\.xml$/.test(file));
    expect(topicFeeds.length).toBeGreaterThan(0);
  });

  it("says in its summary how many files it wrote, as the bench reads it", async () => {
    const written = (await filesIn(output)).filter((file) => !file.startsWith("pictures/") && !file.startsWith("css/"));
    expect(eleventyPages(summary)).toBe(written.length);
  });
});
