// `npm run build [-- --output DIR] [--quiet]` and `npm start [-- --port N]`: the command line of the build pipeline.
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadConfig } from "../src/config/index.ts";
import { runBuild, runMerge, runPart, runPreview } from "../src/build/index.ts";
import { type Shard, parseShard } from "../src/build/shards.ts";
import { isFolder } from "../src/shared/fs.ts";

/** A TCP port number. */
function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) throw new InvalidArgumentError("must be a port number from 1 to 65535");
  return number;
}

const program = new Command()
  .name("npm run build --")
  .description(
    "Build the site: check every article, render into a staging folder beside the output and replace the output\n" +
      "with it only when everything succeeded. With --serve (npm start), preview with live reload instead.",
  )
  .option("--output <dir>", "the output folder (default: _site, or .preview with --serve)")
  .option("--quiet", "no line per written file", false)
  .option("--serve", "preview: serve, watch and rebuild on every change; drafts and embargoed articles get pages", false)
  .option("--port <n>", "the preview server's port", port, 8080)
  .option("--shard <I/N>", "build only shard I of N of the site (e.g. one machine of a CI matrix); join them with --merge", (value) => {
    try {
      return parseShard(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  })
  .option("--merge <dirs...>", "join the outputs of every shard of a sharded build into --output")
  // Internal: a build starts render parts with it (src/build/parts.ts).
  .addOption(new Option("--part <plan>", "render the pages of a render part's plan file into --output").hideHelp())
  .action(
    async (options: { output?: string; quiet: boolean; serve: boolean; port: number; part?: string; shard?: Shard; merge?: string[] }) => {
      const config = await loadConfig({ preview: options.serve });
      // Every mode reads the articles: a missing folder is a setting to fix, not a crash to print.
      if (!(await isFolder(path.resolve(config.cwd, config.input))))
        program.error(
          `build: the articles folder "${config.input}" does not exist; create it, or set ARTICLES_DIR to the folder that holds the articles; nothing was published`,
        );
      if (options.merge !== undefined) {
        process.exitCode = await runMerge(config, { inputs: options.merge, output: options.output ?? "_site" });
      } else if (options.part !== undefined) {
        if (options.output === undefined) throw new InvalidArgumentError("--part needs --output");
        process.exitCode = await runPart(config, { planFile: options.part, output: options.output, quiet: options.quiet });
      } else if (options.serve) {
        await runPreview(config, { output: options.output ?? ".preview", port: options.port, quiet: options.quiet });
      } else {
        process.exitCode = await runBuild(config, { output: options.output ?? "_site", quiet: options.quiet, shard: options.shard });
      }
    },
  );

await program.parseAsync();
