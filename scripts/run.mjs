// @ts-check
// `npm run build`, `npm start`, `npm run check`, `npm run new` and `npm run import` start here, as
// `node scripts/run.mjs COMMAND [ARGS]`: the command's script (`scripts/COMMAND.ts` and everything it imports; for the
// build also the Eleventy configuration and the search worker) runs compiled into one JavaScript bundle, not through
// a TypeScript loader. A loader hook sees every module Node loads, Eleventy's and its dependencies' included: it cost
// about 0.4 s of start-up in every process, and a build starts several (render parts, search workers). The bundle holds
// the dependencies too (but those that run binaries of their own), as resolving and reading Eleventy's and the
// others' thousand module files cost most of what start-up was left. The bundle is made by esbuild, the compiler tsx
// uses, once per version of the code and of the dependencies, and kept in node_modules/.cache.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { COMMANDS, COMPILED_CACHE, ENTRY_POINTS } from "../src/shared/entry-points.js";

const projectRoot = path.resolve(import.meta.dirname, "..");

/** Where the commands' code lives: the bundle holds every file under these and nothing else of the project. */
const SOURCES = ["src", ".eleventy.ts", ...COMMANDS.map((command) => ENTRY_POINTS[command])];

/**
 * What the bundle's dependencies are: every package's locked version, and the patches applied to them on install.
 * Part of the bundle's key, as the bundle holds the dependencies' code.
 */
const DEPENDENCIES = ["package-lock.json", "scripts/patches"];

/** This file: how it compiles is part of the bundle's key too. */
const LAUNCHER = path.relative(projectRoot, import.meta.filename);

/**
 * Packages the bundle imports from node_modules as they are: those that run a binary or a native addon they find
 * beside their own files, and the development server and file watcher that only `npm start` loads.
 */
const EXTERNAL = ["sharp", "esbuild", "pagefind", "@11ty/eleventy-dev-server", "chokidar"];

/** Bundles of other versions of the code made this long ago are removed when a new one is made. */
const STALE_AFTER_MS = 7 * 24 * 3600 * 1000;

/** Every file of `sources`, relative to the project root, sorted. */
async function filesOf(/** @type {string[]} */ sources) {
  const files = [];
  for (const source of sources) {
    const full = path.join(projectRoot, source);
    if ((await stat(full)).isFile()) files.push(source);
    else {
      for (const entry of await readdir(full, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) files.push(path.relative(projectRoot, path.join(entry.parentPath, entry.name)));
      }
    }
  }
  return files.sort();
}

/**
 * The bundle's name: a hash of the sources, the dependencies (the compiler's version among them) and the project's
 * place (the bundle names the source folder of each file, below).
 */
async function bundleKey(/** @type {string[]} */ files) {
  const hash = createHash("sha256").update(`${projectRoot}\0`);
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(projectRoot, file)))
      .update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * `import.meta.dirname` stays the folder of the source file it is written in, as when the sources run through tsx:
 * the pipeline finds the project's files (its patches, the lock file) from there. `import.meta.url` becomes the
 * bundle's, which is how the code tells that it runs compiled (`src/shared/entries.ts`).
 * @type {import("esbuild").Plugin}
 */
const sourceDirname = {
  name: "source-dirname",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path))),
      loader: "ts",
    }));
  },
};

/**
 * A dependency's module in the bundle still finds the files beside it (its package.json, templates, data): its own
 * `import.meta.url`, `__dirname` and `__filename` are written into its code, and a CommonJS `require` resolves from
 * the project (see the banner below).
 * @type {import("esbuild").Plugin}
 */
const dependencyPaths = {
  name: "dependency-paths",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!/import\.meta\.url|__dirname|__filename/.test(text)) return undefined;
      return {
        contents: text
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
          .replace(/\b__filename\b/g, JSON.stringify(args.path)),
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/**
 * zod's translations of its error messages into other languages, which `z.locales` offers and nothing of Broadsheet
 * asks for (zod's English messages, which it uses, are imported on their own): 360 kB and 64 modules of the bundle,
 * which every process parsed as it started. Left out as bundlers leave out unused locales of a date library; the
 * bundle's module of them (in this namespace) is empty.
 */
const ZOD_LOCALES = "zod-locales";
/** @type {import("esbuild").Plugin} */
const zodWithoutLocales = {
  name: "zod-without-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: ZOD_LOCALES, namespace: ZOD_LOCALES }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: ZOD_LOCALES }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/** Compiles the commands into `folder`, written beside it first and renamed into place whole. */
async function compile(/** @type {string} */ folder, /** @type {string[]} */ files) {
  const esbuild = await import("esbuild");
  const staging = `${folder}.${process.pid}.tmp`;
  const result = await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints: ENTRY_POINTS,
    outdir: staging,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // The bundled CommonJS modules' `require` of Node's own modules and of the external packages.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    sourcemap: "linked",
    // Node reads the maps only when asked (`NODE_OPTIONS=--enable-source-maps`), for a bug's stack trace that names the
    // TypeScript: read as every process started, they cost a small build 60 ms of its 0.7 CPU-seconds. Without the
    // sources in them (the files are on disk) they are a third of the size.
    sourcesContent: false,
    metafile: true,
    logLevel: "error",
    plugins: [sourceDirname, dependencyPaths, zodWithoutLocales],
  });
  // A file of the project outside SOURCES would be in the bundle but not in its key: a change to it would run stale code.
  const unkeyed = Object.keys(result.metafile.inputs).filter(
    (input) => !files.includes(input) && !/(^|\/)node_modules\//.test(input) && !input.startsWith(`${ZOD_LOCALES}:`),
  );
  if (unkeyed.length > 0) throw new Error(`scripts/run.mjs: the commands import ${unkeyed.join(", ")}, outside ${SOURCES.join(", ")}`);
  try {
    await rename(staging, folder);
  } catch (error) {
    // Another build compiled the same code at the same time: its bundle is this one.
    if (!existsSync(folder)) throw error;
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes the bundles of other versions of the code made more than {@link STALE_AFTER_MS} ago. */
async function removeStale(/** @type {string} */ cache, /** @type {string} */ current) {
  for (const name of await readdir(cache)) {
    const folder = path.join(cache, name);
    if (folder !== current && Date.now() - (await stat(folder)).mtimeMs > STALE_AFTER_MS)
      await rm(folder, { recursive: true, force: true });
  }
}

// The script sees its own arguments after the command, as when it runs on its own.
const [command] = process.argv.splice(2, 1);
if (!COMMANDS.some((each) => each === command)) {
  console.error(`usage: node scripts/run.mjs ${COMMANDS.join("|")} [arguments]`);
  process.exit(2);
}
const files = await filesOf([...SOURCES, ...DEPENDENCIES, LAUNCHER]);
const cache = path.join(projectRoot, COMPILED_CACHE);
const folder = path.join(cache, await bundleKey(files));
if (!existsSync(path.join(folder, "build.mjs"))) {
  await mkdir(cache, { recursive: true });
  await compile(folder, files);
  await removeStale(cache, folder);
}
// Eleventy registers a module resolver hook (off the main thread on Node 20, so every import after it waits on a
// message) that makes a rebuild import again a JavaScript data file changed since the last one. Broadsheet's data is
// read by Broadsheet, never imported by Eleventy, so the hook would only slow every import.
process.env["ELEVENTY_SKIP_ESM_RESOLVER"] ??= "true";
await import(pathToFileURL(path.join(folder, `${command}.mjs`)).href);
