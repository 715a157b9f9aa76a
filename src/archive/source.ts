// The archive as one build reads it: every article file read once, checked once, and rendered from that same read.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import type { BroadsheetConfig } from "../config/index.ts";
import type { PermalinkPlan } from "../redirects/index.ts";
import { type CheckOptions, checkArchiveInputs, readArchiveInputs } from "../validation/check.ts";
import { type CheckedArticle, type Problem, formatProblem } from "../validation/index.ts";
import { startPhase } from "../progress/index.ts";
import { CheckedMemo } from "../validation/memo.ts";
import { ImageFormatMemo } from "../validation/images.ts";
import { publicationStatus } from "../articles/publication.ts";
import { bodyFrom } from "../articles/frontMatter.ts";
import { sha256 } from "../shared/hash.ts";

/** One read of the archive and everything checked about it. */
export interface ArchiveRead {
  /** Every article file, in file order, as read and checked. */
  checked: CheckedArticle[];
  /** Problems that stop a build, sorted by file and line. */
  problems: Problem[];
  /** Problems that only warn: published URLs that would stop working, under `npm start`. */
  warnings: Problem[];
  /** Redirects, redirect pages and the manifest after this build. */
  plan: PermalinkPlan;
  /** The manifest file compared against, if the archive has one. */
  manifestFile: string | undefined;
  /**
   * A hash of every article file's name and bytes, in file order: a render part, which reads the archive again, checks
   * that it read what the build checked.
   */
  digest: string;
}

/** Thrown when a build cannot go on because of its input; its message is the problem list, without a stack. */
export class ArchiveProblemsError extends Error {
  /** Tells Eleventy's error printer (under `npm start`) to show the message without a stack trace. */
  readonly skipOriginalStack = true;
  constructor(readonly problems: readonly Problem[]) {
    super(formatProblemReport(problems));
    this.name = "ArchiveProblemsError";
  }
}

/** "1 problem", "2 problems". */
function count(n: number, noun: string): string {
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}

/** The problem list as printed: one `file:line: field: message` line each, then a one-line summary. */
export function formatProblemReport(problems: readonly Problem[]): string {
  const files = new Set(problems.map((problem) => problem.file)).size;
  return [...problems.map(formatProblem), `${count(problems.length, "problem")} in ${count(files, "file")}; nothing was published`].join(
    "\n",
  );
}

/**
 * The one reader of the archive for a build. Validation, the permalink guard and rendering all take
 * articles from the same {@link ArchiveRead}, so what was checked is byte for byte what is published.
 */
export class ArchiveSource {
  #read: ArchiveRead | undefined;
  /** The checked articles by absolute path, made when {@link article} is first asked after a read. */
  #byPath: Map<string, CheckedArticle> | undefined;
  #memo: Promise<CheckedMemo> | undefined;
  #pictures: Promise<ImageFormatMemo> | undefined;

  constructor(private readonly config: BroadsheetConfig) {}

