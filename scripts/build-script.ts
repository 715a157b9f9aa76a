// The command lines of `npm run build`, `npm start` and the authoring commands, read from package.json, for tools that run
// them in a process of their own (the bench, the tests) and must run exactly what npm runs, Node flags included.
import { readFile } from "node:fs/promises";
import path from "node:path";

const projectRoot = path.resolve(import.meta.dirname, "..");

/** The arguments of the package.json script `name` after `node`, without npm's own start-up. */
export async function scriptArgs(name: "build" | "start" | "check" | "new" | "import"): Promise<string[]> {
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
