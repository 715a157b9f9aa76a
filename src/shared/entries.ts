// Where the build's entry points are: beside this code when it runs compiled (`npm run build`, see scripts/run.mjs),
// else their TypeScript sources (tsx, the tests). A build starts its render parts, Eleventy's configuration file and
// its search workers from them.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ENTRY_POINTS } from "./entry-points.js";

/** Whether this code runs from the compiled bundle (its own URL is the bundle's, not a `.ts` source's). */
export const COMPILED = !import.meta.url.endsWith(".ts");

/** The project root: Broadsheet's TypeScript sources, its patches, its locked dependencies and `node_modules`. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/** The file of the entry point `name` that this code runs beside: compiled (`name.mjs`) or its source. */
export function entryPoint(name: keyof typeof ENTRY_POINTS): string {
  return COMPILED ? fileURLToPath(new URL(`./${name}.mjs`, import.meta.url)) : path.join(PROJECT_ROOT, ENTRY_POINTS[name]);
}

/**
 * What a worker thread of the entry point `name` starts from: its compiled file, or from the TypeScript sources a small
 * ES module that registers tsx's loader (Node 20 does not carry the one `--import tsx` registers into worker threads),
 * then loads the source.
 */
export function workerEntry(name: keyof typeof ENTRY_POINTS): URL {
  const file = pathToFileURL(entryPoint(name));
  if (COMPILED) return file;
  const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  return new URL(
    `data:text/javascript,${encodeURIComponent(`import { register } from ${tsx}; register(); await import(${JSON.stringify(file.href)});`)}`,
  );
}
