// Every built page is valid HTML according to the Nu Html Checker (vnu.jar).
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { projectRoot, type BuildResult, fixtureBuild } from "../helpers/build.ts";

const run = promisify(execFile);

// vnu-jar default-exports the jar path but ships no types, so the path is spelled out here.
const vnuJar = path.join(projectRoot, "node_modules/vnu-jar/build/dist/vnu.jar");

interface VnuMessage {
  type: string;
  url?: string;
  message: string;
  lastLine?: number;
}

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
    let stderr: string;
    try {
      ({ stderr } = await run("/usr/bin/java", ["-jar", vnuJar, "--errors-only", "--format", "json", ...files], {
        maxBuffer: 64 * 1024 * 1024,
      }));
    } catch (error) {
      // vnu exits non-zero when it finds errors; the JSON report is still on stderr.
      const failed = error as { stderr?: string; message: string };
      if (!failed.stderr) throw error;
      stderr = failed.stderr;
    }
    const report = JSON.parse(stderr) as { messages: VnuMessage[] };
    errors = report.messages
      .filter((m) => m.type === "error" || m.type === "non-document-error")
      .map((m) => {
        const file = m.url ? path.relative(build.outputDir, decodeURIComponent(new URL(m.url).pathname)) : "(unknown)";
        return `${file}${m.lastLine ? `:${m.lastLine}` : ""}: ${m.message}`;
      });
  }, 120_000);

  it("every built HTML file passes the Nu Html Checker with no errors", () => {
    expect(errors).toEqual([]);
  });
});
