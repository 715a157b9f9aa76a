// Every built page is valid HTML according to the Nu Html Checker (vnu.jar).
import { readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, fixtureBuild } from "../helpers/build.ts";
import { htmlErrors } from "../helpers/vnu.ts";

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

describe("HTML validity", () => {
  let build: BuildResult;
  let errors: string[];

  beforeAll(async () => {
    build = fixtureBuild();
    if (build.exitCode !== 0) throw new Error(`build failed (${build.exitCode}):\n${build.stderr}`);
    const files = await htmlFiles(build.outputDir);
    if (files.length === 0) throw new Error("the build produced no HTML files");
    errors = (await htmlErrors(files)).map((m) => {
      const file = m.url ? path.relative(build.outputDir, decodeURIComponent(new URL(m.url).pathname)) : "(unknown)";
      return `${file}${m.lastLine ? `:${m.lastLine}` : ""}: ${m.message}`;
    });
  }, 120_000);

  it("every built HTML file passes the Nu Html Checker with no errors", () => {
    expect(errors).toEqual([]);
  });
});
