// The format of each article picture, kept between builds (`.cache/broadsheet/pictures.json`) under the file's identity
// on disk: validation opens a picture with the image decoder only when it is new or changed, so a build whose pictures
// are unchanged neither loads the decoder (about 0.1 CPU-seconds a process) nor reads their headers.
import { readFile, stat } from "node:fs/promises";
import { UnreadableImageError, imageFormatOf } from "../images/source.ts";
import { writeWhole } from "../shared/fs.ts";
import { codeVersionKey } from "../shared/hash.ts";
import { RunEntries } from "../shared/run-entries.ts";

/**
 * How long a file must have been left as it is before its check is kept. A file written again within one tick of the
 * file system's clock, at the same size, keeps its identity (git's "racy" files); one unchanged for this long before it
 * was checked cannot have been.
 */
export const SETTLED_MS = 2_000;

/** What is kept of a checked picture. */
interface KeptFormat {
  /** Device, inode, size, modification and change times when it was checked. */
  identity: string;
  format: string;
}

/** The memo file. */
interface MemoFile {
  /** The code (and so the decoder's version) that checked the pictures. */
  code: string;
  /** By absolute path. */
  files: Record<string, KeptFormat>;
}

/**
 * Picture formats remembered by file identity. {@link formatOf} is `imageFormatOf` for a file not seen with this
 * identity before; {@link save} keeps what this run asked for, and only that.
 */
export class ImageFormatMemo {
  readonly #entries: RunEntries<KeptFormat>;

  private constructor(
    readonly file: string,
    readonly code: string,
    kept: Map<string, KeptFormat>,
    readonly settledMs: number,
    readonly now: () => number,
  ) {
    this.#entries = new RunEntries(kept);
  }

  /**
   * Opens the memo in `file`; one written by other code, missing or unreadable, is empty. A check is kept of files left
   * as they were for `settledMs` (default {@link SETTLED_MS}) before it, by the clock `now` (default the system's).
   */
  static async open(file: string, clock: { settledMs?: number; now?: () => number } = {}): Promise<ImageFormatMemo> {
    const code = await codeVersionKey();
    let kept = new Map<string, KeptFormat>();
    try {
      const memo = JSON.parse(await readFile(file, "utf8")) as Partial<MemoFile>;
      if (memo.code === code && typeof memo.files === "object" && memo.files !== null) kept = new Map(Object.entries(memo.files));
    } catch (error) {
      // None yet, or one damaged outside a build (it is written whole): every picture is checked again.
      if (!(error instanceof SyntaxError) && (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return new ImageFormatMemo(file, code, kept, clock.settledMs ?? SETTLED_MS, clock.now ?? Date.now);
  }

  /** The format of the picture `file` (absolute), from the memo when it is unchanged since it was checked. */
  readonly formatOf = async (file: string): Promise<string> => {
    const checkedAt = this.now();
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      // Removed since validation found it: reported as the decoder would report it, not as a fault of the build.
      throw error.code === "ENOENT" ? new UnreadableImageError(error.message) : error;
    });
    const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const kept = this.#entries.use(file, (entry) => entry.identity === identity);
    if (kept) return kept.format;
    const format = await imageFormatOf(file);
    if (Math.max(info.mtimeMs, info.ctimeMs) < checkedAt - this.settledMs) {
      this.#entries.add(file, { identity, format });
    }
    return format;
  };

  /** Writes what this run asked for, whole, and starts the next run from it; a run that changed nothing writes nothing. */
  async save(): Promise<void> {
    const entries = this.#entries.endRun();
    if (entries) await writeWhole(this.file, JSON.stringify({ code: this.code, files: Object.fromEntries(entries) } satisfies MemoFile));
  }
}
