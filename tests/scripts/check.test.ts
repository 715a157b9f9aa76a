import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/build.ts";

const run = promisify(execFile);
const check = (dir: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/check.ts", dir], { cwd: projectRoot }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe("npm run check", () => {
  it("passes the committed archive", async () => {
    const result = await check("articles");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("check: all articles in articles are valid");
  });

  it("lists every problem as file:line: field: message, sums them up and exits 1", async () => {
    const result = await check("tests/fixtures/invalid/articles");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(5);
    expect(result.stderr).toContain("tests/fixtures/invalid/articles/unknown-field.md:4: topcis: unknown field");
    expect(result.stdout).toContain("check: 5 problem(s) in 5 article(s)");
  });
});
