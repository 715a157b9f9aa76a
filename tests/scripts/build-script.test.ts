import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildScriptArgs, scriptArgs } from "../../scripts/build-script.ts";
import { projectRoot } from "../helpers/build.ts";

describe("buildScriptArgs", () => {
  it("gives the build script's arguments after node, Node flags included, so the bench builds as npm run build does", async () => {
    const manifest = JSON.parse(await readFile(path.join(projectRoot, "package.json"), "utf8")) as { scripts: { build: string } };
    const args = await buildScriptArgs();
    expect(`node ${args.join(" ")}`).toBe(manifest.scripts.build);
    expect(args.slice(0, 2)).toEqual(["scripts/run.mjs", "build"]);
  });

  it("gives npm start's arguments: the same pipeline in preview mode", async () => {
    expect(await scriptArgs("start")).toEqual(["scripts/run.mjs", "build", "--serve"]);
  });
});
