// What a reader's browser downloads to search a built site: serves it on 127.0.0.1, opens the search page on four
// searches in Chromium and adds up the bytes on the wire (Chrome DevTools Protocol network events) until the first
// results are on screen. Usage on its own: tsx scripts/bench/search-payload.ts --site DIR --query WORD.
// Also the shared tooling for the search browser tests and the README screenshot: a static server and a Chromium launcher.
import { readFile, readdir, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";

/** The Chromium the tests use (Debian's package) and the flags that keep it quiet and offline. */
export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Chromium's switch that makes every host but 127.0.0.1 unknown, so a page's requests to other hosts fail at once
 * (the machine is offline) instead of waiting for a name lookup.
 */
export const LOCAL_ONLY_ARG = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1";

/**
 * How every `page.waitForFunction` here and in the tests checks its condition: on a timer. Playwright's default checks
 * on each animation frame, and a renderer starved by a loaded machine can put frames off past any timeout: a search
 * test's wait once timed out in CI's full suite on a page that had finished (a known kind of flake, seen in other
 * projects' suites under parallel load). A timer check every 100 ms adds at most that much to a wait.
 */
export const POLL_ON_TIMER = { polling: 100 } as const;

/** Starts headless Chromium, with `args` after {@link CHROMIUM_ARGS}. */
export function launchChromium(args: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...args] });
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".avif": "image/avif",
};

/** Text types a CDN compresses. Pagefind's own index files (`.pagefind`, `.pf_*`) are gzipped when written, so they go as they are. */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".xml", ".svg"]);

/** A static site served on 127.0.0.1. */
export interface SiteServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

/** How to serve: `compress` gzips text, as CDNs do (default true). */
export interface ServeOptions {
  compress?: boolean;
}

const gzip = promisify(gzipCallback);

/** A file as last read by the server, and which version of it that was. */
interface ServedFile {
  /** Inode, size and modification time when it was read: a rebuilt file (even one swapped in whole) differs. */
  version: string;
  body: Buffer;
  /** The body gzipped, made on the first request that accepts it. */
  gzipped?: Buffer;
}

/**
 * Serves the folder `root` on an OS-chosen port of 127.0.0.1, `/dir/` as `/dir/index.html`, gzipping text when asked.
 * Each file is read (and gzipped) once and kept in memory until it changes on disk, as a CDN keeps it: a search page
 * of an archive in bundles asks for fifty-odd files, and reading and compressing them afresh for each of the search
 * tests' page loads cost their test process about a tenth of its CPU time (10.1 s against 8.9 s, sampled from `/proc`).
 */
export async function serveSite(root: string, options: ServeOptions = {}): Promise<SiteServer> {
  const base = path.resolve(root);
  const compress = options.compress ?? true;
  const files = new Map<string, ServedFile>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
      let file = path.join(base, path.normalize(pathname));
      const info = file.startsWith(base) ? await stat(file).catch(() => null) : null;
      if (info?.isDirectory()) file = path.join(file, "index.html");
      const found = info?.isDirectory() ? await stat(file).catch(() => null) : info;
      if (!found?.isFile()) {
        response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        response.end("Not found");
        return;
      }
      const version = `${found.ino}:${found.size}:${found.mtimeMs}`;
      let served = files.get(file);
      if (served?.version !== version) {
        served = { version, body: await readFile(file) };
        files.set(file, served);
      }
      const extension = path.extname(file);
      const gzipped = compress && COMPRESSIBLE.has(extension) && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
      const body = gzipped ? (served.gzipped ??= await gzip(served.body)) : served.body;
      response.writeHead(200, {
        "content-type": CONTENT_TYPES[extension] ?? "application/octet-stream",
        "content-length": String(body.length),
        ...(gzipped ? { "content-encoding": "gzip", vary: "accept-encoding" } : {}),
      });
      response.end(body);
    })().catch((error: unknown) => {
      // A fault in this server (a file unreadable mid-run): the request fails, and the error must show.
      response.destroy();
      throw error;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Total size in bytes of the files under `dir`, recursively. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(full) : (await stat(full)).size;
  }
  return total;
}

