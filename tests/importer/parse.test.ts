import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../helpers/build.ts";
import { splitArticle } from "../../src/articles/frontMatter.ts";
import { validateArticleText } from "../../src/validation/index.ts";
import { decodeInput } from "../../src/importer/decode.ts";
import { CAPTION_PATTERNS, compileBoilerplate, normaliseText, parseCaptionLine, parseRawArticle } from "../../src/importer/parse.ts";
import { renderArticle } from "../../src/importer/render.ts";
import { checkFidelity } from "../../src/importer/fidelity.ts";

const raw = (name: string) => readFileSync(path.join(projectRoot, "tests/fixtures/raw", name));
const boilerplate = compileBoilerplate(
  (parse(readFileSync(path.join(projectRoot, "_data/boilerplate.yaml"), "utf8")) as { patterns: string[] }).patterns,
);
const parseFixture = (name: string) => parseRawArticle(decodeInput(raw(name)), boilerplate);

describe("parseRawArticle on the seed", () => {
  const parsed = parseFixture("hamas-hezbollah-iran.txt");
  const committed = splitArticle(
    readFileSync(path.join(projectRoot, "articles/2013/hamas-patches-up-ties-with-hezbollah-iran.md"), "utf8"),
  );
  const data = committed.data as { title: string; dek: string; image: { caption: string; credit: string } };

  it("finds the headline, standfirst, caption and credit of the hand-made import", () => {
    expect(parsed.title).toBe("Hamas patches up ties with Hezbollah, Iran");
    expect(parsed.title).toBe(data.title);
    expect(parsed.dek).toBe(data.dek);
    expect(parsed.caption).toBe("Hamas security men parade in Gaza city");
    expect(parsed.caption).toBe(data.image.caption);
    expect(parsed.credit).toBe("Wissam Nassar/Flash90");
    expect(parsed.credit).toBe(data.image.credit);
  });

  it("renders a body identical to the committed article's", () => {
    const rendered = renderArticle(parsed, { date: "2013-08-04" });
    expect(rendered.body.trim()).toBe(committed.body.trim());
    expect(splitArticle(rendered.text).body).toBe(committed.body);
  });

  it("drops read more: and everything after it", () => {
    expect(parsed.droppedLines).toEqual([
      "read more:",
      "Never miss breaking news on Israel",
      "Get notifications to stay updated",
      "You're subscribed",
    ]);
    expect(parsed.paragraphs.join("\n")).not.toMatch(/subscribed|read more/i);
  });

  it("turns non-breaking spaces into single spaces and keeps curly quotes and dashes", () => {
    const body = parsed.paragraphs.join("\n");
    expect(body).toContain("Beirut last month. The meeting");
    expect(body).not.toContain("\u00a0");
    expect(body).toContain("“We demand");
    expect(body).toContain(" — such as");
  });

  it("loses no sentence", () => {
    const text = decodeInput(raw("hamas-hezbollah-iran.txt"));
    const rendered = renderArticle(parsed, { date: "2013-08-04" });
    expect(checkFidelity(text, rendered.body, [...parsed.headerLines, ...parsed.droppedLines])).toEqual([]);
  });
});

