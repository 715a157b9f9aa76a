// `npm run import -- <file-or-folder>… --date YYYY-MM-DD`: turns raw copied article text into archive articles,
// each checked as `npm run check` would before it is written, and written whole or not at all.
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import cliProgress from "cli-progress";
import { parse as parseYamlText } from "yaml";
import { loadConfig } from "../src/config/index.ts";
import { type Directory, loadDirectory } from "../src/archive/directory.ts";
import { parseArticleDate } from "../src/dates/parse.ts";
import { slugOf } from "../src/articles/permalink.ts";
import { type CheckedArticle, type Problem, formatProblem, readArchive } from "../src/validation/index.ts";
import { unknownNameMessage } from "../src/authoring/names.ts";
import { articleProblems, urlClashes } from "../src/authoring/validate.ts";
import { writeArticleFile } from "../src/authoring/write.ts";
import { decodeInput } from "../src/importer/decode.ts";
import { compileBoilerplate, parseRawArticle } from "../src/importer/parse.ts";
import { renderArticle } from "../src/importer/render.ts";
import { checkFidelity } from "../src/importer/fidelity.ts";
import { findTargetClashes } from "../src/importer/clashes.ts";

interface Options {
  date?: string;
  dateNote?: string;
  author: string[];
  topic: string[];
  section?: string;
  sourceName?: string;
  sourceUrl?: string;
  out: string;
  data: string;
  force: boolean;
  dryRun: boolean;
  boilerplate: string;
}

/** The command line, checked: a real date, its year in the site's time zone, and the directory the names were checked against. */
interface Checked extends Options {
  date: string;
  year: string;
  directory: Directory;
}

type Outcome = { status: "imported" | "skipped" | "failed"; file: string; reason?: string };

/** An input read, rendered and checked, ready to be written. */
interface Prepared {
  file: string;
  target: string;
  text: string;
}

/** Settings read once: the data folder default and the site's time zone. */
const config = await loadConfig();

const DATE_FORMAT = "YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS+HH:MM with an offset)";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

async function loadBoilerplate(file: string): Promise<RegExp[]> {
  const data = parseYamlText(await readFile(file, "utf8")) as { patterns?: unknown } | null;
  const patterns = data?.patterns;
  if (!Array.isArray(patterns) || !patterns.every((pattern) => typeof pattern === "string")) {
    throw new Error(`${file}: expected "patterns:" with a list of regular expressions`);
  }
  return compileBoilerplate(patterns);
}