/**
 * Size on disk of the search index proper: the word index, filters, page fragments and metadata; of a single index,
 * without Pagefind's script and WebAssembly. An archive in bundles counts its bundle folders whole (the newest holds
 * the script and WebAssembly, about 110 kB).
 */
export async function searchIndexBytes(siteDir: string): Promise<number> {
  const pagefindDir = path.join(siteDir, "pagefind");
  let total = 0;
  for (const entry of await readdir(pagefindDir, { withFileTypes: true })) {
    const full = path.join(pagefindDir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.name.endsWith(".pf_meta") || entry.name === "pagefind-entry.json") total += (await stat(full)).size;
  }
  return total;
}

/** Makes `page` note, on its own clock (navigation start = 0), when the first search result appears: see {@link firstResultAt}. */
export async function watchFirstResult(page: Page): Promise<void> {
  await page.addInitScript(() => {
    new MutationObserver((_changes, observer) => {
      if (document.querySelector(".search-result")) {
        (window as unknown as { firstResultAt: number }).firstResultAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

/** Waits for the first result of a page watched by {@link watchFirstResult}, and gives the milliseconds it took. */
export async function firstResultAt(page: Page): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { firstResultAt?: number }).firstResultAt !== undefined, undefined, {
    ...POLL_ON_TIMER,
    timeout: 60_000,
  });
  return page.evaluate(() => (window as unknown as { firstResultAt: number }).firstResultAt);
}

/** What one search cost the browser, from page load until its first result was on screen. */
export interface SearchCost {
  /** Bytes received (headers and compressed bodies). */
  bytes: number;
  /** Requests completed. */
  requests: number;
  /** Milliseconds from navigation start. */
  msToFirstResult: number;
}

/**
 * The bench's four searches: the one-word query (its figures under the plain names, as earlier results have them),
 * two words, every article newest first (browse mode) and one year's articles; and the index size on disk.
 */
export interface SearchPayload extends SearchCost {
  query: string;
  twoWords: string;
  twoWordsBytes: number;
  twoWordsRequests: number;
  twoWordsMs: number;
  newestBytes: number;
  newestRequests: number;
  newestMs: number;
  year: string;
  yearBytes: number;
  yearRequests: number;
  yearMs: number;
  /** Size of the search index on disk (see {@link searchIndexBytes}). */
  indexBytesOnDisk: number;
}

/** One finished request: bytes on the wire (CDP's `encodedDataLength`, headers included) and when it ended. */
interface Finished {
  bytes: number;
  /** CDP monotonic time in seconds. */
  at: number;
}

/** Records the page's requests: when the document was requested (navigation start) and every request's end and size. */
async function recordNetwork(session: CDPSession): Promise<{ finished: Finished[]; navigationStart: () => number }> {
  const finished: Finished[] = [];
  let navigationStart = Number.NaN;
  session.on("Network.requestWillBeSent", (event) => {
    if (event.type === "Document" && Number.isNaN(navigationStart)) navigationStart = event.timestamp;
  });
  session.on("Network.loadingFinished", (event) => finished.push({ bytes: event.encodedDataLength, at: event.timestamp }));
  await session.send("Network.enable");
  await session.send("Network.setCacheDisabled", { cacheDisabled: true });
  return { finished, navigationStart: () => navigationStart };
}

/**
 * Opens `/search/<search>` on the site served at `baseUrl` in a fresh browser context (empty cache) and measures the
 * bytes transferred and requests made from page load until the first result is rendered, and the time that took.
 * The search page runs Pagefind on the page thread; a web worker's requests would not show in the page's network
 * events, so one makes this throw.
 */
export async function measureSearch(browser: Browser, baseUrl: string, search: string): Promise<SearchCost> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await watchFirstResult(page);
    const workers: string[] = [];
    page.on("worker", (worker) => workers.push(worker.url()));
    const network = await recordNetwork(await context.newCDPSession(page));
    await page.goto(`${baseUrl}/search/${search}`);
    const msToFirstResult = await firstResultAt(page);
    if (workers.length > 0)
      throw new Error(`the search page started a web worker (${workers.join(", ")}), whose downloads this measurement cannot see`);
    // Only what had arrived when the results appeared: thumbnails and facet data that follow are not part of it.
    const cutoff = network.navigationStart() + msToFirstResult / 1000;
    if (Number.isNaN(cutoff)) throw new Error("the search page's own request was not seen");
    const before = network.finished.filter((request) => request.at <= cutoff);
    return {
      bytes: before.reduce((sum, request) => sum + request.bytes, 0),
      requests: before.length,
      msToFirstResult: Math.round(msToFirstResult),
    };
  } finally {
    await context.close();
  }
}

/**
 * The second word of the two-word query and the year of the year filter, taken from the built site so any archive
 * works: the longest word of the newest article's headline (JSON Feed), and the year five years before it.
 */
async function secondWordAndYear(siteDir: string): Promise<{ word: string; year: string }> {
  const feed = JSON.parse(await readFile(path.join(siteDir, "feed.json"), "utf8")) as {
    items: { title?: string; date_published?: string }[];
  };
  const newest = feed.items[0];
  const word = [...(newest?.title ?? "").matchAll(/\p{L}+/gu)]
    .map((match) => match[0].toLocaleLowerCase())
    .sort((a, b) => b.length - a.length)[0];
  if (!word || !newest?.date_published) throw new Error(`${siteDir}/feed.json has no newest article with a headline and a date`);
  return { word, year: String(Number(newest.date_published.slice(0, 4)) - 5) };
}

/**
 * Measures the bench's four searches on the built site in `siteDir` (see {@link SearchPayload}), each in a fresh
 * browser context, the site served gzipped as a CDN would: `query`, `query` and a second word, every article newest
 * first, and one year's articles.
 */
export async function measureSearchPayload(siteDir: string, query: string): Promise<SearchPayload> {
  const { word, year } = await secondWordAndYear(siteDir);
  const twoWords = `${query} ${word}`;
  const server = await serveSite(siteDir);
  const browser = await launchChromium();
  try {
    const one = await measureSearch(browser, server.url, `?q=${encodeURIComponent(query)}`);
    const two = await measureSearch(browser, server.url, `?q=${encodeURIComponent(twoWords)}`);
    const newest = await measureSearch(browser, server.url, "?sort=newest");
    const inYear = await measureSearch(browser, server.url, `?year=${year}`);
    return {
      query,
      ...one,
      twoWords,
      twoWordsBytes: two.bytes,
      twoWordsRequests: two.requests,
      twoWordsMs: two.msToFirstResult,
      newestBytes: newest.bytes,
      newestRequests: newest.requests,
      newestMs: newest.msToFirstResult,
      year,
      yearBytes: inYear.bytes,
      yearRequests: inYear.requests,
      yearMs: inYear.msToFirstResult,
      indexBytesOnDisk: await searchIndexBytes(siteDir),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { site: { type: "string" }, query: { type: "string" }, only: { type: "string" } } });
  if (!values.site || !values.query) throw new Error("usage: tsx scripts/bench/search-payload.ts --site DIR --query WORD [--only '?q=…']");
  if (values.only !== undefined) {
    const server = await serveSite(values.site);
    const browser = await launchChromium();
    try {
      console.log(JSON.stringify(await measureSearch(browser, server.url, values.only)));
    } finally {
      await browser.close();
      await server.close();
    }
    return;
  }
  console.log(JSON.stringify(await measureSearchPayload(values.site, values.query), null, 2));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
