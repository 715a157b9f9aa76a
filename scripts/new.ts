// `npm run new -- "Headline"`: creates a draft article dated today that passes `npm run check`; never overwrites a file.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { DateTime } from "luxon";
import { loadConfig } from "../src/config/index.ts";
import { slugOf } from "../src/articles/permalink.ts";
import { scaffoldArticle } from "../src/authoring/scaffold.ts";
import { writeArticleFile } from "../src/authoring/write.ts";
import { checkArticleText, formatProblem } from "../src/validation/index.ts";

/** What the author must still do with a new draft before it is published. */
const STILL_TO_DO = [
  'write the article in place of "Write the article here."',
  "fill in the commented fields you need (dek, authors, section, topics, image with its alt text, source) and delete the rest",
  'remove the line "draft: true" to publish',
];

const config = await loadConfig();

const program = new Command()
  .name("npm run new --")
  .description("Create a new draft article dated today in the site's time zone.")
  .argument("<headline>", "the article's headline")
  .option("--slug <slug>", "the URL slug, lower-case words joined by hyphens (default: made from the headline)")
  .option("--dir <folder>", "the articles folder", config.input)
  .action(async (headline: string, options: { dir: string; slug?: string }) => {
    if (options.slug === undefined && slugOf(headline) === "") {
      fail(
        `new: the headline "${headline}" has no letters or digits, so it gives no URL; write the headline in words, or give the URL with --slug, e.g. --slug harbour-cranes-return`,
      );
    }
    const article = scaffoldArticle(headline, DateTime.now(), config.site.timezone, options.slug);
    const file = path.join(options.dir, article.relativePath);
    const problems = checkArticleText(file, article.text).problems;
    if (problems.length > 0) {
      fail(
        [
          "new: the article would not pass npm run check, so nothing was written:",
          ...problems.map((problem) => `  ${formatProblem(problem)}`),
        ].join("\n"),
      );
    }
    const written = await mkdir(path.dirname(file), { recursive: true })
      .then(() => writeArticleFile(file, article.text, { overwrite: false }))
      .catch((error: Error) => fail(`new: could not write ${file} (${error.message}); nothing was written`));
    if (written === "exists")
      fail(`new: ${file} already exists; it was left untouched. Choose another headline or --slug, or edit that file.`);
    console.log(`new: created ${file}, a draft. Still to do before publishing:\n${STILL_TO_DO.map((step) => `  - ${step}`).join("\n")}`);
  });

/** Reports a user error (no stack trace) and exits 1. */
function fail(message: string): never {
  return program.error(message);
}

await program.parseAsync();
