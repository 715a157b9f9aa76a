// The preview's state between rebuilds under `npm start`: which pages a rebuild renders again (those whose inputs
// changed since the last rebuild that succeeded), and what it shows while the archive has problems (a page listing
// them, in place of every page, until a rebuild succeeds and live reload brings the site back).
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import escapeHtml from "escape-html";
import { writeWhole } from "../shared/fs.ts";
import type { Problem } from "../validation/index.ts";
import { formatProblem } from "../validation/index.ts";
import type { PageEntry } from "./pages.ts";

/**
 * The pages of the preview folder that are up to date, by their page keys (see `pageEntries`), so that a rebuild
 * renders only the pages whose keys changed: the preview is rebuilt in place, and an unchanged page written by an
 * earlier rebuild of the same session is already there. Pages without a key (the site-wide files, the preview pages of
 * drafts and embargoed articles) are rendered by every rebuild.
 */
export class PreviewPages {
  /** The key of each keyed page as the preview folder holds it. */
  #shown: ReadonlyMap<string, string>;
  /** The keys of the rebuild under way, once planned. */
  #planned: Map<string, string> | undefined;
  /** The search keys of the article pages of the rebuild under way (or the last one). */
  #searchKeys = new Map<string, string>();

  /** `shown`: the keys of the pages the preview folder holds, as an earlier session recorded them (none by default). */
  constructor(shown: ReadonlyMap<string, string> = new Map()) {
    this.#shown = shown;
  }

  /** The key of each keyed page the preview folder holds up to date: what {@link writePreviewRecord} keeps. */
  get shown(): ReadonlyMap<string, string> {
    return this.#shown;
  }

  /**
   * A rebuild of the pages `entries` starts: the pages whose keys are those shown stay as they are, every other is
   * rendered. Pages about to be rendered are no longer counted as shown until the rebuild succeeds: one that fails
   * half-way may have rewritten some of them.
   */
  plan(entries: readonly PageEntry[]): void {
    const planned = new Map(entries.map((entry) => [entry.url, entry.key]));
    const kept = new Map<string, string>();
    for (const [url, key] of planned) if (this.#shown.get(url) === key) kept.set(url, key);
    this.#shown = kept;
    this.#planned = planned;
    this.#searchKeys = new Map(entries.flatMap((entry) => (entry.searchKey === undefined ? [] : [[entry.url, entry.searchKey]])));
  }

  /**
   * The search key of each article page of the rebuild under way, by URL: once its pages are written, each holds what
   * its key says (unchanged, or rendered by this rebuild), so the search bundles are keyed without reading the pages.
   */
  get searchKeys(): ReadonlyMap<string, string> {
    return this.#searchKeys;
  }

  /** Whether the rebuild under way renders the page at `url`. */
  renders(url: string): boolean {
    return !this.#shown.has(url);
  }

  /** The rebuild under way succeeded: every page it planned is up to date. */
  succeed(): void {
    if (this.#planned) this.#shown = this.#planned;
    this.#planned = undefined;
  }
}

/**
 * The file in the preview folder that records its pages' keys ({@link PreviewPages.shown}) after each rebuild that
 * succeeded, so that the next `npm start` renders only what changed since. A build into that folder replaces the
 * folder, and the record with it.
 */
export const PREVIEW_RECORD = ".broadsheet-preview.json";

/**
 * The page keys recorded in the preview folder `folder`: none when there is no record (a first start, or a rebuild
 * that did not finish) or it cannot be read as one (edited by hand), which renders every page, as a first start does.
 */
export async function readPreviewRecord(folder: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path.join(folder, PREVIEW_RECORD), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return new Map();
    throw error;
  }
  const pages = (record as { pages?: unknown } | null)?.pages;
  if (!Array.isArray(pages)) return new Map();
  return new Map(
    pages.filter(
      (page): page is [string, string] =>
        Array.isArray(page) && page.length === 2 && typeof page[0] === "string" && typeof page[1] === "string",
    ),
  );
}

/** Records `shown` in the preview folder `folder`, whole or not at all. */
export async function writePreviewRecord(folder: string, shown: ReadonlyMap<string, string>): Promise<void> {
  await writeWhole(path.join(folder, PREVIEW_RECORD), `${JSON.stringify({ pages: [...shown] })}\n`);
}

/** Removes the record of the preview folder `folder` before a rebuild writes into it: a rebuild cut short leaves none. */
export async function forgetPreviewRecord(folder: string): Promise<void> {
  await rm(path.join(folder, PREVIEW_RECORD), { force: true });
}

/** The problems of the preview's last build (none when it succeeded). */
export class PreviewState {
  #problems: readonly Problem[] = [];

  /**
   * The last build failed with `problems`. Returns whether they differ from those already shown: one save can start
   * two rebuilds (the file's creation and its contents, when a loaded machine sees them apart), and the terminal
   * should get each list once.
   */
  fail(problems: readonly Problem[]): boolean {
    const changed =
      problems.length !== this.#problems.length ||
      problems.some((problem, i) => formatProblem(problem) !== formatProblem(this.#problems[i]!));
    this.#problems = problems;
    return changed;
  }

  /** The last build succeeded. */
  succeed(): void {
    this.#problems = [];
  }

  get problems(): readonly Problem[] {
    return this.#problems;
  }
}

/** True for a request of a page (not an asset): a folder URL or an `.html` file. */
export function isPageRequest(pathname: string): boolean {
  return pathname.endsWith("/") || pathname.endsWith(".html");
}

/** The page shown for every page URL while the archive has `problems`: each `file:line: field: message`, and what to do. */
export function problemPage(problems: readonly Problem[]): string {
  const files = new Set(problems.map((problem) => problem.file)).size;
  const items = problems.map((problem) => `<li><code>${escapeHtml(formatProblem(problem))}</code></li>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Preview: ${problems.length} problem${problems.length === 1 ? "" : "s"} to fix</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}h1{color:#a30000;font-size:1.5rem}li{margin:.5rem 0}code{white-space:pre-wrap;word-break:break-word}</style>
</head>
<body>
<main>
<h1>The preview is not up to date: ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}</h1>
<p>Fix ${problems.length === 1 ? "it" : "them"} and save; this page is replaced by the site as soon as a rebuild succeeds.</p>
<ol>
${items}
</ol>
</main>
</body>
</html>
`;
}
