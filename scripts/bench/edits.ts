// The newsroom edit cycle of the bench (issue 10): after a cold build, the changes a newsroom makes all day — a body
// edited, an article added, one retracted, the stylesheet changed, then the next correction — each followed by a warm
// build that keeps the cold build's cache and output folder. The edits are made to the bench's own copies
// (scripts/bench/workspace.ts), never to the cached generated archive or to the project's files.
import { appendFile, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ArticleStream, DEFAULT_END_DATE, generateDirectory, renderArticle } from "./generator/index.ts";

/**
 * The steps of the cycle, in the order they are applied (each on top of the previous ones). `correct` is the next
 * correction after the stylesheet change: the first build after one that rendered every page again, which took twice
 * the time of the same edit at `edit` before it started from a copy of the published site (docs/scaling.md).
 */
export const EDIT_STEPS = ["edit", "add", "retract", "stylesheet", "correct"] as const;

/** One step of the cycle. */
export type EditStep = (typeof EDIT_STEPS)[number];

/** The sentence the `edit` step appends to an article's body, as a new last paragraph. */
export const EDITED_SENTENCE = "This article was updated after publication to add a detail readers asked about.";

/** The sentence the `correct` step appends to the same article. */
export const CORRECTED_SENTENCE = "A later correction fixed the spelling of a name in this article.";

/** Where an article is and when it is dated, as read from its front matter. */
export interface DatedFile {
  /** Path inside the articles folder: `YYYY/slug.md`. */
  file: string;
  /** ISO instant (the generator writes UTC to the minute, so the strings sort by time). */
  date: string;
}

/** The articles the cycle edits: the newest gets a sentence (today's story corrected), a mid-archive one is retracted. */
export function pickEditTargets(files: readonly DatedFile[]): { edit: string; retract: string } {
  if (files.length < 2) throw new Error("the edit cycle needs an archive of at least 2 articles");
  const sorted = [...files].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.file.localeCompare(b.file)));
  const newest = sorted.at(-1) as DatedFile;
  // The middle of the other articles, so the retracted one is never the edited one.
  const middle = sorted[Math.floor((sorted.length - 1) / 2)] as DatedFile;
  return { edit: newest.file, retract: middle.file };
}

/** The `date:` of an article's front matter as the generator writes it (one unquoted line), or undefined. */
export function frontMatterDate(text: string): string | undefined {
  const fence = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  return fence ? /^date:[ \t]*["']?([^"'\r\n]+?)["']?[ \t]*$/m.exec(fence[1] ?? "")?.[1] : undefined;
}

/** An article's text with `sentence` added as a new last paragraph of its body. */
export function appendParagraph(text: string, sentence: string): string {
  return `${text.trimEnd()}\n\n${sentence}\n`;
}

/** An article's text with `draft: true` as the first field of its front matter: the article is held back from the site. */
export function markDraft(text: string): string {
  const match = /^---\r?\n/.exec(text);
  if (!match) throw new Error("the article has no front matter to mark as a draft");
  if (/^draft:/m.test(frontMatterOf(text))) throw new Error("the article already has a draft field");
  return `${match[0]}draft: true\n${text.slice(match[0].length)}`;
}

function frontMatterOf(text: string): string {
  return /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
}

/** Every article of an archive's articles folder (`YYYY/*.md`) with its date. */
export async function datedArticles(articlesDir: string): Promise<DatedFile[]> {
  const files: DatedFile[] = [];
  for (const year of (await readdir(articlesDir)).filter((name) => /^\d{4}$/.test(name))) {
    for (const name of (await readdir(path.join(articlesDir, year))).filter((entry) => entry.endsWith(".md"))) {
      const file = `${year}/${name}`;
      const date = frontMatterDate(await readFile(path.join(articlesDir, file), "utf8"));
      if (date === undefined) throw new Error(`${file}: no date in its front matter`);
      files.push({ file, date });
    }
  }
  return files;
}

/**
 * Seed offset of the added article's stream: a stream of its own, so its headline is not the archive's first one again.
 * Any number far from the archive's seeds would do.
 */
const ADDED_ARTICLE_SEED = 1_000_003;

/**
 * A new newest article, drawn by the generator's own article stream (same newsroom, so its authors, section and
 * topics are valid) and dated in the last minute before the archive's end date, after every generated article.
 */
export function newestArticle(seed: number, existingSlugs: ReadonlySet<string>): { file: string; text: string } {
  // A span of 0 years puts the date at the end date less one minute, the latest any generated article can have.
  const stream = new ArticleStream(generateDirectory(seed), {
    articles: 1,
    seed: seed + ADDED_ARTICLE_SEED,
    endDate: DEFAULT_END_DATE,
    years: 0,
  });
  for (;;) {
    const article = stream.next();
    if (!existingSlugs.has(article.slug)) return { file: article.file, text: renderArticle(article) };
  }
}

/** What one step changed, in words for the report. */
export interface AppliedEdit {
  step: EditStep;
  change: string;
  /** The file changed or added, relative to the archive's articles folder or the project. */
  file: string;
}

/** The folders an edit step changes: the copy of the archive's articles and the copy of the project (for the stylesheet). */
export interface EditTargets {
  articlesDir: string;
  projectDir: string;
  seed: number;
}

/** Applies one step of the cycle to the copies in `targets`, and says what it changed. */
export async function applyEdit(step: EditStep, targets: EditTargets, picked: { edit: string; retract: string }): Promise<AppliedEdit> {
  const { articlesDir, projectDir } = targets;
  switch (step) {
    case "edit":
    case "correct": {
      const file = path.join(articlesDir, picked.edit);
      await writeFile(file, appendParagraph(await readFile(file, "utf8"), step === "edit" ? EDITED_SENTENCE : CORRECTED_SENTENCE));
      const change =
        step === "edit"
          ? "a sentence appended to the newest article"
          : "a sentence appended to the newest article after the stylesheet change";
      return { step, change, file: picked.edit };
    }
    case "add": {
      const slugs = new Set((await datedArticles(articlesDir)).map(({ file }) => path.basename(file, ".md")));
      const added = newestArticle(targets.seed, slugs);
      await writeFile(path.join(articlesDir, added.file), added.text, { flag: "wx" });
      return { step, change: "a new newest article", file: added.file };
    }
    case "retract": {
      const file = path.join(articlesDir, picked.retract);
      await writeFile(file, markDraft(await readFile(file, "utf8")));
      return { step, change: "draft: true added to a mid-archive article", file: picked.retract };
    }
    case "stylesheet": {
      // A rule, not only a comment, so the change is one a designer would make; either changes the fingerprint.
      await appendFile(
        path.join(projectDir, "_includes/css/site.css"),
        "\n/* Changed by the bench's edit cycle. */\nhr {\n  border-width: 2px;\n}\n",
      );
      return { step, change: "a rule appended to the stylesheet", file: "_includes/css/site.css" };
    }
  }
}
