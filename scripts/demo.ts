// `npm run demo`: generates a 2,000-article archive (or reuses it) and serves it with the real `npm start` command
// line, so a newcomer can browse a full archive — topics, years, authors, feeds and search — in about a minute.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { archiveLayout, benchArchiveRoot, ensureArchive } from "./bench/generator/index.ts";
import { scriptArgs } from "./build-script.ts";

const projectRoot = path.resolve(import.meta.dirname, "..");

const whole = (what: string, min: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new InvalidArgumentError(`${what} must be a whole number of at least ${min}`);
  return number;
};

const options = new Command()
  .name("npm run demo --")
  .description("Generates a demo archive and serves it with live reload, as npm start does.")
  .option("--articles <n>", "articles to generate", whole("--articles", 1), 2000)
  .option("--seed <n>", "generator seed", whole("--seed", 0), 1)
  .option("--port <n>", "port of the local server", whole("--port", 1), 8080)
  .parse()
  .opts<{ articles: number; seed: number; port: number }>();

const root = benchArchiveRoot(options.articles, options.seed);
console.log(`demo: preparing ${options.articles} generated articles in ${root} …`);
const { reused } = await ensureArchive(root, { articles: options.articles, seed: options.seed });
console.log(
  `demo: ${reused ? "reusing the archive generated earlier" : "archive generated"}; building and serving it (the first build takes a while)`,
);

const layout = archiveLayout(root);
const output = await mkdtemp(path.join(os.tmpdir(), "broadsheet-demo-site-"));
const server = spawn(
  process.execPath,
  // `npm start`'s command line, plus --quiet: a "Writing …" line for each of thousands of pages would bury the address.
  [...(await scriptArgs("start")), "--quiet", `--port=${options.port}`, `--output=${output}`],
  {
    cwd: projectRoot,
    env: { ...process.env, ARTICLES_DIR: layout.articlesDir, DATA_DIR: layout.dataDir },
    stdio: ["inherit", "pipe", "pipe"],
  },
);

// Eleventy announces its server on either stream; the demo repeats the address with places to start.
let announced = false;
const relay = (target: NodeJS.WriteStream) => (chunk: string) => {
  target.write(chunk);
  // eslint-disable-next-line no-control-regex -- Eleventy colours the address with ANSI escapes (ESC, \x1b).
  const url = /Server at (?:\x1b\[[0-9;]*m)*(https?:\/\/[^\s\x1b]+)/.exec(chunk)?.[1];
  if (url && !announced) {
    announced = true;
    console.log(
      `\ndemo: ${options.articles} articles at ${url} — try ${url}topics/, ${url}archive/ and ${url}search/?q=government (Ctrl-C stops)\n`,
    );
  }
};
server.stdout.setEncoding("utf8").on("data", relay(process.stdout));
server.stderr.setEncoding("utf8").on("data", relay(process.stderr));

// Ctrl-C reaches the server too (same process group); the demo ends when it does, and tidies its output.
// A plain kill of the demo alone is passed on, so it never leaves a server behind.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => server.kill("SIGTERM"));
const code = await new Promise<number>((resolve) => server.on("close", (exitCode) => resolve(exitCode ?? 0)));
await rm(output, { recursive: true, force: true });
process.exitCode = code;
