// File-system helpers shared by the build pipeline and the image cache.
import { copyFile, link, readdir, stat } from "node:fs/promises";
import path from "node:path";

/** True if `file` exists; any error other than "no such file" (no permission, a broken disk) is thrown. */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * Makes `target` the same file as `source` by a hard link (no copy, no extra space), or copies it where links cannot be
 * made (another file system, or one without links). `target` must not exist.
 */
export async function linkOrCopy(source: string, target: string): Promise<void> {
  await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== "EXDEV" && error.code !== "EPERM") throw error;
    await copyFile(source, target);
  });
}

/** Every file under `dir` (paths relative to it, sorted), or none if `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
