import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fingerprintScripts } from "../../src/search/scripts.ts";
import { scratchFolder } from "../helpers/scratch.ts";

const folder = scratchFolder("broadsheet-scripts-");
const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);

describe("fingerprintScripts", () => {
  beforeAll(async () => {
    await writeFile(path.join(folder(), "leaf.js"), "export const a = 1;\n");
    await writeFile(path.join(folder(), "entry.js"), 'import { a } from "./leaf.js";\nconsole.log(a);\n');
  });

  it("names each script by the hash of its content, with imports pointing at the hashed names", () => {
    const [leaf, entry] = fingerprintScripts(folder(), ["leaf.js", "entry.js"]);
    expect(leaf?.url).toBe(`/js/leaf.${hash("export const a = 1;\n")}.js`);
    expect(entry?.content).toBe(`import { a } from "./leaf.${hash("export const a = 1;\n")}.js";\nconsole.log(a);\n`);
    expect(entry?.url).toBe(`/js/entry.${hash(entry?.content ?? "")}.js`);
  });

  it("renames a script when a module it imports changes", async () => {
    await writeFile(path.join(folder(), "changing.js"), "export const b = 1;\n");
    await writeFile(path.join(folder(), "user.js"), 'import { b } from "./changing.js";\nconsole.log(b);\n');
    const before = fingerprintScripts(folder(), ["changing.js", "user.js"])[1]?.url;
    await writeFile(path.join(folder(), "changing.js"), "export const b = 2;\n");
    expect(fingerprintScripts(folder(), ["changing.js", "user.js"])[1]?.url).not.toBe(before);
  });
});
