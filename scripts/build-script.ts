// The command line of `npm run build`, read from package.json, for tools that build in a process of their own
// (the bench, the build tests) and must build exactly as the build script does, Node flags included.
import { readFile } from "node:fs/promises";
import path from "node:path";

const projectRoot = path.resolve(import.meta.dirname, "..");

/** The arguments of `npm run build` after `node`, without npm's own start-up. */
export async function buildScriptArgs(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const [command, ...args] = (manifest.scripts?.build ?? "").trim().split(/\s+/);
  if (command !== "node" || args.length === 0) throw new Error(`package.json: the build script must be "node <args>", not "${manifest.scripts?.build ?? ""}"`);
  return args;
}
