// `npm run build [-- --output DIR] [--quiet]` and `npm start [-- --port N]`: the command line of the build pipeline.
import { Command, InvalidArgumentError, Option } from "commander";
import { loadConfig } from "../src/config/index.ts";
import { runBuild, runPart, runPreview } from "../src/build/index.ts";

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
  // Internal: a build starts render parts with it (src/build/parts.ts).
  .addOption(new Option("--part <plan>", "render the pages of a render part's plan file into --output").hideHelp())
  .action(async (options: { output?: string; quiet: boolean; serve: boolean; port: number; part?: string }) => {
    const config = await loadConfig({ preview: options.serve });
    if (options.part !== undefined) {
      if (options.output === undefined) throw new InvalidArgumentError("--part needs --output");
      process.exitCode = await runPart(config, { planFile: options.part, output: options.output, quiet: options.quiet });
    } else if (options.serve) {
      await runPreview(config, { output: options.output ?? ".preview", port: options.port, quiet: options.quiet });
    } else {
      process.exitCode = await runBuild(config, { output: options.output ?? "_site", quiet: options.quiet });
    }
  });

await program.parseAsync();
