// The bench's results: their JSON shape, the table printed to the terminal and the SVG chart of the curve.
// Pure functions only, so the table and the chart are tested without running a build.
import type { PeerBuild } from "./peers.ts";

/** Phase names as the build reports them (src/progress and the wrapped validation and search calls). */
export const PHASES = ["start-up", "validation", "render/write", "search index"] as const;

/** The floor run: the irreducible work (see scripts/bench/floor.ts), in its own process. */
export interface FloorRun {
  /** In-process time of the work itself. */
  ms: number;
  readMs: number;
  markdownMs: number;
  pagefindMs: number;
  pagefindWriteMs: number;
  /** Wall time of the process, start-up included. */
  wallMs: number;
  /** CPU time (user + system) of the process and its children. */
  cpuMs: number | null;
  peakRssBytes: number | null;
}

/** One size's measurements. */
export interface SizeResult {
  articles: number;
  seed: number;
  /** Pages Eleventy wrote (HTML, feeds and other templates; not passthrough copies or the search index). */
  pages: number;
  /** Wall time of the build process, start to exit. */
  wallMs: number;
  /** CPU time (user + system) of the build and its children (Pagefind); on 2 cores it can exceed the wall time. */
  cpuMs: number | null;
  /** Milliseconds per phase as the build reported them; `other` is the rest of the wall time (e.g. exit). */
  phases: Record<string, number>;
  /** Counts per phase (articles validated, pages written, articles indexed). */
  counts: Record<string, number>;
  /** Highest summed resident memory of the build's process tree (Node and Pagefind), sampled. */
  peakRssBytes: number | null;
  /** Highest resident memory of its largest single process. */
  peakProcessRssBytes: number | null;
  outputBytes: number;
  outputFiles: number;
  /** Null when the floor run failed or was skipped after a failed build. */
  floor: FloorRun | null;
  /** wallMs ÷ floor.ms; null without a floor. */
  floorRatio: number | null;
  msPerArticle: number;
  /** msPerArticle ÷ the previous (smaller) size's msPerArticle; null for the first size. */
  growth: number | null;
  /** Search payload numbers of scripts/bench/search-payload.ts, when measured. */
  search?: Record<string, unknown> | undefined;
  /** Eleventy's own warnings about slow filters and templates, as printed by the build. */
  eleventyBenchmarks: string[];
  /** Whether the archive was reused from the cache, and how long generating it took if not. */
  archive: { reused: boolean; generateMs: number; words: number; images: number };
  /** 1-minute load average before and after the build, since the machine may be shared. */
  load: { before: number; after: number };
  /** When this size was measured (ISO); sizes merged from several runs differ. */
  measuredAt?: string | undefined;
  /** Why the build (or the floor run) failed; the other figures then describe the run up to the failure. */
  error?: string | undefined;
  /** The warm builds of the edit cycle, in order; undefined when it was skipped (`--no-edits`). */
  edits?: EditResult[] | undefined;
  /** The Hugo peer's builds (`--peers`); undefined when not asked for. */
  peer?: PeerResult | undefined;
  /** The minimal Eleventy peer's cold build (`--peers`); undefined when not asked for. */
  eleventyPeer?: PeerResult | undefined;
}

/** One warm build of the edit cycle: the cold build's cache and output folder, after one more change. */
export interface EditResult {
  /** `edit`, `add`, `retract`, `stylesheet` or `correct` (scripts/bench/edits.ts). */
  step: string;
  /** What was changed, in words. */
  change: string;
  /** The file changed or added (an article relative to the articles folder, or the stylesheet relative to the project). */
  file?: string | undefined;
  wallMs: number;
  /**
   * Until the new site was live: wallMs less the build's clean-up after publishing (removing what the caches dropped
   * and the site it replaced). Undefined for a failed build, and in results of code that did not time its clean-up.
   */
  liveMs?: number | undefined;
  cpuMs: number | null;
  peakRssBytes: number | null;
  /** Pages Eleventy rendered (the "render/write" count): what the cache could not spare. */
  pages: number;
  /** Articles the search index was given. */
  indexed: number;
  /** wallMs ÷ the cold build's wall time, measured in the same run; null if either failed. */
  coldRatio: number | null;
  /** peakRssBytes ÷ the cold build's peak. */
  coldPeakRatio: number | null;
  /** The peer rebuilt after the same change, when measured. */
  peer?: PeerBuild | undefined;
  /** wallMs ÷ the peer's wall time for the same change. */
  peerRatio?: number | null | undefined;
  error?: string | undefined;
}

