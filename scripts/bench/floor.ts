// The floor of a build: the work no build of the archive can avoid, timed in one process — reading every
// article, rendering its body with Broadsheet's markdown-it, and indexing only the article pages with Pagefind.
// scripts/bench/floor-cli.ts runs it in a process of its own.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import * as pagefind from "pagefind";
import { createMarkdown } from "../../src/markdown/index.ts";
import { SEARCH_SHARD_SIZE } from "../../src/search/shards.ts";

/** Timings of the floor work, in milliseconds. */
export interface FloorResult {
  articles: number;
  /** Reading files and finding the title and body (no YAML parsing). */
  readMs: number;
  /** markdown-it rendering of the bodies. */
  markdownMs: number;
  /** Pagefind: adding the pages and writing the index. */
  pagefindMs: number;
  /** Of which writing the index files. */
  pagefindWriteMs: number;
  /** Everything above, end to end (the pieces overlap: Pagefind indexes while the next bodies render). */
  totalMs: number;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const TITLE = /^title:[ \t]*(.+)$/m;

/** Splits an article into its title (from a one-line `title:` field, as the generator writes it) and body. */
export function titleAndBody(text: string): { title: string; body: string } {
  const match = FENCE.exec(text);
  if (!match) return { title: "", body: text };
  const raw = TITLE.exec(match[1] ?? "")?.[1]?.trim() ?? "";
  const title = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  return { title, body: text.slice(match[0].length) };
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The least page Pagefind needs to index an article: its language, headline and body. */
export function minimalPage(title: string, bodyHtml: string, language: string): string {
  return `<!doctype html><html lang="${language}"><head><title>${escapeHtml(title)}</title></head><body><main data-pagefind-body><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body></html>`;
}

/**
 * Does the floor work for the `.md` files under `articlesDir`, writing the index to `outDir/pagefind`.
 * `inFlight` pages are sent to Pagefind before waiting for the oldest, so its process never waits on Node.
 * Like the build, Pagefind indexes at most `shardSize` articles at a time (one bundle each, written and freed
 * before the next), so its memory stays bounded at any archive size.
 */
export async function measureFloor(
  articlesDir: string,
  outDir: string,
  inFlight = 32,
  language = "en",
  shardSize = SEARCH_SHARD_SIZE,
): Promise<FloorResult> {
  const started = performance.now();
  const entries = await readdir(articlesDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const md = createMarkdown();
  let readMs = 0;
  let markdownMs = 0;
  let pagefindWriteMs = 0;
  try {
    for (let first = 0; first < files.length || first === 0; first += shardSize) {
      const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
      if (!index) throw new Error(`Pagefind could not start: ${errors.join("; ")}`);
      const pending: Promise<unknown>[] = [];
      for (const file of files.slice(first, first + shardSize)) {
        const readStart = performance.now();
        const { title, body } = titleAndBody(await readFile(file, "utf8"));
        const renderStart = performance.now();
        const html = md.render(body);
        markdownMs += performance.now() - renderStart;
        readMs += renderStart - readStart;
        const url = `/${path.relative(articlesDir, file).replace(/\.md$/, "/").split(path.sep).join("/")}`;
        pending.push(
          index.addHTMLFile({ url, content: minimalPage(title, html, language) }).then((added) => {
            if (added.errors.length > 0) throw new Error(`Pagefind could not index ${url}: ${added.errors.join("; ")}`);
          }),
        );
        if (pending.length >= inFlight) await pending.shift();
      }
      await Promise.all(pending);
      const writeStart = performance.now();
      const written = await index.writeFiles({ outputPath: path.join(outDir, "pagefind", String(first / shardSize + 1)) });
      if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join("; ")}`);
      await index.deleteIndex();
      pagefindWriteMs += performance.now() - writeStart;
    }
  } finally {
    await pagefind.close();
  }
  const totalMs = performance.now() - started;
  return { articles: files.length, readMs, markdownMs, pagefindMs: totalMs - readMs - markdownMs, pagefindWriteMs, totalMs };
}
