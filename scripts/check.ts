// `npm run check -- [dir] [--data <dir>] [--manifest <file>]`: checks every article without building.
import { Command } from "commander";
import { loadConfig } from "../src/config/index.ts";
import { checkArchive } from "../src/validation/check.ts";
import { formatProblem } from "../src/validation/index.ts";
import { isFolder } from "../src/shared/fs.ts";

/** "1 article", "2 articles". */
const count = (n: number, noun: string): string => `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;

const config = await loadConfig();

const program = new Command()
  .name("npm run check --")
  .description(
    "Check every article as the build would (front matter, authors, sections, topics, images, duplicate URLs,\n" +
      "redirects, published URLs that would stop working) and every internal link between articles, without building.\n" +
      "Prints one `file:line: field: message` line per problem, then a summary; exits 1 if there is any problem.",
  )
  .argument("[dir]", "the articles folder", config.input)
  .option("--data <dir>", "the data folder with authors.yaml, sections.yaml and redirects.yaml", config.dataDir)
  .option(
    "--manifest <file>",
    "the permalink manifest to compare with (default: <data>/permalinks.txt for the real archive only)",
    config.manifest,
  )
  .action(async (dir: string, options: { data: string; manifest?: string }) => {
    const started = performance.now();
    if (!(await isFolder(dir))) program.error(`check: ${dir} is not a folder of articles`, { exitCode: 2 });
    // Problems in authors.yaml or sections.yaml are listed with the articles'; only an unexpected error stops the check itself.
    const report = await checkArchive(dir, {
      timezone: config.site.timezone,
      dataDir: options.data,
      siteUrl: config.site.url,
      now: config.now,
      manifest: options.manifest,
    }).catch((error: Error) => program.error(`check: ${error.message}`, { exitCode: 2 }));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    for (const problem of report.problems) console.error(formatProblem(problem));
    const files = new Set(report.problems.map((problem) => problem.file)).size;
    const against = report.manifest === undefined ? "" : `, URLs compared with ${report.manifest}`;
    console.log(
      report.problems.length === 0
        ? `check: ${count(report.articles, "article")} in ${dir}, no problems${against} (${seconds} s)`
        : `check: ${count(report.problems.length, "problem")} in ${count(files, "file")}; ${count(report.articles, "article")} in ${dir} checked${against} (${seconds} s)`,
    );
    process.exitCode = report.problems.length === 0 ? 0 : 1;
  });

await program.parseAsync();