/** A peer (Hugo + Pagefind, or minimal Eleventy + Pagefind) at one size. */
export interface PeerResult {
  name: string;
  /** The peer's version line; null when it was not found. */
  version: string | null;
  /** Why the peer was not measured. */
  skipped?: string | undefined;
  /** Its cold build (from an empty output folder). */
  cold?: PeerBuild | undefined;
  /** The Broadsheet cold build's wall time ÷ the peer's. */
  ratio?: number | null | undefined;
}

/** `a ÷ b`, or null when either is missing, failed or not positive: a ratio with a failed run means nothing. */
export function ratioOf(
  a: { value: number | null | undefined; error?: string | undefined } | undefined,
  b: { value: number | null | undefined; error?: string | undefined } | undefined,
): number | null {
  if (a === undefined || b === undefined || a.error !== undefined || b.error !== undefined) return null;
  if (a.value === null || a.value === undefined || b.value === null || b.value === undefined || b.value <= 0) return null;
  return a.value / b.value;
}

/** Results of earlier runs kept by `--merge`, then the fresh ones, one per size (fresh wins), smallest first, growth recomputed. */
export function mergeResults(earlier: readonly SizeResult[], fresh: readonly SizeResult[]): SizeResult[] {
  const bySize = new Map<number, SizeResult>();
  for (const result of [...earlier, ...fresh]) bySize.set(result.articles, result);
  return withDerived([...bySize.values()].sort((a, b) => a.articles - b.articles));
}

/** A whole bench run. */
export interface BenchResults {
  /** When the run finished (ISO). */
  date: string;
  machine: { cpus: number; memoryBytes: number; node: string; platform: string };
  command: string;
  results: SizeResult[];
}

/** Derived per-size figures: floor ratio, time per article and growth against the previous size. */
export function withDerived<T extends { articles: number; wallMs: number; floor: { ms: number } | null; error?: string | undefined }>(
  rows: readonly T[],
): (T & { floorRatio: number | null; msPerArticle: number; growth: number | null })[] {
  return rows.map((row, index) => {
    const msPerArticle = row.wallMs / row.articles;
    const previous = rows[index - 1];
    // A failed build's time says nothing about growth, and nothing can be compared with it.
    const comparable = previous !== undefined && previous.error === undefined && row.error === undefined;
    return {
      ...row,
      floorRatio: row.floor && row.error === undefined ? row.wallMs / row.floor.ms : null,
      msPerArticle,
      growth: comparable ? msPerArticle / (previous.wallMs / previous.articles) : null,
    };
  });
}

const seconds = (ms: number | undefined): string => (ms === undefined ? "–" : (ms / 1000).toFixed(1));
const megabytes = (bytes: number | null): string => (bytes === null ? "–" : (bytes / 1024 / 1024).toFixed(0));

/** The columns of the results table, in order. */
export const TABLE_COLUMNS = [
  "articles",
  "pages",
  "wall s",
  "cpu s",
  "start-up s",
  "validation s",
  "render/write s",
  "search index s",
  "peak RSS MB",
  "output MB",
  "files",
  "floor s",
  "floor ratio",
  "ms/article",
  "growth",
] as const;

/** The results as table rows (strings), one per size, matching {@link TABLE_COLUMNS}. */
export function tableRows(results: readonly SizeResult[]): string[][] {
  return results.map((result) => [
    String(result.articles),
    String(result.pages),
    result.error === undefined ? seconds(result.wallMs) : `failed after ${seconds(result.wallMs)}`,
    seconds(result.cpuMs ?? undefined),
    seconds(result.phases["start-up"]),
    seconds(result.phases.validation),
    seconds(result.phases["render/write"]),
    seconds(result.phases["search index"]),
    megabytes(result.peakRssBytes),
    megabytes(result.outputBytes),
    String(result.outputFiles),
    seconds(result.floor?.ms),
    result.floorRatio === null ? "–" : result.floorRatio.toFixed(2),
    result.error === undefined ? result.msPerArticle.toFixed(2) : "–",
    result.growth === null ? "–" : `×${result.growth.toFixed(2)}`,
  ]);
}

