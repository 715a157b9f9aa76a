import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Preview, startPreview } from "../helpers/preview.ts";
import { testTmpdir } from "../helpers/tmp.ts";

// `npm start` (the build pipeline with --serve) on the fixture archive: held-back articles get preview pages with a banner.
let preview: Preview;
let origin: string;

beforeAll(async () => {
  const output = await mkdtemp(path.join(testTmpdir(), "broadsheet-preview-"));
  preview = await startPreview({ articles: "tests/fixtures/archive", data: "tests/fixtures/data", output });
  origin = preview.origin;
});

afterAll(() => {
  preview?.server.kill();
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
