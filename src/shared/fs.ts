// File-system helpers shared by the build pipeline and the image cache.
import { stat } from "node:fs/promises";

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
