// What an editor sees under `npm start` when a save breaks an article: the problems in the browser instead of a stale
// page, printed once in the terminal, and the site back as soon as the article is fixed.
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptArgs } from "../../scripts/build-script.ts";
import { FIXTURE_BUILD_TIME, fixtureArchive, fixtureData, projectRoot } from "../helpers/build.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { testTmpdir } from "../helpers/tmp.ts";

let server: ChildProcess;
let origin: string;
let log = "";
let articles: string;
let browser: Browser;

beforeAll(async () => {
  const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-errors-"));
  articles = path.join(root, "articles");
  await cp(fixtureArchive, articles, { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn(
    process.execPath,
    [...(await scriptArgs("start")), "--quiet", `--port=${port}`, `--output=${path.join(root, "preview")}`],
    {
      cwd: projectRoot,
      // An absolute folder: Eleventy's watcher misnames files added under a relative input outside the project.
      env: {
        ...process.env,
        ARTICLES_DIR: articles,
        DATA_DIR: path.relative(projectRoot, fixtureData),
        SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Server at (http:\/\/localhost:\d+)/.exec(log);
      if (match?.[1]) resolve(match[1]);
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${log}`)));
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

describe("a save that breaks an article under npm start", () => {
  it("shows the problem in the open page, prints it once, and brings the site back when fixed", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const broken = path.join(articles, "2024/broken.md");
    await writeFile(broken, "---\ntitle: Broken story\ndate: 2024-02-30\n---\nBody.\n");

    // Live reload replaces the open page with the problem list; no manual reload.
    await page.waitForFunction(() => document.body.innerText.includes("The preview is not up to date"), undefined, { timeout: 60_000 });
    const items = await page.locator("li code").allTextContents();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/broken\.md:3: date: "2024-02-30" is not a real date/);
    expect(log.split("\n").filter((line) => line.includes("broken.md:3: date:"))).toHaveLength(1);
    expect(log).not.toMatch(/\n\s+at |Original error stack trace/);
    // Every page shows the problems while they last, not only the one that was open.
    const other = await fetch(`${origin}/topics/`);
    expect(other.status).toBe(500);
    expect(await other.text()).toContain("broken.md:3: date:");

    await writeFile(broken, "---\ntitle: Broken story\ndate: 2024-02-28\n---\nBody.\n");
    await page.waitForFunction(() => !document.body.innerText.includes("The preview is not up to date"), undefined, { timeout: 60_000 });
    expect((await fetch(`${origin}/topics/`)).status).toBe(200);
    const fixed = await fetch(`${origin}/2024/02/28/broken-story/`);
    expect(fixed.status, log).toBe(200);
  });
});
