// The dependency patches in scripts/patches are applied: every line a patch adds is in the installed file. Without this,
// a failed `patch-package` (a dependency updated under it) would pass unnoticed and only the scale would suffer.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DepGraph } from "dependency-graph";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/build.ts";

const patchDir = path.join(projectRoot, "scripts/patches");

/** The lines each file of a unified diff gains, by the file's path in the project. */
function addedLines(patch: string): Map<string, string[]> {
  const added = new Map<string, string[]>();
  let file: string | undefined;
  for (const line of patch.split("\n")) {
    if (line.startsWith("+++ b/")) {
      file = line.slice("+++ b/".length);
      added.set(file, []);
    } else if (file !== undefined && line.startsWith("+") && line.trim() !== "+") {
      added.get(file)?.push(line.slice(1));
    }
  }
  return added;
}

describe("dependency patches", async () => {
  const patches = (await readdir(patchDir)).filter((name) => name.endsWith(".patch"));

  it("exist (the Eleventy lookup fix)", () => {
    expect(patches.length).toBeGreaterThan(0);
  });

  for (const name of patches) {
    it(`${name} is applied to node_modules`, async () => {
      for (const [file, lines] of addedLines(await readFile(path.join(patchDir, name), "utf8"))) {
        const installed = await readFile(path.join(projectRoot, file), "utf8");
        const missing = lines.filter((line) => !installed.includes(line));
        expect(missing, `${file} lacks lines of ${name}: run npm ci (patch-package runs as postinstall)`).toEqual([]);
      }
    });
  }
});

describe("dependency-graph, patched to look edges up in a Set", () => {
  it("keeps one edge per pair through repeats, removals and adding again, and orders a circular graph", () => {
    const graph = new DepGraph<undefined>({ circular: true });
    for (const node of ["a", "b", "c", "d"]) graph.addNode(node);
    graph.addDependency("a", "b");
    graph.addDependency("a", "b");
    graph.addDependency("a", "c");
    expect(graph.directDependenciesOf("a")).toEqual(["b", "c"]);
    graph.removeDependency("a", "b");
    graph.addDependency("a", "d");
    graph.addDependency("a", "b");
    graph.addDependency("a", "d");
    expect(graph.directDependenciesOf("a")).toEqual(["c", "d", "b"]);
    expect(graph.directDependantsOf("b")).toEqual(["a"]);
    graph.removeNode("c");
    graph.addDependency("a", "d");
    expect(graph.directDependenciesOf("a")).toEqual(["d", "b"]);
    graph.addDependency("b", "a");
    graph.addDependency("d", "b");
    expect(graph.overallOrder().sort()).toEqual(["a", "b", "d"]);
    expect(new Set(graph.overallOrder()).size).toBe(3);
  });
});
