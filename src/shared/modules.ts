// Imports a TypeScript module of the project's data (a data folder's `site.ts`) without a TypeScript loader: the build
// runs compiled (scripts/run.mjs), so a module it did not compile is compiled here, by the same compiler.
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { PROJECT_ROOT } from "./entries.ts";
import { COMPILED_CACHE } from "./entry-points.js";
import { sha256 } from "./hash.ts";

/** Where compiled data modules are kept, named by their content, beside the compiled build. */
const COMPILED_MODULES = path.join(PROJECT_ROOT, COMPILED_CACHE, "modules");

/**
 * Imports the TypeScript module `file` (with the files it imports; packages stay imports) as Node would import its
 * JavaScript. The compiled text is written once under its hash, so every process gets the same module for the same
 * source and a change to it is seen by the next import.
 */
export async function importTypeScript(file: string): Promise<unknown> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild compiled nothing from ${file}`);
  const compiled = path.join(COMPILED_MODULES, `${sha256(output.text).slice(0, 16)}.mjs`);
  await mkdir(COMPILED_MODULES, { recursive: true });
  // Written beside it and renamed, so a build importing it at the same time never reads half a file.
  const staging = `${compiled}.${process.pid}.tmp`;
  await writeFile(staging, output.text);
  await rename(staging, compiled);
  return import(pathToFileURL(compiled).href);
}
