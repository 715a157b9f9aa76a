// `npm run new -- "Headline"`: creates a draft article dated today; never overwrites an existing file.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { DateTime } from "luxon";
import site from "../_data/site.ts";
import { scaffoldArticle } from "../src/authoring/scaffold.ts";

const program = new Command()
  .name("npm run new --")
  .description("Create a new draft article dated today in the site's time zone.")
  .argument("<headline>", "the article's headline")
  .option("--dir <folder>", "the articles folder", process.env.ARTICLES_DIR ?? "articles")
  .action(async (headline: string, options: { dir: string }) => {
    const article = scaffoldArticle(headline, DateTime.now(), site.timezone);
    const file = path.join(options.dir, article.relativePath);
    await mkdir(path.dirname(file), { recursive: true });
    try {
      await writeFile(file, article.text, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      program.error(`new: ${file} already exists; it was left untouched. Choose another headline or edit that file.`);
    }
    console.log(`new: created ${file} (a draft: remove "draft: true" to publish)`);
  });

await program.parseAsync();
