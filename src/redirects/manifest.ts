// The permalink manifest: every URL the site has published, with the file that last had it, one per line.

/** One published URL and the article file that last had it (or the redirect that keeps it working). */
export interface ManifestEntry {
  url: string;
  /** Project-relative file, e.g. `articles/2013/story.md`; empty when unknown (a hand-written line). */
  file: string;
  /**
   * The identity of the article first published at this URL, `YYYY-MM-DD:/path/` (its date and URL then),
   * from which feed entry ids are made. Kept for the article's lifetime: a retitled article's new URL inherits
   * it from the old one. Absent on redirects from the redirects file and on manifests from before it existed.
   */
  identity?: string | undefined;
  /** 1-based line in the manifest file it was read from, for messages. */
  line?: number | undefined;
}

/** A manifest line that is not `URL<TAB>file[<TAB>identity]`. */
export interface ManifestError {
  line: number;
  message: string;
}

/** The comment at the top of every manifest the build writes. */
export const MANIFEST_HEADER = [
  "# Every URL this site has published, with the file that last had it and the identity its feed entries keep.",
  "# Written by `npm run build`; commit it.",
  "# The build fails if a URL listed here is neither an article's URL nor a redirect (see README, Permalinks).",
  "# To retire a URL on purpose, delete its line in the same commit.",
];

/** Code-point order, the same on every machine (unlike `localeCompare`), so rebuilds never reorder lines. */
function byUrl(a: ManifestEntry, b: ManifestEntry): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/**
 * Reads a manifest: `#` comments and blank lines are skipped; every other line is a site path, then
 * optionally a tab and the file that had it. A later line for the same URL wins.
 */
export function parseManifest(text: string): { entries: ManifestEntry[]; errors: ManifestError[] } {
  const byPath = new Map<string, ManifestEntry>();
  const errors: ManifestError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const [url = "", file = "", identity = "", ...rest] = line.split("\t");
    if (!url.startsWith("/") || /\s/.test(url) || rest.length > 0) {
      errors.push({
        line: index + 1,
        message: `"${line}" is not a site path (starting with /), optionally followed by a tab and a file name, and a tab and an identity`,
      });
      return;
    }
    byPath.set(url, { url, file: file.trim(), line: index + 1, ...(identity.trim() !== "" && { identity: identity.trim() }) });
  });
  return { entries: [...byPath.values()].sort(byUrl), errors };
}

/** Writes a manifest: the header, then one `URL<TAB>file` line per URL, sorted, so git diffs show exactly what changed. */
export function formatManifest(entries: Iterable<ManifestEntry>): string {
  const lines = [...entries]
    .sort(byUrl)
    .map(({ url, file, identity }) => [url, ...(file !== "" || identity ? [file] : []), ...(identity ? [identity] : [])].join("\t"));
  return `${[...MANIFEST_HEADER, ...lines].join("\n")}\n`;
}

/**
 * The manifest after a build: every URL it listed (so a URL that stops working is always noticed,
 * redirected ones included) plus every URL live now, each with the file that has it now.
 */
export function mergeManifest(previous: Iterable<ManifestEntry>, live: Iterable<ManifestEntry>): ManifestEntry[] {
  const byPath = new Map<string, ManifestEntry>();
  for (const entry of previous) byPath.set(entry.url, entry);
  // A URL keeps the identity it was recorded with when what serves it now carries none (a redirect).
  for (const entry of live) byPath.set(entry.url, { ...entry, identity: entry.identity ?? byPath.get(entry.url)?.identity });
  return [...byPath.values()].sort(byUrl);
}

/** The listed URLs that nothing serves any more: neither an article nor a redirect has them. Linear. */
export function brokenUrls(manifest: Iterable<ManifestEntry>, served: ReadonlySet<string>): ManifestEntry[] {
  return [...manifest].filter((entry) => !served.has(entry.url));
}
