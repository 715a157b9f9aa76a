// `npm run import -- <file-or-folder>…`: turns raw copied article text into archive articles.
import { readdir, readFile, stat, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import cliProgress from "cli-progress";
import { parse as parseYamlText } from "yaml";
import { parseArticleDate } from "../src/articles/schema.ts";
import { slugOf } from "../src/articles/permalink.ts";
import { decodeInput } from "../src/importer/decode.ts";
import { compileBoilerplate, parseRawArticle } from "../src/importer/parse.ts";
import { renderArticle, type RenderFlags } from "../src/importer/render.ts";
import { checkFidelity } from "../src/importer/fidelity.ts";

interface Options {
  date?: string;
  dateNote?: string;
  author: string[];
  topic: string[];
  section?: string;
  sourceName?: string;
  sourceUrl?: string;
  out: string;
  force: boolean;
  dryRun: boolean;
  boilerplate: string;
}

type Outcome = { status: "imported" | "skipped" | "failed"; file: string; reason?: string };

const collect = (value: string, previous: string[]): string[] => [...previous, value];

async function loadBoilerplate(file: string): Promise<RegExp[]> {
  const data = parseYamlText(await readFile(file, "utf8")) as { patterns?: unknown } | null;
  const patterns = data?.patterns;
  if (!Array.isArray(patterns) || !patterns.every((pattern) => typeof pattern === "string")) {
    throw new Error(`${file}: expected "patterns:" with a list of regular expressions`);
  }
  return compileBoilerplate(patterns);
}

/** Expands folders to their .txt files (recursively, sorted); non-.txt files are reported as skipped. */
async function expandInputs(inputs: string[], skipped: Outcome[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info === null) {
      files.push(input); // reported as failed when read
    } else if (info.isDirectory()) {
      const entries = await readdir(input, { recursive: true, withFileTypes: true });
      const found = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
      for (const file of found) {
        if (file.endsWith(".txt")) files.push(file);
        else skipped.push({ status: "skipped", file, reason: "not a .txt file" });
      }
    } else {
      files.push(input);
    }
  }
  return [...new Set(files)];
}

async function importOne(file: string, options: Options, boilerplate: RegExp[], log: string[]): Promise<Outcome> {
  try {
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new Error(error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.message})`);
    });
    const text = decodeInput(bytes);
    const parsed = parseRawArticle(text, boilerplate);
    const slug = slugOf(parsed.title);
    if (slug === "") throw new Error(`headline "${parsed.title}" gives an empty URL slug`);
    const flags: RenderFlags = {
      date: options.date,
      dateNote: options.dateNote,
      authors: options.author,
      topics: options.topic,
      section: options.section,
      sourceName: options.sourceName,
      sourceUrl: options.sourceUrl,
    };
    const rendered = renderArticle(parsed, flags);
    const missing = checkFidelity(text, rendered.body, [...parsed.headerLines, ...parsed.droppedLines]);
    const year = options.date ? options.date.slice(0, 4) : "undated";
    const target = path.join(options.out, year, `${slug}.md`);

    log.push(`${file} -> ${target}`);
    log.push(`  title: ${parsed.title}`);
    log.push(`  fidelity: ${missing.length === 0 ? `all ${parsed.paragraphs.length} body paragraph(s) kept word for word` : `${missing.length} sentence(s) missing from the output:`}`);
    for (const sentence of missing) log.push(`    - ${sentence}`);
    log.push(`  dropped ${parsed.droppedLines.length} boilerplate line(s)${parsed.droppedLines.length ? ":" : ""}`);
    for (const line of parsed.droppedLines) log.push(`    - ${line}`);
    for (const field of rendered.leftForAuthor) {
      log.push(`  left for the author: ${field} (not in the text and no --${field} given; add it before publishing)`);
    }
    if (missing.length > 0) throw new Error(`lost ${missing.length} sentence(s) of the body; nothing was written`);

    if (options.dryRun) {
      const exists = await stat(target).then(() => true, () => false);
      log.push(`  dry run: would write ${target}${exists ? (options.force ? " (overwriting it)" : " (it exists: would need --force)") : ""}`);
      log.push(rendered.text.replace(/^/gm, "  | "));
      return { status: "imported", file };
    }
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, rendered.text, { flag: options.force ? "w" : "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      throw new Error(`would overwrite ${target}, which already exists; it was left untouched (use --force to overwrite)`);
    }
    log.push(`  wrote ${target}`);
    return { status: "imported", file };
  } catch (error) {
    return { status: "failed", file, reason: (error as Error).message };
  }
}

const program = new Command()
  .name("npm run import --")
  .description("Import raw article text files (or folders of .txt files) as markdown articles.")
  .argument("<inputs...>", "raw .txt files or folders holding them")
  .option("--date <date>", "publication date, YYYY-MM-DD (never guessed from the text)")
  .option("--date-note <text>", "why the date is what it is, written as a # comment above date: (wrapped at 100 columns)")
  .option("--author <name>", "an author (repeat for several)", collect, [])
  .option("--topic <topic>", "a topic (repeat for several)", collect, [])
  .option("--section <name>", "the section, e.g. World")
  .option("--source-name <name>", "the original publication")
  .option("--source-url <url>", "the original article's URL (needs --source-name)")
  .option("--out <folder>", "the articles folder", "articles")
  .option("--force", "overwrite existing articles", false)
  .option("--dry-run", "print what would be written, write nothing", false)
  .addOption(new Option("--boilerplate <file>", "boilerplate patterns file").default("_data/boilerplate.yaml").hideHelp())
  .action(async (inputs: string[], options: Options) => {
    if (options.date !== undefined && parseArticleDate(options.date, "UTC") === null) {
      program.error(`import: --date "${options.date}" is not a real date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM`);
    }
    if (options.sourceUrl !== undefined && options.sourceName === undefined) {
      program.error("import: --source-url needs --source-name too (the publication's name)");
    }
    const boilerplate = await loadBoilerplate(options.boilerplate).catch((error: Error) =>
      program.error(`import: ${error.message}`),
    );

    const outcomes: Outcome[] = [];
    const files = await expandInputs(inputs, outcomes);
    const bar = process.stdout.isTTY && files.length > 1
      ? new cliProgress.SingleBar({ format: "import [{bar}] {value}/{total} {file}" }, cliProgress.Presets.shades_classic)
      : null;
    bar?.start(files.length, 0, { file: "" });
    const logs: string[][] = [];
    for (const file of files) {
      const log: string[] = [];
      const outcome = await importOne(file, options, boilerplate, log);
      outcomes.push(outcome);
      if (outcome.status === "failed") log.push(`  FAILED: ${file} ${outcome.reason}`);
      if (bar) {
        logs.push(log);
        bar.increment(1, { file: path.basename(file) });
      } else {
        console.log(log.join("\n"));
      }
    }
    if (bar) {
      bar.stop();
      for (const log of logs) console.log(log.join("\n"));
    }

    const count = (status: Outcome["status"]) => outcomes.filter((outcome) => outcome.status === status);
    const failed = count("failed");
    const skipped = count("skipped");
    console.log(`import: ${options.dryRun ? "dry run, nothing written; would have imported" : "imported"} ${count("imported").length}, skipped ${skipped.length}, failed ${failed.length}`);
    for (const outcome of skipped) console.log(`  skipped ${outcome.file}: ${outcome.reason}`);
    for (const outcome of failed) console.error(`  failed ${outcome.file}: ${outcome.reason}`);
    if (failed.length > 0) process.exitCode = 1;
  });

await program.parseAsync();