/** Every problem with the flags, each a one-line message; empty when the import may start. */
async function flagProblems(options: Options): Promise<{ problems: string[]; directory?: Directory }> {
  const problems: string[] = [];
  if (options.date === undefined) {
    problems.push(
      `--date is required: raw text carries no reliable date and an article without one fails the check; give the publication date as --date ${DATE_FORMAT}, and say how you chose it with --date-note`,
    );
  } else if (parseArticleDate(options.date, config.site.timezone) === null) {
    problems.push(`--date "${options.date}" is not a real date; write ${DATE_FORMAT}`);
  }
  if (options.sourceUrl !== undefined && options.sourceName === undefined) {
    problems.push("--source-url needs --source-name too (the publication's name)");
  }
  for (const topic of options.topic) {
    if (slugOf(topic) === "")
      problems.push(`--topic "${topic}" has no letters or digits, so it gives no topic page; write the topic in words`);
  }
  let directory: Directory;
  try {
    directory = await loadDirectory(options.data);
  } catch (error) {
    return { problems: [...problems, `${(error as Error).message} (the --data folder)`] };
  }
  const authors = directory.authors.map((author) => author.name);
  for (const author of options.author) {
    const problem = unknownNameMessage(
      { flag: "--author", kind: "author", file: path.join(options.data, "authors.yaml") },
      author,
      authors,
    );
    if (problem) problems.push(problem);
  }
  if (options.section !== undefined) {
    const sections = directory.sections.map((section) => section.name);
    const problem = unknownNameMessage(
      { flag: "--section", kind: "section", file: path.join(options.data, "sections.yaml") },
      options.section,
      sections,
    );
    if (problem) problems.push(problem);
  }
  return { problems, directory };
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
      const found = entries
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
        .sort();
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

/** Reads, renders and checks one input; throws an Error whose message says why it cannot be imported. */
async function prepareOne(file: string, options: Checked, boilerplate: RegExp[], log: string[]): Promise<Prepared> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.message})`);
  });
  const text = decodeInput(bytes);
  const parsed = parseRawArticle(text, boilerplate);
  const slug = slugOf(parsed.title);
  if (slug === "")
    throw new Error(`headline "${parsed.title}" has no letters or digits, so it gives no URL; edit the first line of the text`);
  const rendered = renderArticle(parsed, {
    date: options.date,
    dateNote: options.dateNote,
    authors: options.author,
    topics: options.topic,
    section: options.section,
    sourceName: options.sourceName,
    sourceUrl: options.sourceUrl,
  });
  const missing = checkFidelity(text, rendered.body, [...parsed.headerLines, ...parsed.droppedLines]);
  const target = path.join(options.out, options.year, `${slug}.md`);

  log.push(`${file} -> ${target}`);
  log.push(`  title: ${parsed.title}`);
  log.push(
    `  fidelity: ${missing.length === 0 ? `all ${parsed.paragraphs.length} body paragraph(s) kept word for word` : `${missing.length} sentence(s) missing from the output:`}`,
  );
  for (const sentence of missing) log.push(`    - ${sentence}`);
  log.push(`  dropped ${parsed.droppedLines.length} boilerplate line(s)${parsed.droppedLines.length ? ":" : ""}`);
  for (const line of parsed.droppedLines) log.push(`    - ${line}`);
  for (const note of rendered.leftForAuthor) log.push(`  still to add: ${note}`);
  if (missing.length > 0) throw new Error(`lost ${missing.length} sentence(s) of the body; nothing was written`);
  const problems = articleProblems(target, rendered.text, options.directory, options.data);
  if (problems.length > 0) throw new Error(checkFailure(problems));
  return { file, target, text: rendered.text };
}

/** Why an article that `npm run check` would reject was not written, its problems one a line. */
function checkFailure(problems: readonly Problem[]): string {
  return `would not pass npm run check, so nothing was written:\n${problems.map((problem) => `    ${formatProblem(problem)}`).join("\n")}`;
}

/** The articles already in the --out folder (none when it does not exist yet), for URL clashes. */
async function readOut(out: string): Promise<CheckedArticle[]> {
  try {
    return await readArchive(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    return fail(`import: cannot read the articles in ${out} (${(error as Error).message}); check --out`);
  }
}

/** Writes one prepared article, whole or not at all; throws an Error whose message says what happened. */
async function writeOne(prepared: Prepared, options: Checked, log: string[]): Promise<void> {
  const { target, text } = prepared;
  if (options.dryRun) {
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    log.push(`  dry run: would write ${target}${exists ? (options.force ? " (overwriting it)" : " (it exists: would need --force)") : ""}`);
    log.push(text.replace(/^/gm, "  | "));
    return;
  }
  await mkdir(path.dirname(target), { recursive: true });
  const written = await writeArticleFile(target, text, { overwrite: options.force }).catch((error: Error) => {
    throw new Error(
      `could not write ${target} (${error.message}); nothing was written${options.force ? " and the existing article is unchanged" : ""}`,
    );
  });
  if (written === "exists")
    throw new Error(`would overwrite ${target}, which already exists; it was left untouched (use --force to overwrite)`);
  log.push(`  wrote ${target}`);
}

const program = new Command()
  .name("npm run import --")
  .description("Import raw article text files (or folders of .txt files) as markdown articles that pass npm run check.")
  .argument("<inputs...>", "raw .txt files or folders holding them")
  .option("--date <date>", "publication date, YYYY-MM-DD (required: never guessed from the text)")
  .option("--date-note <text>", "why the date is what it is, written as a # comment above date: (wrapped at 100 columns)")
  .option("--author <name>", "an author listed in <data>/authors.yaml (repeat for several)", collect, [])
  .option("--topic <topic>", "a topic (repeat for several)", collect, [])
  .option("--section <name>", "a section listed in <data>/sections.yaml, e.g. World")
  .option("--source-name <name>", "the original publication")
  .option("--source-url <url>", "the original article's URL (needs --source-name)")
  .option("--out <folder>", "the articles folder", "articles")
  .option("--data <dir>", "the data folder with authors.yaml and sections.yaml", config.dataDir)
  .option("--force", "overwrite existing articles", false)
  .option("--dry-run", "print what would be written, write nothing", false)
  .addOption(new Option("--boilerplate <file>", "boilerplate patterns file").default("_data/boilerplate.yaml").hideHelp())
  .action(async (inputs: string[], options: Options) => {
    const { problems, directory } = await flagProblems(options);
    const date = options.date === undefined ? null : parseArticleDate(options.date, config.site.timezone);
    if (problems.length > 0 || directory === undefined || options.date === undefined || date === null) {
      fail(problems.map((problem) => `import: ${problem}`).join("\n"));
    }
    // Filed by the year of the article's URL, which is dated in the site's time zone.
    const checked: Checked = { ...options, date: options.date, year: date.setZone(config.site.timezone).toFormat("yyyy"), directory };
    const boilerplate = await loadBoilerplate(options.boilerplate).catch((error: Error) => fail(`import: ${error.message}`));

    const outcomes: Outcome[] = [];
    const files = await expandInputs(inputs, outcomes);
    const bar =
      process.stdout.isTTY && files.length > 1
        ? new cliProgress.SingleBar({ format: "import [{bar}] {value}/{total} {file}" }, cliProgress.Presets.shades_classic)
        : null;
    bar?.start(files.length, 0, { file: "" });
    // Every input is read and checked before any is written, so two that would become one file are both refused.
    const logs = new Map<string, string[]>(files.map((file) => [file, []]));
    const failures = new Map<string, string>();
    const prepared: Prepared[] = [];
    for (const file of files) {
      await prepareOne(file, checked, boilerplate, logs.get(file) ?? []).then(
        (ready) => prepared.push(ready),
        (error: Error) => failures.set(file, error.message),
      );
      bar?.increment(1, { file: path.basename(file) });
    }
    bar?.stop();
    // Targets are all joined onto one --out folder, so equal files have equal paths.
    const clashes = findTargetClashes(prepared.map(({ file, target }) => ({ input: file, target })));
    for (const [file, message] of clashes) failures.set(file, message);
    const ready = prepared.filter(({ file }) => !failures.has(file));
    const inputByTarget = new Map(ready.map(({ file, target }) => [path.resolve(target), file]));
    const taken = urlClashes(
      await readOut(options.out),
      ready.map(({ target, text }) => ({ file: target, text })),
      config.site.timezone,
    );
    for (const problem of taken) failures.set(inputByTarget.get(path.resolve(problem.file)) ?? problem.file, checkFailure([problem]));
    for (const article of ready) {
      if (failures.has(article.file)) continue;
      await writeOne(article, checked, logs.get(article.file) ?? []).catch((error: Error) => failures.set(article.file, error.message));
    }

    for (const file of files) {
      const failure = failures.get(file);
      const log = logs.get(file) ?? [];
      if (failure !== undefined) log.push(`  FAILED: ${file} ${failure}`);
      outcomes.push(failure === undefined ? { status: "imported", file } : { status: "failed", file, reason: failure });
      console.log(log.join("\n"));
    }

    const count = (status: Outcome["status"]) => outcomes.filter((outcome) => outcome.status === status);
    const failed = count("failed");
    const skipped = count("skipped");
    console.log(
      `import: ${options.dryRun ? "dry run, nothing written; would have imported" : "imported"} ${count("imported").length}, skipped ${skipped.length}, failed ${failed.length}`,
    );
    for (const outcome of skipped) console.log(`  skipped ${outcome.file}: ${outcome.reason}`);
    for (const outcome of failed) console.error(`  failed ${outcome.file}: ${outcome.reason}`);
    if (failed.length > 0) process.exitCode = 1;
  });

/** Reports a user error (one line each, no stack trace) and exits 1. */
function fail(message: string): never {
  return program.error(message);
}

await program.parseAsync();
