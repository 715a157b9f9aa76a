import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMPILED, entryPoint } from "../../src/shared/entries.ts";
import { importTypeScript } from "../../src/shared/modules.ts";
import { projectRoot } from "../helpers/build.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const folder = scratchFolder("broadsheet-modules-");

describe("importTypeScript", () => {
  it("imports a TypeScript module with the modules it imports, and its packages as packages", async () => {
    await writeFile(path.join(folder(), "zone.ts"), `export const zone: string = "Europe/London";\n`);
    await writeFile(
      path.join(folder(), "site.ts"),
      `import { DateTime } from "luxon";\nimport { zone } from "./zone.ts";\nexport default { zone, valid: DateTime.now().setZone(zone).isValid };\n`,
    );
    const module = (await importTypeScript(path.join(folder(), "site.ts"))) as { default: unknown };
    expect(module.default).toEqual({ zone: "Europe/London", valid: true });
  });

  it("sees a change to the module at the next import", async () => {
    const file = path.join(folder(), "changing.ts");
    await writeFile(file, `export default 1;\n`);
    expect(((await importTypeScript(file)) as { default: number }).default).toBe(1);
    await writeFile(file, `export default 2;\n`);
    expect(((await importTypeScript(file)) as { default: number }).default).toBe(2);
  });

  it("sees a change to a module it imports at the next import", async () => {
    await writeFile(path.join(folder(), "part.ts"), `export const part = "a";\n`);
    const file = path.join(folder(), "whole.ts");
    await writeFile(file, `import { part } from "./part.ts";\nexport default part;\n`);
    expect(((await importTypeScript(file)) as { default: string }).default).toBe("a");
    expect(((await importTypeScript(file)) as { default: string }).default).toBe("a");
    await writeFile(path.join(folder(), "part.ts"), `export const part = "b";\n`);
    expect(((await importTypeScript(file)) as { default: string }).default).toBe("b");
  });

  it("rejects a module that does not compile, naming the file", async () => {
    const file = path.join(folder(), "broken.ts");
    await writeFile(file, `export default {\n`);
    await expect(importTypeScript(file)).rejects.toThrow(/broken\.ts/);
  });
});

describe("entryPoint", () => {
  it("gives the TypeScript sources when the code runs from them", () => {
    expect(COMPILED).toBe(false);
    expect(entryPoint("build")).toBe(path.join(projectRoot, "scripts/build.ts"));
    expect(entryPoint("eleventy")).toBe(path.join(projectRoot, ".eleventy.ts"));
    expect(entryPoint("search-worker")).toBe(path.join(projectRoot, "src/search/worker.ts"));
  });
});
