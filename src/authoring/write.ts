// Writes an article file so that it is either complete or absent: a failed write (a full disk) never leaves a
// truncated article, and without `overwrite` an existing file is never replaced, even by a race. Not
// write-file-atomic: it cannot refuse an existing target, and it issues one write(2) without checking how much was
// written, so on a filling disk it renames a truncated file over the old one (FileHandle.writeFile loops until done).
import { randomBytes } from "node:crypto";
import { type FileHandle, link, lstat, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/** Puts the article's text into the open temporary file. */
export type ContentWriter = (handle: FileHandle, text: string) => Promise<void>;

/** How {@link writeArticleFile} writes. */
export interface WriteOptions {
  /** Replace an existing file (the importer's `--force`); otherwise an existing file is left untouched. */
  overwrite: boolean;
  /** Puts the text into the temporary file; the default writes it all as UTF-8. A full disk fails here. */
  writeContent?: ContentWriter;
}

/** Whether anything (a file, a folder, a broken link) has this name; other errors, e.g. no permission, are thrown. */
async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

const writeAll: ContentWriter = (handle, text) => handle.writeFile(text, "utf8");

/**
 * Writes `text` to `target` through a temporary file in the same folder, flushed to disk before it takes the
 * target's name: by rename with `overwrite`, otherwise by a hard link, which fails if the target exists (so a
 * file created by someone else in the meantime is never replaced). On any failure the temporary file is removed
 * and an existing target keeps its old content. The temporary name starts with `.` and ends in `.tmp`, so even
 * one left by a killed process is never read as an article.
 * Returns `"exists"` (and writes nothing) when the target exists and `overwrite` is false.
 */
export async function writeArticleFile(target: string, text: string, options: WriteOptions): Promise<"written" | "exists"> {
  if (!options.overwrite && (await exists(target))) return "exists";
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx");
  try {
    try {
      await (options.writeContent ?? writeAll)(handle, text);
      await handle.sync();
      // write(2) may write less than asked without an error when the disk fills; a short file must never be published.
      const { size } = await handle.stat();
      const expected = Buffer.byteLength(text, "utf8");
      if (size !== expected) throw new Error(`only ${size} of ${expected} bytes reached the disk (is it full?)`);
    } finally {
      await handle.close();
    }
    if (options.overwrite) {
      await rename(temp, target);
      return "written";
    }
    try {
      await link(temp, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return "exists";
      throw error;
    }
    return "written";
  } finally {
    // After a rename there is nothing left to remove; after a link or a failure the temporary name goes.
    await rm(temp, { force: true });
  }
}
