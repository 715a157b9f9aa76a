// @ts-check
// `npm run lint` before Prettier: the type check (what `tsc --noEmit` reports) and ESLint, over one TypeScript program.
// ESLint's type-aware rules would otherwise build a program of their own from tsconfig.json: on a fresh clone the two
// took about 25 CPU-seconds of `npm test`'s time, of which the second program was 8. The type check is incremental, in
// the state file `npm run typecheck` keeps too.
import path from "node:path";
import { ESLint } from "eslint";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "../..");

/** tsc's incremental state, shared with `npm run typecheck`. */
const BUILD_INFO = path.join(root, "node_modules/.cache/tsc/tsbuildinfo.json");

/** The files ESLint's type-aware rules apply to (as scripts/lint/eslint.config.js says): all in tsconfig.json's program. */
const TYPED_FILES = ["**/*.ts", "_includes/js/**/*.js"];

const host = ts.createIncrementalCompilerHost({});
const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, "tsconfig.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  },
);
if (!config) throw new Error("tsconfig.json could not be read");
const program = ts.createIncrementalProgram({
  rootNames: config.fileNames,
  options: { ...config.options, incremental: true, tsBuildInfoFile: BUILD_INFO },
  configFileParsingDiagnostics: config.errors,
  projectReferences: config.projectReferences,
  host,
});
const typeErrors = ts.sortAndDeduplicateDiagnostics([
  ...program.getConfigFileParsingDiagnostics(),
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...program.getSyntacticDiagnostics(),
  ...program.getSemanticDiagnostics(),
]);
// With noEmit this writes only the incremental state, as tsc does.
program.emit();
if (typeErrors.length > 0) {
  const formatHost = {
    getCanonicalFileName: (/** @type {string} */ name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  };
  console.error(
    process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext(typeErrors, formatHost) : ts.formatDiagnostics(typeErrors, formatHost),
  );
}

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: path.join(root, "scripts/lint/eslint.config.js"),
  overrideConfig: {
    files: TYPED_FILES,
    languageOptions: {
      parserOptions: {
        projectService: false,
        // ESLint's cache keys its results by the configuration as JSON: the program stands for itself as its name.
        programs: Object.assign([program.getProgram()], { toJSON: () => "tsconfig.json" }),
      },
    },
  },
  cache: true,
  cacheLocation: path.join(root, "node_modules/.cache/eslint/"),
  cacheStrategy: "content",
});
const results = await eslint.lintFiles(["."]);
const report = await (await eslint.loadFormatter("stylish")).format(results);
if (report) console.log(report);
if (typeErrors.length > 0 || results.some((result) => result.errorCount > 0)) process.exitCode = 1;