  /** Reads and checks the whole archive again (every build under `npm start`, once for `npm run build`). */
  async load(): Promise<ArchiveRead> {
    const { config } = this;
    const options: CheckOptions = {
      cwd: config.cwd,
      timezone: config.site.timezone,
      dataDir: config.dataDir,
      siteUrl: config.site.url,
      now: config.now,
      manifest: config.manifest,
    };
    // Files whose bytes an earlier build checked are not parsed again: kept in the build cache, like the pages.
    this.#memo ??= CheckedMemo.open(path.join(config.cacheDir, "articles.jsonl"), {
      siteUrl: config.site.url,
      timezone: config.site.timezone,
    });
    // And pictures unchanged since an earlier build's check are not opened again.
    this.#pictures ??= ImageFormatMemo.open(path.join(config.cacheDir, "pictures.json"));
    const [memo, pictures] = await Promise.all([this.#memo, this.#pictures]);
    const inputs = await readArchiveInputs(config.input, { ...options, checkFile: memo.checkFile, prefill: memo.prefill });
    const digest = memo.readDigest();
    const report = await checkArchiveInputs(inputs, { ...options, formatOf: pictures.formatOf });
    await Promise.all([memo.save(), pictures.save()]);
    const broken = new Set(report.plan.broken);
    const read: ArchiveRead = {
      checked: report.checked,
      problems: config.preview ? report.problems.filter((problem) => !broken.has(problem)) : report.problems,
      warnings: config.preview ? report.plan.broken : [],
      plan: report.plan,
      manifestFile: report.manifest,
      digest,
    };
    this.#read = read;
    this.#byPath = undefined;
    return read;
  }

  /** {@link load}, reported as the build's validation phase. */
  async loadTimed(): Promise<ArchiveRead> {
    const phase = startPhase("validation", undefined, { unit: "articles", timingsFile: this.config.timingsFile });
    const read = await this.load();
    phase.end(read.checked.length);
    return read;
  }

  /** The article files a build at `now` does not publish (drafts and embargoed), as read. */
  unpublishedFiles(): string[] {
    const { now, site } = this.config;
    return this.current.checked.flatMap(({ file, article }) =>
      article && publicationStatus(article, now, site.timezone) !== "published" ? [file] : [],
    );
  }

  /** Whether the archive has been read. */
  get loaded(): boolean {
    return this.#read !== undefined;
  }

  /** The latest read; a build that renders before reading is a bug in the pipeline, not in the input. */
  get current(): ArchiveRead {
    if (!this.#read) throw new Error("ArchiveSource: the archive is rendered before it was read");
    return this.#read;
  }

  /**
   * The checked article at `inputPath`, as Eleventy names it. A file that was not there when the archive
   * was read (added while the build ran) stops the build rather than being published unchecked.
   */
  article(inputPath: string): CheckedArticle & { article: NonNullable<CheckedArticle["article"]> } {
    // Made on demand: a build that renders few articles asks for few, and 100,000 paths resolved cost 0.25 s.
    this.#byPath ??= new Map(this.current.checked.map((article) => [path.resolve(this.config.cwd, article.file), article]));
    const checked = this.#byPath.get(path.resolve(this.config.cwd, inputPath));
    if (!checked?.article) {
      throw new ArchiveProblemsError([
        { file: inputPath, line: 1, field: "file", message: "appeared or changed while the build ran; build again" },
      ]);
    }
    return { ...checked, article: checked.article };
  }

  /**
   * The body of `checked` as validation read it. A build's read keeps no bodies (see `CheckedArticle.body`), so the
   * file is read again, and its body is used only if its text is the one checked: a file saved or removed while the
   * build ran stops the build, as in {@link article}.
   */
  bodyOf(checked: CheckedArticle): string {
    if (checked.body !== undefined) return checked.body;
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(path.resolve(this.config.cwd, checked.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    // The digest validation made, of the bytes (see `checkArticleBytes`).
    if (bytes === undefined || sha256(bytes) !== checked.digest) {
      throw new ArchiveProblemsError([
        { file: checked.file, line: 1, field: "file", message: "changed or was removed while the build ran; build again" },
      ]);
    }
    return bodyFrom(bytes.toString("utf8"), checked.bodyLine);
  }
}

/** How the archive plugin reads. */
export interface ArchiveSourceOptions {
  source: ArchiveSource;
  /**
   * Read the archive again before every rebuild (`npm start`, where files change between rebuilds). The first build
   * always uses the read made before Eleventy started (the pipeline's check), so no file is read twice for it.
   */
  readEachBuild: boolean;
}

/**
 * Reads and checks the archive before Eleventy writes anything and stops the build with every problem at once.
 * Warnings (under `npm start`) are printed once per rebuild.
 */
export function registerArchiveSource(eleventyConfig: UserConfig, options: ArchiveSourceOptions): void {
  let first = true;
  eleventyConfig.on("eleventy.before", async () => {
    const reuse = first ? options.source.loaded : !options.readEachBuild;
    first = false;
    const read = reuse ? options.source.current : await options.source.loadTimed();
    if (read.warnings.length > 0) {
      console.warn(`[broadsheet] warning: \`npm run build\` would stop on these:\n${read.warnings.map(formatProblem).join("\n")}`);
    }
    if (read.problems.length > 0) throw new ArchiveProblemsError(read.problems);
  });
}
