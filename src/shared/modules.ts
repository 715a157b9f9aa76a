// Imports a TypeScript module of the project's data (a data folder's `site.ts`) without a TypeScript loader: the build
// runs compiled (scripts/run.mjs), so a module it did not compile is compiled here, by the same compiler, and kept
// with a record of the files it was compiled from for the processes after it.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Loader } from "esbuild";
import { PROJECT_ROOT } from "./entries.ts";
import { writeWhole } from "./fs.ts";
import { COMPILED_CACHE } from "./entry-points.js";
import { sha256 } from "./hash.ts";

/** Where compiled data modules are kept, named by their content, beside the compiled build. */
const COMPILED_MODULES = path.join(PROJECT_ROOT, COMPILED_CACHE, "modules");

/** What a data module was last compiled from: every file of the project it read, with the sha256 of its bytes. */
interface CompiledRecord {
  inputs: Record<string, string>;
  /** The compiled module, named by its text's hash. */
  compiled: string;
}

/** esbuild's loader for a file it reads through {@link importTypeScript}'s plugin, by extension. */
const LOADERS: Record<string, Loader> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".json": "json",
};

/** The record of `file`'s last compilation, if it is readable and every file it names still has the same bytes. */
async function unchangedRecord(recordFile: string): Promise<CompiledRecord | undefined> {
  let record: CompiledRecord;
  try {
    record = JSON.parse(await readFile(recordFile, "utf8")) as CompiledRecord;
  } catch (error) {
    // No record yet, or one cut short: compile again.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return undefined;
    throw error;
  }
  for (const [input, hash] of Object.entries(record.inputs)) {
    const bytes = await readFile(input).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (bytes === undefined || sha256(bytes) !== hash) return undefined;
  }
  return existsSync(record.compiled) ? record : undefined;
}

/**
 * Imports the TypeScript module `file` (with the files it imports; packages stay imports) as Node would import its
 * JavaScript. The compiled text is written once under its hash, so every process gets the same module for the same
 * source and a change to it is seen by the next import. A record beside it names the files compiled and their
 * hashes: while they are unchanged, a process imports the compiled module without starting esbuild, which cost every
 * process of a build (and every command) about 30 ms of its start-up.
 */
export async function importTypeScript(file: string): Promise<unknown> {
  const absolute = path.resolve(file);
  const recordFile = path.join(COMPILED_MODULES, `${sha256(absolute).slice(0, 16)}.json`);
  const known = await unchangedRecord(recordFile);
  if (known) return import(pathToFileURL(known.compiled).href);
  // Every file esbuild compiles is read here and hashed as given to it, so the record names exactly the bytes compiled.
  const inputs: Record<string, string> = {};
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [absolute],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "silent",
    plugins: [
      {
        name: "hash-inputs",
        setup(build) {
          build.onLoad({ filter: /.*/ }, async (args) => {
            const loader = LOADERS[path.extname(args.path)];
            if (loader === undefined) return undefined;
            const contents = await readFile(args.path);
            inputs[args.path] = sha256(contents);
            return { contents, loader };
          });
        },
      },
    ],
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild compiled nothing from ${file}`);
  const compiled = path.join(COMPILED_MODULES, `${sha256(output.text).slice(0, 16)}.mjs`);
  await writeWhole(compiled, output.text);
  await writeWhole(recordFile, JSON.stringify({ inputs, compiled } satisfies CompiledRecord));
  return import(pathToFileURL(compiled).href);
}
