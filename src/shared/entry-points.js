// @ts-check
// The entry points of the compiled bundle, each named as the file it becomes (`NAME.mjs`), with its TypeScript source:
// scripts/run.mjs compiles them, and entries.ts finds them beside the running code. JavaScript, so that the launcher
// can read it before anything is compiled.

/** Each entry point's TypeScript source, relative to the project root. */
export const ENTRY_POINTS = /** @type {const} */ ({
  build: "scripts/build.ts",
  check: "scripts/check.ts",
  new: "scripts/new.ts",
  import: "scripts/import.ts",
  eleventy: ".eleventy.ts",
  "search-worker": "src/search/worker.ts",
  "check-worker": "src/validation/worker.ts",
  "walk-worker": "src/build/walk-worker.ts",
});

/** Where compiled code is kept, relative to the project root: the bundles, and the data modules compiled beside them. */
export const COMPILED_CACHE = "node_modules/.cache/broadsheet-build";

/** The entry points that are commands (`node scripts/run.mjs COMMAND`). */
export const COMMANDS = /** @type {const} */ (["build", "check", "new", "import"]);
