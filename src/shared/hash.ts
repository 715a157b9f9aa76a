// Content hashes shared by the build caches: of bytes, and of Broadsheet's own code, which every cached result depends on.
import { createHash, hash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "./entries.ts";
import { filesUnder } from "./fs.ts";

/**
 * The sha256 of `data` (a string as UTF-8), hex. Node's one-shot `hash` takes half the time of a `Hash` object for the
 * short texts page keys hash (hundreds of thousands a build).
 */
export function sha256(data: string | Buffer): string {
  return hash("sha256", data, "hex");
}

let codeVersion: Promise<string> | undefined;

/**
 * A hash of Broadsheet's code (`src/`, `.eleventy.ts`), its dependency patches and `package-lock.json` (every
 * dependency's version): what a cached page or article check was made by. Made once per process.
 */
export function codeVersionKey(): Promise<string> {
  codeVersion ??= (async () => {
    const hash = createHash("sha256");
    const files = [
      ...(await filesUnder(path.join(PROJECT_ROOT, "src"))).map((file) => path.join("src", file)),
      ...(await filesUnder(path.join(PROJECT_ROOT, "scripts/patches"))).map((file) => path.join("scripts/patches", file)),
      ".eleventy.ts",
      "package-lock.json",
    ];
    for (const file of files) {
      hash
        .update(`${file}\0`)
        .update(await readFile(path.join(PROJECT_ROOT, file)))
        .update("\0");
    }
    return hash.digest("hex");
  })();
  return codeVersion;
}
