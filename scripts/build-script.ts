// The command lines of `npm run build` and `npm start`, read from package.json, for tools that build in a process of their own
// (the bench, the build tests) and must build exactly as the build script does, Node flags included.
import { readFile } from "node:fs/promises";
import path from "node:path";

const projectRoot = path.resolve(import.meta.dirname, "..");

/** The arguments of the package.json script `name` (`build` or `start`) after `node`, without npm's own start-up. */
export async function scriptArgs(name: "build" | "start"): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const [command, ...args] = (manifest.scripts?.[name] ?? "").trim().split(/\s+/);
  if (command !== "node" || args.length === 0)
    throw new Error(`package.json: the ${name} script must be "node <args>", not "${manifest.scripts?.[name] ?? ""}"`);
  return args;
}

/** The arguments of `npm run build` after `node`. */
export function buildScriptArgs(): Promise<string[]> {
  return scriptArgs("build");
}
