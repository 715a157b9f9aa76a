// The checked form of each article file, kept between builds (`.cache/broadsheet/articles.jsonl`, a line an article)
// under a hash of its bytes: a build parses and checks again only the files whose bytes changed, and keeps no body in
// memory (the renderer reads it again, see ArchiveSource.bodyOf). A file whose inode, size and times are those it had
// when it was last read, long enough after it was written, is not read again at all, as git trusts its index.
import { createHash } from "node:crypto";
import { type Stats, createWriteStream, statSync } from "node:fs";
import { mkdir, open, rename, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { articlePath, articleSlug, rememberArticlePath } from "../articles/permalink.ts";
import type { ArticleFrontMatter } from "../articles/schema.ts";
import { formatIsoDate } from "../dates/index.ts";
import { workerEntry } from "../shared/entries.ts";
import { exists, readFileReusing } from "../shared/fs.ts";
import { codeVersionKey, sha256 } from "../shared/hash.ts";
import { RunEntries } from "../shared/run-entries.ts";
import { type CheckedArticle, type CheckedText, articleHashOf, checkArticleText } from "./index.ts";
import { type SiteLink, siteLinks } from "./links.ts";

/**
 * What is kept of an article that passed its own checks (articles with problems are checked again every time): not
 * its body, which the renderer reads again, so the memo stays the size of the front matter.
 */
export interface KeptArticle {
  article: ArticleFrontMatter;
  lines: Record<string, number>;
  bodyLine: number;
  /** The body's links to the site, for a body that may hold links (see `CheckedArticle.linkBody`). */
  links?: SiteLink[];
  /** The article's URL path in the site's time zone (`articlePath`), unless its title or slug gives an empty slug. */
  path?: string;
  /** See `CheckedArticle.articleHash`. */
  articleHash: string;
  /** `formatIsoDate` of the article's `date` and `updated` in the site's time zone, by the value. */
  isoDates: Record<string, string>;
  /**
   * The file's {@link fileSignature} when these bytes were last read from it, if it had not changed for
   * {@link SETTLED_MS} by then: while the file still has it, a build takes this entry without reading the file.
   */
  seen?: string;
}

/**
 * How long a file must have gone unchanged before it was read for its signature to be kept. File times come from a
 * clock that ticks every few milliseconds, so a file written again within a tick of a read could keep its times; a
 * file read this long after its last change, changed after the read, has later times (git's "racy" files).
 */
export const SETTLED_MS = 2_000;

/**
 * What identifies a file's bytes without reading them: device, inode, size, and the modification and change times.
 * The change time cannot be set back by any program, so every write to the file, or a new file renamed over it,
 * changes the signature.
 */
export function fileSignature(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** What a kept article depends on besides its file's bytes: which links are the site's, and the time zone of its URL. */
export interface MemoSite {
  siteUrl: string;
  timezone: string;
}

/** The memo file's first line; each further line is one `[key, KeptArticle]`. */
export interface MemoHeader extends MemoSite {
  code: string;
  /** The time-zone data the paths were made with (`process.versions.tz`): a new release can move a date's day. */
  tzdata: string;
}

/** The memo's key of a file's text: its name and the text's SHA-256 (`digest`). */
export function memoKey(file: string, digest: string): string {
  return `${file}\0${digest}`;
}

/**
 * What the memo keeps of a checked article, with its links to the site and its URL path found: only one that passed
 * its own checks is kept.
 */
export function keptOf(checked: CheckedText, site: MemoSite): KeptArticle | undefined {
  const { article } = checked;
  if (!article || checked.problems.length > 0) return undefined;
  const lines = Object.fromEntries(Object.keys(article).map((field) => [field, checked.lineOf(field)]));
  const links = checked.linkBody && siteLinks(checked.linkBody.text, checked.linkBody.line, site.siteUrl);
  // An empty slug is a problem of the archive's (findUrlProblems), found again in each build from the article.
  const path = articleSlug(article) === "" ? undefined : articlePath(article, site.timezone);
  return {
    article,
    lines,
    bodyLine: checked.bodyLine,
    ...(links && { links }),
    ...(path !== undefined && { path }),
    articleHash: articleHashOf(article),
    isoDates: Object.fromEntries(
      [article.date, article.updated].flatMap((value) => (value === undefined ? [] : [[value, formatIsoDate(value, site.timezone)]])),
    ),
  };
}

/** The checked article of `file` as the memo gives it: what it keeps, without the body, its path and zoned dates remembered. */
function fromKept(file: string, digest: string, kept: KeptArticle, timezone: string): CheckedArticle {
  const { article, lines, bodyLine, links, path, articleHash, isoDates } = kept;
  if (path !== undefined) rememberArticlePath(article, timezone, path);
  for (const value in isoDates) formatIsoDate.remember(value, timezone, isoDates[value] as string);
  return { file, problems: [], article, lineOf: (field) => lines[field] ?? 1, bodyLine, digest, articleHash, ...(links && { links }) };
}

/**
 * Fewest files worth a worker thread of their own (see {@link CheckedMemo.prefill}): it starts in about 0.2 s and
 * checks some 5,000 articles a second.
 */
export const PREFILL_MIN_FILES = 1_000;

/** What a prefill worker (`worker.ts`) is given: the files to check, relative to `cwd`, and the site they are kept for. */
export interface PrefillWork {
  cwd: string;
  files: readonly string[];
  site: MemoSite;
}

/**
 * The entries of a memo file's bytes, or none when it was written by other code than `expected.code`, for another
 * site address or time zone, or with other time-zone data. A key on several lines (an entry written again with a newer
 * `seen`) takes the last. Read a line at a time from the bytes, never as one string, for the reason
 * {@link CheckedMemo.save} writes it so. A last line without its newline is an append cut short, and left out; a
 * broken whole line throws a `SyntaxError`.
 */
export function readMemo(bytes: Buffer, expected: MemoHeader): Map<string, KeptArticle> {
  const kept = new Map<string, KeptArticle>();
  let start = 0;
  let first = true;
  while (start < bytes.length) {
    const end = bytes.indexOf(10, start);
    if (end === -1) break;
    const line = bytes.toString("utf8", start, end);
    start = end + 1;
    if (first) {
      const header = JSON.parse(line) as Partial<MemoHeader>;
      const same = (field: keyof MemoHeader): boolean => header[field] === expected[field];
      if (!same("code") || !same("siteUrl") || !same("timezone") || !same("tzdata")) return kept;
      first = false;
      continue;
    }
    const [key, article] = JSON.parse(line) as [string, KeptArticle];
    kept.set(key, article);
  }
  return kept;
}

/**
 * Article checks remembered by file name and content hash. {@link check} is {@link checkArticleText} for files seen
 * before with the same bytes, and checks the others; {@link save} keeps what this run checked, and only that.
 */
export class CheckedMemo {
  readonly #entries: RunEntries<KeptArticle>;
  /** The keys {@link check} was asked for since the last {@link readDigest}, in order. */
  #asked = createHash("sha256");
  /** Of each file with a kept {@link KeptArticle.seen}, that signature and its entry's key. */
  #seen: Map<string, { seen: string; key: string }>;
  /** When this run's reads started: a file changed less than {@link SETTLED_MS} before it gets no signature kept. */
  #runStart: number;
  /** The entries the file holds (read from it or appended), so {@link save} appends only the others. */
  #written = new WeakSet<KeptArticle>();
  /**
   * Entry lines in the file, repeated keys and entries no run uses any more included, and the file's inode (another
   * build may have written it anew since, maybe for another site); undefined to write it whole.
   */
  #file: { lines: number; ino: number } | undefined;

  private constructor(
    readonly file: string,
    readonly header: MemoHeader,
    kept: Map<string, KeptArticle>,
    fileState: { lines: number; ino: number } | undefined,
    /** The clock, in milliseconds since 1970. */
    private readonly now: () => number,
  ) {
    this.#entries = new RunEntries(kept);
    for (const entry of kept.values()) this.#written.add(entry);
    this.#file = fileState;
    this.#seen = seenOf(kept);
    this.#runStart = now();
  }

  /**
   * Opens the memo in `file` for `site`; one written by other code or for another site, or unreadable, is empty. The
   * run's reads start now, by `now`.
   */
  static async open(file: string, site: MemoSite, now: () => number = Date.now): Promise<CheckedMemo> {
    const header: MemoHeader = {
      code: await codeVersionKey(),
      siteUrl: site.siteUrl,
      timezone: site.timezone,
      tzdata: process.versions.tz ?? "",
    };
    let kept = new Map<string, KeptArticle>();
    let fileState: { lines: number; ino: number } | undefined;
    if (await exists(file)) {
      const handle = await open(file, "r");
      try {
        const { ino } = await handle.stat();
        const bytes = await handle.readFile();
        kept = readMemo(bytes, header);
        // Appended to only while it is this code's, for this site.
        if (kept.size > 0) fileState = { lines: lineCount(bytes) - 1, ino };
      } catch (error) {
        // A broken memo is no memo: every article is checked again and the file rewritten.
        if (!(error instanceof SyntaxError)) throw error;
      } finally {
        await handle.close();
      }
    }
    return new CheckedMemo(file, header, kept, fileState, now);
  }

  /**
   * {@link checkArticleText} of a file's text or bytes (decoded as UTF-8 only when the memo does not know them), from
   * the memo when this file had these bytes before. An article that passed its checks comes without its body,
   * whether from the memo or checked now: see `CheckedArticle.body`.
   */
  readonly check = (file: string, content: string | Buffer): CheckedArticle => this.#checkContent(file, content, undefined);

  /**
   * {@link check} of the file `file` (at `absolute`): without reading it when it still has the signature its kept
   * entry was read with, else from its bytes, keeping their signature if the file had settled.
   */
  readonly checkFile = (file: string, absolute: string): CheckedArticle => {
    const stats = statSync(absolute);
    const seen = fileSignature(stats);
    const known = this.#seen.get(file);
    if (known?.seen === seen) {
      const kept = this.#entries.use(known.key);
      if (kept) {
        this.#asked.update(`${known.key}\n`);
        return fromKept(file, known.key.slice(file.length + 1), kept, this.header.timezone);
      }
    }
    const settled = Math.max(stats.mtimeMs, stats.ctimeMs) < this.#runStart - SETTLED_MS;
    return this.#checkContent(file, readFileReusing(absolute), settled ? seen : undefined);
  };

  /** {@link check}, keeping `seen` as the signature of the file these bytes were read from. */
  #checkContent(file: string, content: string | Buffer, seen: string | undefined): CheckedArticle {
    const digest = sha256(content);
    const key = memoKey(file, digest);
    this.#asked.update(`${key}\n`);
    const kept = this.#entries.use(key);
    if (kept) {
      if (seen !== undefined && kept.seen !== seen) this.#entries.add(key, { ...kept, seen });
      return fromKept(file, digest, kept, this.header.timezone);
    }
    const checked = checkArticleText(file, typeof content === "string" ? content : content.toString("utf8"), digest);
    const fresh = keptOf(checked, this.header);
    if (!fresh) return checked;
    this.#entries.add(key, seen === undefined ? fresh : { ...fresh, seen });
    return fromKept(file, digest, fresh, this.header.timezone);
  }

  /**
   * Has a worker thread check `files` (relative to `cwd`) into the memo while this thread checks the others, when the
   * memo knows fewer articles than there are files (a first build, or new code: every file is parsed again, on one
   * core otherwise); undefined when it would not pay. Files the worker read are read again by {@link check}, which
   * takes the worker's result only for the same bytes.
   */
  readonly prefill = (files: readonly string[], cwd: string): Promise<void> | undefined => {
    if (files.length < PREFILL_MIN_FILES || this.#entries.keptCount >= files.length) return undefined;
    return new Promise<[string, KeptArticle][]>((resolve, reject) => {
      const worker = new Worker(workerEntry("check-worker"), {
        workerData: { cwd, files, site: { siteUrl: this.header.siteUrl, timezone: this.header.timezone } } satisfies PrefillWork,
      });
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`validation: a worker stopped (exit code ${code}) before it had checked its files`)));
    }).then((entries) => {
      for (const [key, kept] of entries) this.#entries.offer(key, kept);
    });
  };

  /**
   * A hash of every file name and text {@link check} was given since the last call, in order: two reads of the archive
   * with the same digest read the same bytes.
   */
  readDigest(): string {
    const digest = this.#asked.digest("hex");
    this.#asked = createHash("sha256");
    return digest;
  }

  /**
   * Keeps what this run checked, and starts the next run from it (`npm start` reads the archive again for every
   * rebuild). A run that found every file in the memo, and used all of it, leaves the file as it is; one that checked a
   * few files anew (an edit) appends their lines, whole, in one write; the file is written whole (a temporary file
   * renamed into place) when it is new or of other code, or when a quarter of its lines are of entries no run uses any
   * more. Writing 100,000 lines again for one edited article cost a build of that archive 3 s.
   */
  async save(): Promise<void> {
    const kept = this.#entries.endRun();
    this.#runStart = this.now();
    if (!kept) return;
    this.#seen = seenOf(kept);
    const fresh = [...kept].filter(([, entry]) => !this.#written.has(entry));
    const file = this.#file;
    if (
      file !== undefined &&
      (file.lines + fresh.length) * 3 <= kept.size * 4 &&
      (await this.#append(file.ino, fresh.map((entry) => `${JSON.stringify(entry)}\n`).join("")))
    ) {
      this.#file = { lines: file.lines + fresh.length, ino: file.ino };
    } else {
      this.#file = { lines: kept.size, ino: await this.#writeWhole(kept) };
    }
    for (const [, entry] of fresh) this.#written.add(entry);
  }

  /** Appends `text` to the file, in one write, if it is still the file of inode `ino`; returns whether it did. */
  async #append(ino: number, text: string): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.file, "a");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    try {
      if ((await handle.stat()).ino !== ino) return false;
      // Whole lines in one write: a write cut short leaves a last line without its newline, which readMemo leaves out.
      if (text !== "") await handle.writeFile(text);
      return true;
    } finally {
      await handle.close();
    }
  }

  /** Writes `kept` as the whole file (a temporary file renamed into place), and returns its inode. */
  async #writeWhole(kept: Map<string, KeptArticle>): Promise<number> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    // A line an article, written as a stream: one JSON text of the whole memo would outgrow V8's longest string in a
    // large enough archive (it did at 100,000 articles while the memo still held bodies).
    const out = createWriteStream(temporary);
    const lines = (function* (header: MemoHeader, kept: Map<string, KeptArticle>) {
      yield `${JSON.stringify(header)}\n`;
      for (const entry of kept) yield `${JSON.stringify(entry)}\n`;
    })(this.header, kept);
    await pipeline(Readable.from(lines), out);
    const { ino } = await stat(temporary);
    await rename(temporary, this.file);
    return ino;
  }
}

/** The number of newline-ended lines in `bytes`. */
function lineCount(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count += 1;
  return count;
}

/** The signature and key of each file with a kept {@link KeptArticle.seen}. */
function seenOf(kept: ReadonlyMap<string, KeptArticle>): Map<string, { seen: string; key: string }> {
  const seen = new Map<string, { seen: string; key: string }>();
  for (const [key, article] of kept) {
    if (article.seen !== undefined) seen.set(key.slice(0, key.indexOf("\0")), { seen: article.seen, key });
  }
  return seen;
}
