import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitArticle } from "../../src/articles/frontMatter.ts";
import { articleSchema } from "../../src/articles/schema.ts";
import { projectRoot } from "../helpers/build.ts";

const raw = () => readFile(path.join(projectRoot, "tests/fixtures/raw/hamas-hezbollah-iran.txt"), "utf8");
const article = async () => splitArticle(await readFile(path.join(projectRoot, "articles/2013/hamas-patches-up-ties-with-hezbollah-iran.md"), "utf8"));
/** The raw text's paragraphs with non-breaking spaces and space runs normalised, boilerplate cut. */
const rawParagraphs = async () =>
  (await raw()).split("\nread more:")[0]!.split("\n\n").map((p) => p.replace(/[ \u00a0]+/g, " ").trim()).filter(Boolean);

describe("the seed article", () => {
  it("carries headline, dek, caption and a single credit from the scrape", async () => {
    const [headline, dek] = await rawParagraphs();
    const data = articleSchema.parse((await article()).data);
    expect(data.title).toBe(headline);
    expect(data.dek).toBe(dek);
    expect(data.image).toEqual({ caption: "Hamas security men parade in Gaza city", credit: "Wissam Nassar/Flash90" });
    expect(data.source?.name).toBe("The Times of Israel");
  });

  it("keeps every body paragraph verbatim and none of the boilerplate", async () => {
    const body = (await article()).body.trim().split("\n\n");
    expect(body).toEqual((await rawParagraphs()).slice(3));
    expect(body.join(" ")).not.toMatch(/read more|notifications|subscribed/i);
  });
});