/** A Markdown table (readable in a terminal and pasteable into docs). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 1) + ":").join("|")}|`, ...rows.map(line)].join("\n");
}

const times = (ratio: number | null | undefined): string => (ratio === null || ratio === undefined ? "–" : `×${ratio.toFixed(2)}`);
const count = (value: number | null | undefined): string => (value === null || value === undefined ? "–" : String(value));

/** The columns of the edit cycle table. */
export const EDIT_COLUMNS = [
  "articles",
  "build",
  "wall s",
  "÷ cold",
  "peak RSS MB",
  "÷ cold peak",
  "pages rendered",
  "articles indexed",
  "change",
] as const;

/** The edit cycle as table rows: each size's cold build, then its warm builds, matching {@link EDIT_COLUMNS}. */
export function editRows(results: readonly SizeResult[]): string[][] {
  return results
    .filter((result) => result.edits !== undefined)
    .flatMap((result) => [
      [
        String(result.articles),
        "cold",
        result.error === undefined ? seconds(result.wallMs) : `failed after ${seconds(result.wallMs)}`,
        times(1),
        megabytes(result.peakRssBytes),
        times(1),
        count(result.counts["render/write"]),
        count(result.counts["search index"]),
        "empty cache and output folder",
      ],
      ...(result.edits ?? []).map((edit) => [
        String(result.articles),
        edit.step,
        edit.error === undefined ? seconds(edit.wallMs) : `failed after ${seconds(edit.wallMs)}`,
        times(edit.coldRatio),
        megabytes(edit.peakRssBytes),
        times(edit.coldPeakRatio),
        String(edit.pages),
        String(edit.indexed),
        edit.change,
      ]),
    ]);
}

/** The columns of the peer table. */
export const PEER_COLUMNS = [
  "articles",
  "build",
  "peer",
  "Broadsheet s",
  "generator s",
  "Pagefind s",
  "peer s",
  "Broadsheet ÷ peer",
  "Broadsheet MB",
  "peer MB",
  "pages B/peer",
  "indexed B/peer",
] as const;

/** One row of the peer table: a Broadsheet build beside a peer's build after the same change. */
function peerRow(
  articles: number,
  build: string,
  name: string,
  broadsheet: { wallMs: number; peakRssBytes: number | null; pages: number; indexed: number; error?: string | undefined },
  peer: PeerBuild,
  ratio: number | null | undefined,
): string[] {
  return [
    String(articles),
    build,
    name,
    broadsheet.error === undefined ? seconds(broadsheet.wallMs) : "failed",
    seconds(peer.siteMs),
    peer.error === undefined ? seconds(peer.pagefindMs) : "failed",
    peer.error === undefined ? seconds(peer.wallMs) : "failed",
    times(ratio),
    megabytes(broadsheet.peakRssBytes),
    megabytes(peer.peakRssBytes),
    `${broadsheet.pages}/${count(peer.pages)}`,
    `${broadsheet.indexed}/${count(peer.indexed)}`,
  ];
}

/**
 * Broadsheet beside the peers, matching {@link PEER_COLUMNS}: the Hugo peer for the cold build and every edit step it
 * was measured for, then the Eleventy peer's cold build.
 */
export function peerRows(results: readonly SizeResult[]): string[][] {
  return results.flatMap((result) => {
    const coldBroadsheet = {
      wallMs: result.wallMs,
      peakRssBytes: result.peakRssBytes,
      pages: result.counts["render/write"] ?? 0,
      indexed: result.counts["search index"] ?? 0,
      error: result.error,
    };
    const hugo = result.peer;
    const eleventy = result.eleventyPeer;
    return [
      ...(hugo?.cold === undefined
        ? []
        : [
            peerRow(result.articles, "cold", hugo.name, coldBroadsheet, hugo.cold, hugo.ratio),
            ...(result.edits ?? []).flatMap((edit) =>
              edit.peer ? [peerRow(result.articles, edit.step, hugo.name, edit, edit.peer, edit.peerRatio)] : [],
            ),
          ]),
      ...(eleventy?.cold === undefined
        ? []
        : [peerRow(result.articles, "cold", eleventy.name, coldBroadsheet, eleventy.cold, eleventy.ratio)]),
    ];
  });
}

