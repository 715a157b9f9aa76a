import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptArgs } from "../../scripts/build-script.ts";
import { FIXTURE_BUILD_TIME, projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

// `npm start` (the build pipeline with --serve) on the fixture archive: held-back articles get preview pages with a banner.
let server: ChildProcess;
let origin: string;

beforeAll(async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const output = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-"));
  server = spawn(process.execPath, [...(await scriptArgs("start")), `--port=${port}`, `--output=${output}`], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ARTICLES_DIR: "tests/fixtures/archive",
      DATA_DIR: "tests/fixtures/data",
      SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  origin = await new Promise<string>((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Server at (http:\/\/localhost:\d+)/.exec(log);
      if (match?.[1]) resolve(match[1]);
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${log}`)));
  });
});

afterAll(() => {
  server.kill();
});

const page = async (url: string) => {
  const response = await fetch(new URL(url, origin));
  return { status: response.status, document: parseHTML(await response.text()).document };
};

describe("preview under npm start", () => {
  it("shows a draft with a banner saying it is a draft", async () => {
    const { status, document } = await page("/2024/01/15/unpublished-draft/");
    expect(status).toBe(200);
    expect(document.querySelector(".preview-banner")?.textContent).toContain("this article is a draft");
    expect(document.querySelector("[data-pagefind-body]")).toBeNull();
  });

  it("shows an embargoed article with a banner naming its date", async () => {
    const { document } = await page("/2024/06/01/embargoed-budget-story/");
    expect(document.querySelector(".preview-banner")?.textContent).toContain("embargoed until June 1, 2024");
  });

  it("keeps previews out of the listings", async () => {
    const { document } = await page("/");
    const titles = [...document.querySelectorAll(".article-list__title a")].map((a) => a.textContent);
    expect(titles).not.toContain("Unpublished draft");
    expect(titles).not.toContain("Embargoed budget story");
  });

  it("gives published articles no banner", async () => {
    const { document } = await page("/2023/08/06/hamas-patches-up-ties-with-hezbollah-iran/");
    expect(document.querySelector(".preview-banner")).toBeNull();
  });
});
