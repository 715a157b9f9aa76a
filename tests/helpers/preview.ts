// Starts `npm start` (its real command line from package.json) on an archive, for the preview tests.
import { type ChildProcess, spawn } from "node:child_process";
import { scriptArgs } from "../../scripts/build-script.ts";
import { FIXTURE_BUILD_TIME, projectRoot } from "./build.ts";

/** A running preview: its process, its address and everything it has printed so far. */
export interface Preview {
  server: ChildProcess;
  origin: string;
  log(): string;
}

/**
 * Starts a preview of `articles` (with `data`) into `output` on a random port at the fixture build time, and resolves
 * once it serves. Pass an absolute `articles` when the test adds files under it: Eleventy's watcher misnames files
 * added under a relative input outside the project.
 */
export async function startPreview(options: {
  articles: string;
  data: string;
  output: string;
  quiet?: boolean;
  /** More environment for the preview (its settings). */
  env?: Record<string, string>;
}): Promise<Preview> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(
    process.execPath,
    [...(await scriptArgs("start")), ...(options.quiet ? ["--quiet"] : []), `--port=${port}`, `--output=${options.output}`],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ARTICLES_DIR: options.articles,
        DATA_DIR: options.data,
        SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Server at (http:\/\/localhost:\d+)/.exec(log);
      if (match?.[1]) resolve(match[1]);
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${log}`)));
  });
  return { server, origin, log: () => log };
}