describe("parseRawArticle on other shapes", () => {
  it("reads an article with neither standfirst nor caption", () => {
    const parsed = parseFixture("no-dek-no-caption.txt");
    expect(parsed.title).toBe("Knesset passes budget after all-night session");
    expect(parsed.dek).toBeUndefined();
    expect(parsed.caption).toBeUndefined();
    expect(parsed.credit).toBeUndefined();
    expect(parsed.paragraphs).toHaveLength(2);
    expect(parsed.paragraphs[0]).toBe("The vote, 61 to 50, came shortly before dawn on Wednesday.");
    expect(parsed.droppedLines).toEqual(["Read more:", "Sign up for our newsletter"]);
  });

  it("reads a caption that is not duplicated", () => {
    const parsed = parseFixture("caption-no-duplicate.txt");
    expect(parsed.dek).toBe("Heavy rain closes the Ayalon highway for hours");
    expect(parsed.caption).toBe("Cars stranded on the Ayalon highway");
    expect(parsed.credit).toBe("Tomer Neuberg/Flash90");
    expect(parsed.paragraphs).toHaveLength(2);
  });

  it("reads the (Photo: …) credit form, keeps a duplicated caption once and drops listed boilerplate", () => {
    const parsed = parseFixture("photo-credit-form.txt");
    expect(parsed.caption).toBe("The manuscript on display in Jerusalem");
    expect(parsed.credit).toBe("Jane Roe/AP");
    expect(parsed.paragraphs).toEqual([
      "The codex was taken during the war and resurfaced at an auction in 2019.",
      "“It is a day of joy,” the curator said.",
    ]);
    expect(parsed.droppedLines).toEqual(["Never miss breaking news on Israel"]);
  });

  it("reads the other credit forms", () => {
    expect(parseCaptionLine("Shoppers (Credit: Sam Poe)")).toEqual({ caption: "Shoppers", credit: "Sam Poe" });
    expect(parseCaptionLine("Shoppers at a market. Photo: Sam Poe/Reuters")).toEqual({
      caption: "Shoppers at a market",
      credit: "Sam Poe/Reuters",
    });
    expect(parseCaptionLine("An ordinary sentence.")).toBeNull();
  });

  it("reads credits at the end of 40 kB lines of punctuation", () => {
    const run = "-.".repeat(20_000);
    expect(parseCaptionLine(run)).toBeNull();
    expect(parseCaptionLine(`${run} (photo ${" ".repeat(40_000)}`)).toBeNull();
    expect(parseCaptionLine(`A crowd${run} Photo: Sam Poe`)).toEqual({ caption: "A crowd", credit: "Sam Poe" });
    expect(parseCaptionLine(`A crowd ${"Photo ".repeat(8_000)}Photo: Sam Poe`)).toEqual({
      caption: `A crowd ${"Photo ".repeat(8_000).trim()}`,
      credit: "Sam Poe",
    });
    expect(parseCaptionLine(`A crowd${run} (Credit: Sam Poe)`)).toEqual({ caption: `A crowd${run}`, credit: "Sam Poe" });
  });

  it("handles a BOM, CRLF line endings, runs of blank lines and double spaces", () => {
    const parsed = parseFixture("crlf-bom.txt");
    expect(parsed.title).toBe("Prices rise again");
    expect(parsed.dek).toBe("Inflation hits a ten-year high");
    expect(parsed.caption).toBe("Shoppers at a market");
    expect(parsed.credit).toBe("Sam Poe");
    expect(parsed.paragraphs).toEqual([
      "The consumer price index rose 0.4% in March.",
      "Economists had expected a smaller rise. Bread and milk led the increase.",
    ]);
  });

  it("decodes Latin-1/Windows-1252 bytes", () => {
    const parsed = parseFixture("latin1.txt");
    expect(parsed.title).toBe("Café owners protest new rules");
    expect(parsed.dek).toBeUndefined();
    expect(parsed.paragraphs[0]).toBe("The ministry’s plan would close terraces at 10 p.m.");
    expect(parsed.paragraphs[1]).toContain("summer season – their busiest.");
  });

  it("normalises whitespace only", () => {
    expect(normaliseText("\uFEFFa\u00a0 b  \r\n\r\n\r\n\r\nc \t")).toBe("a b\n\nc");
  });
});

describe("decodeInput", () => {
  it("rejects an empty or whitespace-only file", () => {
    expect(() => decodeInput(raw("empty.txt"))).toThrow("is empty");
    expect(() => decodeInput(Buffer.from(" \n\t\n"))).toThrow("is empty");
    expect(() => decodeInput(Buffer.from("\uFEFF\n", "utf8"))).toThrow("is empty");
  });

  it("rejects a binary file", () => {
    expect(() => decodeInput(raw("binary.txt"))).toThrow("looks like a binary file, not text");
  });

  it("accepts UTF-8 with and without a BOM", () => {
    expect(decodeInput(Buffer.from("Héllo”", "utf8"))).toBe("Héllo”");
    expect(decodeInput(Buffer.from("\uFEFFHéllo", "utf8"))).toBe("Héllo");
  });
});

