// `tsx scripts/bench/profile.ts <file.cpuprofile> [top]`: summarises a V8 CPU profile (from `npm run bench -- --cpu-prof <dir>`)
// as self time by package or project file and by function, so the costs of a build can be read without DevTools.
import { readFile } from "node:fs/promises";
import path from "node:path";

/** The parts of a `.cpuprofile` this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One line of a summary: a name and its self time. */
export interface CostLine {
  name: string;
  ms: number;
  share: number;
}

/** Where a script URL belongs: `pkg:<name>` for node_modules, the project-relative path for project files, else the URL kind. */
export function ownerOf(url: string, root: string): string {
  if (url === "") return "(native/V8)";
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const modules = file.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [scopeOrName = "", name = ""] = file.slice(modules + "node_modules/".length).split("/");
    return `pkg:${scopeOrName.startsWith("@") ? `${scopeOrName}/${name}` : scopeOrName}`;
  }
  if (file.startsWith("node:")) return "node internals";
  return path.isAbsolute(file) ? path.relative(root, file) : file;
}

/** Self time per node id, from the samples and their time deltas. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return times;
}

function top(costs: Map<string, number>, total: number, count: number): CostLine[] {
  return [...costs.entries()]
    .map(([name, ms]) => ({ name, ms, share: ms / total }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/** Self time grouped by owner (package or project file) and by function, the largest first. */
export function summariseProfile(
  profile: CpuProfile,
  root: string,
  count = 25,
): { totalMs: number; byOwner: CostLine[]; byFunction: CostLine[] } {
  const self = selfTimes(profile);
  const totalMs = [...self.values()].reduce((sum, ms) => sum + ms, 0);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    const owner = ownerOf(node.callFrame.url, root);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${owner}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  return { totalMs, byOwner: top(byOwner, totalMs, count), byFunction: top(byFunction, totalMs, count) };
}

/** Inclusive time of every function whose name matches, summed over its call sites (recursion counted once per stack). */
export function inclusiveTime(profile: CpuProfile, matches: (functionName: string, url: string) => boolean): number {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let total = 0;
  const walk = (id: number, inside: boolean) => {
    const node = byId.get(id);
    if (!node) return;
    const here = inside || matches(node.callFrame.functionName, node.callFrame.url);
    if (here) total += self.get(id) ?? 0;
    for (const child of node.children ?? []) walk(child, here);
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, false);
  return total;
}

const format = (lines: CostLine[]) =>
  lines.map((line) => `${line.ms.toFixed(0).padStart(8)} ms ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.name}`).join("\n");

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error("usage: tsx scripts/bench/profile.ts <file.cpuprofile> [top]");
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const summary = summariseProfile(profile, path.resolve(import.meta.dirname, "../.."), count ? Number(count) : 25);
  console.log(
    `sampled ${(summary.totalMs / 1000).toFixed(1)} s\n\nself time by package or file:\n${format(summary.byOwner)}\n\nself time by function:\n${format(summary.byFunction)}`,
  );
}
