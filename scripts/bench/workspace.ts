// The bench's working copies for one size: the generated archive and the project, so the edit cycle
// (scripts/bench/edits.ts) can change an article or the stylesheet without touching the cached archive or the
// project's own files.
//
// Why a copy of the project: the build reads its includes and stylesheet from `_includes/` relative to the working
// folder (`.eleventy.ts` sets `path.relative(input, "_includes")`, src/assets reads `_includes/css/site.css`), and no
// setting points it elsewhere. Adding one would change production code for the bench's sake; running the build in a
// copy of the project (its code, includes and data, with node_modules linked) changes nothing. Every build of a size,
// the cold one included, runs in the same copy, so the cold and warm builds differ only by the edits and the cache.
import { constants } from "node:fs";
import { cp, mkdir, symlink } from "node:fs/promises";
import path from "node:path";

/** What a build of the project needs, relative to the project root; node_modules is linked, not copied. */
export const PROJECT_ENTRIES = [
  "src",
  "_includes",
  "_data",
  "scripts",
  ".eleventy.ts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
] as const;

/** The working copies of one size. */
export interface Workspace {
  /** The copy of the project the builds run in (their working folder). */
  projectDir: string;
  /** `ARTICLES_DIR` and `DATA_DIR` of the copy of the archive. */
  articlesDir: string;
  dataDir: string;
}

/**
 * Real copies, made copy-on-write where the file system can (`COPYFILE_FICLONE` falls back to a plain copy):
 * hard links would let an edit write through to the cached archive.
 */
const copy = (from: string, to: string) => cp(from, to, { recursive: true, mode: constants.COPYFILE_FICLONE });

/** Copies the archive (`articles/`, `data/`) and the project into `work`. */
export async function createWorkspace(
  work: string,
  archive: { articlesDir: string; dataDir: string },
  projectRoot: string,
): Promise<Workspace> {
  const workspace: Workspace = {
    projectDir: path.join(work, "project"),
    articlesDir: path.join(work, "archive", "articles"),
    dataDir: path.join(work, "archive", "data"),
  };
  await copy(archive.articlesDir, workspace.articlesDir);
  await copy(archive.dataDir, workspace.dataDir);
  await mkdir(workspace.projectDir, { recursive: true });
  for (const entry of PROJECT_ENTRIES) await copy(path.join(projectRoot, entry), path.join(workspace.projectDir, entry));
  await symlink(path.join(projectRoot, "node_modules"), path.join(workspace.projectDir, "node_modules"), "dir");
  return workspace;
}