describe("checkFidelity", () => {
  it("lists input sentences missing from the output", () => {
    const input = "Headline\n\nFirst one. Second one!\n\nThird “one.” Fourth.";
    expect(checkFidelity(input, "First one. Second one!\n\nThird “one.” Fourth.", ["Headline"])).toEqual([]);
    expect(checkFidelity(input, "First one.\n\nFourth.", ["Headline"])).toEqual(["Second one!", "Third “one.”"]);
  });
});

describe("renderArticle", () => {
  it("produces a valid article when a date is given", () => {
    for (const name of [
      "hamas-hezbollah-iran.txt",
      "no-dek-no-caption.txt",
      "caption-no-duplicate.txt",
      "photo-credit-form.txt",
      "crlf-bom.txt",
      "latin1.txt",
    ]) {
      const rendered = renderArticle(parseFixture(name), {
        date: "2013-08-04",
        authors: ["Jane Doe"],
        topics: ["Hamas", "Iran"],
        section: "World",
        sourceName: "The Times of Israel",
        sourceUrl: "https://www.timesofisrael.com/story",
      });
      expect(validateArticleText(name, rendered.text)).toEqual([]);
      expect(rendered.leftForAuthor.filter((note) => !note.startsWith("image:"))).toEqual([]);
    }
  });

  it("keeps headlines with YAML-special characters valid", () => {
    const rendered = renderArticle(
      {
        title: "Q&A: 'Yes' #1 — \"no\"",
        paragraphs: ["Body."],
        blocks: [{ kind: "paragraph", text: "Body." }],
        droppedLines: [],
        headerLines: [],
      },
      { date: "2013-08-04" },
    );
    expect(validateArticleText("x.md", rendered.text)).toEqual([]);
    expect((splitArticle(rendered.text).data as { title: string }).title).toBe("Q&A: 'Yes' #1 — \"no\"");
  });

  it("lists what the author should still add: byline, section, topics and the photo of a caption", () => {
    const bare = renderArticle(parseFixture("photo-credit-form.txt"), { date: "2013-08-04" });
    expect(bare.leftForAuthor.map((note) => note.split(":")[0])).toEqual(["authors", "section", "topics", "image"]);
    const full = renderArticle(parseFixture("no-dek-no-caption.txt"), {
      date: "2013-08-04",
      authors: ["Jane Doe"],
      section: "World",
      topics: ["Iran"],
    });
    expect(full.leftForAuthor).toEqual([]);
  });
});

/**
 * Unbounded quantifiers (`*`, `+`, `{n,}`) in a regular expression's source, outside character classes.
 * An anchored pattern with at most one can backtrack only over one run of input: linear in the line.
 */
function unboundedQuantifiers(pattern: RegExp): number {
  let count = 0;
  let inClass = false;
  for (let index = 0; index < pattern.source.length; index++) {
    const char = pattern.source[index];
    if (char === "\\") index++;
    else if (inClass) inClass = char !== "]";
    else if (char === "[") inClass = true;
    else if (char === "*" || char === "+" || (char === "{" && /^\{\d+,\}/.test(pattern.source.slice(index)))) count++;
  }
  return count;
}

/** Whether a pattern can only match at one place: at the start (`^` without the m flag) or, sticky, at lastIndex. */
const anchored = (pattern: RegExp): boolean => pattern.sticky || (pattern.source.startsWith("^") && !pattern.multiline);

describe("the caption reader's patterns", () => {
  it("would fail the patterns it replaced, which took 2.9 s on a 40 kB line", () => {
    const replaced = [/^(.*?)\s*\((?:photo credit|photo|credit)\s*:\s*([^()]+?)\s*\)$/i, /^(.*?)[\s.,;–—-]*\bPhoto\s*:\s*(.+?)$/];
    expect(replaced.map(unboundedQuantifiers)).toEqual([6, 5]);
  });

  it("are anchored with at most one unbounded quantifier each, so a 40 kB line takes linear steps", () => {
    expect(CAPTION_PATTERNS.length).toBeGreaterThan(0);
    for (const pattern of CAPTION_PATTERNS) {
      expect(anchored(pattern), String(pattern)).toBe(true);
      expect(unboundedQuantifiers(pattern), String(pattern)).toBeLessThanOrEqual(1);
    }
  });
});
