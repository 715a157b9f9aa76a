// Comparing built folders byte for byte, for the tests that hold two builds to being the same site.
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

/** Every file under `folder` with a hash of its bytes, sorted: equal maps mean byte-identical trees. */
export async function treeDigest(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  const digests = await Promise.all(
    files.map(
      async (file) =>
        [
          path.relative(folder, file),
          createHash("sha256")
            .update(await readFile(file))
            .digest("hex"),
        ] as const,
    ),
  );
  return new Map(digests.sort(([a], [b]) => (a < b ? -1 : 1)));
}