/** Search payload figures as table rows, for sizes that have them: every numeric field, as measured. */
export function searchRows(results: readonly SizeResult[]): { header: string[]; rows: string[][] } {
  const measured = results.filter((result) => result.search !== undefined);
  const keys = [
    ...new Set(measured.flatMap((result) => Object.keys(result.search ?? {}).filter((key) => typeof result.search?.[key] === "number"))),
  ];
  return {
    header: ["articles", ...keys],
    rows: measured.map((result) => [String(result.articles), ...keys.map((key) => String(result.search?.[key] ?? "–"))]),
  };
}

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** "1k", "10k", "1M" for axis labels. */
export function shortCount(count: number): string {
  if (count >= 1_000_000 && count % 100_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 1000 && count % 100 === 0) return `${count / 1000}k`;
  return String(count);
}

/** One line of a chart: a name, a colour, a dash pattern and its points (size → value). */
interface Series {
  name: string;
  colour: string;
  dash?: string;
  points: { x: number; y: number }[];
}

/** Log-scale position of `value` between `min` and `max`, from 0 to 1 (0.5 when they are equal). */
function logPosition(value: number, min: number, max: number): number {
  if (max <= min) return 0.5;
  return (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
}

/** Powers of ten (and 2× and 5× between them) from `min` to `max`, for log-axis ticks. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(min)); decade <= max * 10; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const tick = step * decade;
      if (tick >= min * 0.999 && tick <= max * 1.001) ticks.push(tick);
    }
  }
  return ticks;
}

/** The largest 1, 2 or 5 times a power of ten at or below `value`. */
export function niceBelow(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  return [5, 2, 1].map((step) => step * decade).find((tick) => tick <= value * 1.000001) ?? decade;
}

/** The smallest 1, 2 or 5 times a power of ten at or above `value`. */
export function niceAbove(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * decade).find((tick) => tick >= value * 0.999999) ?? 10 * decade;
}

const formatTick = (value: number): string =>
  value >= 1000 ? shortCount(value) : value >= 1 ? String(Math.round(value * 10) / 10) : value.toPrecision(1);

/** One log-log panel with its axes, ticks, lines, points and legend. */
function panel(
  title: string,
  unit: string,
  series: readonly Series[],
  box: { x: number; y: number; width: number; height: number },
): string {
  const points = series.flatMap((line) => line.points).filter((point) => point.y > 0);
  if (points.length === 0) return "";
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const yMin = niceBelow(Math.min(...ys));
  const yMax = niceAbove(Math.max(...ys));
  const left = box.x + 56;
  const right = box.x + box.width - 12;
  const top = box.y + 28;
  const bottom = box.y + box.height - 70;
  const px = (x: number) => left + (xMin === xMax ? 0.5 : logPosition(x, xMin, xMax)) * (right - left);
  const py = (y: number) => bottom - logPosition(y, yMin, yMax) * (bottom - top);
  const f = (n: number) => n.toFixed(1);

  const parts: string[] = [
    `<g class="panel">`,
    `<text x="${f(box.x + box.width / 2)}" y="${f(box.y + 16)}" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  parts.push(
    `<line x1="${f(left)}" y1="${f(bottom)}" x2="${f(right)}" y2="${f(bottom)}" stroke="#333"/>`,
    `<line x1="${f(left)}" y1="${f(top)}" x2="${f(left)}" y2="${f(bottom)}" stroke="#333"/>`,
  );
  for (const tick of logTicks(yMin, yMax)) {
    parts.push(`<line x1="${f(left)}" y1="${f(py(tick))}" x2="${f(right)}" y2="${f(py(tick))}" stroke="#ddd"/>`);
    parts.push(`<text x="${f(left - 6)}" y="${f(py(tick) + 4)}" text-anchor="end">${escapeXml(formatTick(tick))}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<text x="${f(px(x))}" y="${f(bottom + 16)}" text-anchor="middle">${escapeXml(shortCount(x))}</text>`);
  }
  parts.push(`<text x="${f((left + right) / 2)}" y="${f(bottom + 32)}" text-anchor="middle">articles (log scale)</text>`);
  parts.push(
    `<text transform="translate(${f(box.x + 14)} ${f((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(unit)} (log scale)</text>`,
  );
  series.forEach((line, index) => {
    const visible = line.points.filter((point) => point.y > 0);
    const path = visible.map((point) => `${f(px(point.x))},${f(py(point.y))}`).join(" ");
    const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : "";
    parts.push(
      `<polyline class="series" data-name="${escapeXml(line.name)}" fill="none" stroke="${line.colour}" stroke-width="2"${dash} points="${path}"/>`,
    );
    for (const point of visible) {
      parts.push(
        `<circle cx="${f(px(point.x))}" cy="${f(py(point.y))}" r="3" fill="${line.colour}"><title>${escapeXml(`${line.name}: ${formatTick(point.y)} ${unit} at ${shortCount(point.x)} articles`)}</title></circle>`,
      );
    }
    const legendY = bottom + 48 + Math.floor(index / 2) * 14;
    const legendX = box.x + 20 + (index % 2) * (box.width / 2);
    parts.push(
      `<line x1="${f(legendX)}" y1="${f(legendY - 4)}" x2="${f(legendX + 18)}" y2="${f(legendY - 4)}" stroke="${line.colour}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${f(legendX + 24)}" y="${f(legendY)}">${escapeXml(line.name)}</text>`);
  });
  parts.push("</g>");
  return parts.join("\n");
}

