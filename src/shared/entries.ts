// Where the build's entry points are: beside this code when it runs compiled (`npm run build`, see scripts/run.mjs),
// else their TypeScript sources (tsx, the tests). A build starts its render parts, Eleventy's configuration file and
// its search workers from them.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Whether this code runs from the compiled bundle (its own URL is the bundle's, not a `.ts` source's). */
export const COMPILED = !import.meta.url.endsWith(".ts");

/** The project root, where the TypeScript sources are. */
const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/** Each entry point's TypeScript source and, compiled, its file in the bundle. */
const ENTRIES = {
  build: { source: "scripts/build.ts", compiled: "build.mjs" },
  eleventy: { source: ".eleventy.ts", compiled: "eleventy.mjs" },
  searchWorker: { source: "src/search/worker.ts", compiled: "search-worker.mjs" },
} as const;

/** The file of the entry point `name` that this code runs beside: compiled or source. */
export function entryPoint(name: keyof typeof ENTRIES): string {
  const entry = ENTRIES[name];
  return COMPILED ? fileURLToPath(new URL(`./${entry.compiled}`, import.meta.url)) : path.join(PROJECT_ROOT, entry.source);
}
