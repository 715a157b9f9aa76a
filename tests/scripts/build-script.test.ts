import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildScriptArgs, scriptArgs } from "../../scripts/build-script.ts";
import { projectRoot } from "../helpers/build.ts";

const run = promisify(execFile);

/** The Node flag of the commands that read the whole archive (see package.json). */
const NODE_FLAG = "--max-semi-space-size=64";

describe("buildScriptArgs", () => {
  it("gives the build script's arguments after node, Node flags included, so the bench builds as npm run build does", async () => {
    const manifest = JSON.parse(await readFile(path.join(projectRoot, "package.json"), "utf8")) as { scripts: { build: string } };
    const args = await buildScriptArgs();
    expect(`node ${args.join(" ")}`).toBe(manifest.scripts.build);
    expect(args).toEqual([NODE_FLAG, "scripts/run.mjs", "build"]);
  });

  it("gives npm start's arguments: the same pipeline in preview mode", async () => {
    expect(await scriptArgs("start")).toEqual([NODE_FLAG, "scripts/run.mjs", "build", "--serve"]);
  });
});

describe("scripts/run.mjs", () => {
  it("names the commands it runs when given none or another, and exits 2", async () => {
    for (const args of [[], ["deploy"]]) {
      const result = await run(process.execPath, ["scripts/run.mjs", ...args], { cwd: projectRoot }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect("code" in result && result.code).toBe(2);
      expect(result.stderr.trim()).toBe("usage: node scripts/run.mjs build|check|new|import [arguments]");
    }
  });

  it("runs each authoring command's own script, with the arguments after the command", async () => {
    for (const command of ["check", "new", "import"] as const) {
      const args = await scriptArgs(command);
      expect(args.filter((arg) => arg !== NODE_FLAG)).toEqual(["scripts/run.mjs", command]);
      const { stdout } = await run(process.execPath, [...args, "--help"], { cwd: projectRoot });
      expect(stdout).toContain(`Usage: npm run ${command} --`);
    }
  });
});
