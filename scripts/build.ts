// `npm run build [-- --output DIR] [--quiet]` and `npm start [-- --port N]`: the command line of the build pipeline.
import { Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../src/config/index.ts";
import { runBuild, runPreview } from "../src/build/index.ts";

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
  .action(async (options: { output?: string; quiet: boolean; serve: boolean; port: number }) => {
    const config = await loadConfig({ preview: options.serve });
    if (options.serve) {
      await runPreview(config, { output: options.output ?? ".preview", port: options.port, quiet: options.quiet });
    } else {
      process.exitCode = await runBuild(config, { output: options.output ?? "_site", quiet: options.quiet });
    }
  });

await program.parseAsync();