/**
 * The scaling chart: build time (full build, floor, and linear growth from the smallest size for reference)
 * and peak memory against the number of articles, both on log scales so a straight line of slope 1 is linear.
 */
export function renderScalingChart(results: readonly SizeResult[]): string {
  const sorted = [...results].filter((result) => result.error === undefined).sort((a, b) => a.articles - b.articles);
  const width = 760;
  const height = 360;
  const first = sorted[0];
  const timeSeries: Series[] = [
    { name: "full build", colour: "#b3261e", points: sorted.map((r) => ({ x: r.articles, y: r.wallMs / 1000 })) },
    {
      name: "floor (markdown + Pagefind)",
      colour: "#1f6feb",
      points: sorted.flatMap((r) => (r.floor ? [{ x: r.articles, y: r.floor.ms / 1000 }] : [])),
    },
    {
      name: "linear from smallest",
      colour: "#888",
      dash: "5 4",
      points: first ? sorted.map((r) => ({ x: r.articles, y: (first.wallMs / 1000) * (r.articles / first.articles) })) : [],
    },
  ];
  const memorySeries: Series[] = [
    {
      name: "build peak RSS (all processes)",
      colour: "#b3261e",
      points: sorted.map((r) => ({ x: r.articles, y: (r.peakRssBytes ?? 0) / 1024 / 1024 })),
    },
    {
      name: "floor peak RSS",
      colour: "#1f6feb",
      points: sorted.map((r) => ({ x: r.articles, y: (r.floor?.peakRssBytes ?? 0) / 1024 / 1024 })),
    },
  ];
  // Sizes that failed have no point on the lines; each gets a line of text under the panels instead.
  const failed = results.filter((result) => result.error !== undefined);
  const svgHeight = height + failed.length * 16 + (failed.length > 0 ? 8 : 0);
  const failures = failed.map((result, index) => {
    const reason = (result.error ?? "").split("\n")[0] ?? "";
    const text = `${shortCount(result.articles)} articles: failed — ${reason.length > 120 ? `${reason.slice(0, 119)}…` : reason}`;
    return `<text class="failed" x="12" y="${height + 12 + index * 16}" fill="#b3261e">${escapeXml(text)}</text>`;
  });
  const body =
    sorted.length === 0
      ? `<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no results</text>`
      : [
          panel("Build time", "seconds", timeSeries, { x: 0, y: 0, width: width / 2, height }),
          panel("Peak memory", "MB", memorySeries, { x: width / 2, y: 0, width: width / 2, height }),
        ].join("\n");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${svgHeight}" viewBox="0 0 ${width} ${svgHeight}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="scaling-title">`,
    `<title id="scaling-title">Broadsheet build time and peak memory by archive size (${sorted.map((r) => shortCount(r.articles)).join(", ")} articles)</title>`,
    `<rect width="${width}" height="${svgHeight}" fill="#fff"/>`,
    body,
    ...failures,
    "</svg>",
    "",
  ].join("\n");
}
