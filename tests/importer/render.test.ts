import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { splitArticle } from "../../src/articles/frontMatter.ts";
import { decodeInput } from "../../src/importer/decode.ts";
import { escapeMarkdown, renderBlocks } from "../../src/importer/escape.ts";
import { checkFidelity, renderedText } from "../../src/importer/fidelity.ts";
import { type BodyBlock, classifyBlock, compileBoilerplate, parseRawArticle } from "../../src/importer/parse.ts";
import { commentLines, renderArticle, yamlFlowList, yamlScalar } from "../../src/importer/render.ts";
import { projectRoot } from "../helpers/build.ts";

const raw = (name: string) => decodeInput(readFileSync(path.join(projectRoot, "tests/fixtures/raw", name)));
const boilerplate = compileBoilerplate(
  (parse(readFileSync(path.join(projectRoot, "_data/boilerplate.yaml"), "utf8")) as { patterns: string[] }).patterns,
);
const parseFixture = (name: string) => parseRawArticle(raw(name), boilerplate);

/** The flags the README gives for importing the seed (the `--date-note` text included). */
const SEED_FLAGS = {
  date: "2013-08-04",
  dateNote:
    'The text carries no date. Its clues: Israel Radio cited the report "on Sunday"; the meeting was "last month"; the June statement is named by its month, so June was no longer last month. The earliest Sunday that fits all three is 4 August 2013, the date used here.',
  section: "World",
  topics: ["Hamas", "Hezbollah", "Iran", "Syria"],
  sourceName: "The Times of Israel",
};

describe("renderArticle on the seed", () => {
  it("writes the committed article byte for byte", () => {
    const committed = readFileSync(path.join(projectRoot, "articles/2013/hamas-patches-up-ties-with-hezbollah-iran.md"), "utf8");
    expect(renderArticle(parseFixture("hamas-hezbollah-iran.txt"), SEED_FLAGS).text).toBe(committed);
  });
});

describe("front matter values", () => {
  it("quotes a scalar only when YAML needs it", () => {
    expect(yamlScalar("Hamas patches up ties with Hezbollah, Iran")).toBe("Hamas patches up ties with Hezbollah, Iran");
    expect(yamlScalar("Wissam Nassar/Flash90")).toBe("Wissam Nassar/Flash90");
    expect(yamlScalar("2013-08-04")).toBe("2013-08-04");
    expect(yamlScalar("Q&A: 'Yes' #1")).toBe("\"Q&A: 'Yes' #1\"");
    expect(yamlScalar("42")).toBe('"42"');
    expect(yamlScalar("- a dash first")).toBe('"- a dash first"');
  });

  it("writes lists as one-line flow sequences, quoting items only when needed", () => {
    expect(yamlFlowList(["Hamas", "Iran, Syria", "true"])).toBe('[Hamas, "Iran, Syria", "true"]');
  });

  it("reads every value back as the same string", () => {
    const hostile = [
      "a: b",
      "#tag",
      "[x]",
      "{y}",
      "'q'",
      '"d"',
      "null",
      "1e3",
      "yes",
      "~",
      "> folded",
      "| literal",
      "%p",
      "@at",
      "`t",
      "!t",
      "*a",
      "&a",
      "? q",
      "שלום, עולם",
    ];
    const rendered = renderArticle(
      { title: hostile[0] ?? "", dek: hostile[1], paragraphs: [], blocks: [], droppedLines: [], headerLines: [] },
      { date: "2013-08-04", topics: hostile },
    );
    const data = splitArticle(rendered.text).data as { title: string; dek: string; topics: string[] };
    expect(data.title).toBe(hostile[0]);
    expect(data.dek).toBe(hostile[1]);
    expect(data.topics).toEqual(hostile);
  });

  it("wraps a date note into # comment lines of at most 100 characters above date", () => {
    const lines = commentLines(SEED_FLAGS.dateNote);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.startsWith("# ")).toBe(true);
      expect(line.length).toBeLessThanOrEqual(100);
    }
    expect(lines.map((line) => line.slice(2)).join(" ")).toBe(SEED_FLAGS.dateNote);
  });
});

describe("escapeMarkdown", () => {
  const cases: [string, string][] = [
    ["# 1 in the polls", "\\# 1 in the polls"],
    ["#MeToo trended", "#MeToo trended"],
    ["- 5 degrees tonight", "\\- 5 degrees tonight"],
    ["-5 degrees tonight", "-5 degrees tonight"],
    ["+ more", "\\+ more"],
    ["1. That is the number", "1\\. That is the number"],
    ["2013) was the year", "2013\\) was the year"],
    ["1.5 million people", "1.5 million people"],
    ["> is how it is marked", "\\> is how it is marked"],
    ["a > b", "a > b"],
    ["---", "\\---"],
    ["===", "\\==="],
    ["*starred* and **bold**", "\\*starred\\* and \\*\\*bold\\*\\*"],
    ["_underlined_ and snake_case", "\\_underlined\\_ and snake_case"],
    ["[sic] and [1]", "[sic] and [1]"],
    ["[a link](x) and [ref][r]", "[a link\\](x) and [ref\\][r]"],
    ["[label]: https://x.test", "\\[label]: https://x.test"],
    ["`code`", "\\`code\\`"],
    ["C:\\Users\\*x*", "C:\\Users\\\\\\*x\\*"],
    ["&amp; and & and &#169;", "\\&amp; and & and \\&#169;"],
    ["<https://x.test> and <b>", "\\<https://x.test> and <b>"],
    ["~~struck~~ and ~5%", "\\~\\~struck\\~\\~ and ~5%"],
    ["“Quotes” — dashes’ and ellipses…", "“Quotes” — dashes’ and ellipses…"],
  ];

  it.each(cases)("escapes %j as %j", (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it.each(cases)("renders the escaped %j as exactly the text", (text) => {
    expect(renderedText(escapeMarkdown(text))).toBe(text);
  });
});

describe("classifyBlock", () => {
  it("reads a bulleted block as a list", () => {
    expect(classifyBlock(["• One.", "• Two."])).toEqual([{ kind: "list", items: [{ text: "One." }, { text: "Two." }] }]);
  });

  it("reads numbers counting up as an ordered list, with the line introducing it as a paragraph", () => {
    expect(classifyBlock(["Three stages:", "1. One.", "2. Two.", "3. Three."])).toEqual([
      { kind: "paragraph", text: "Three stages:" },
      {
        kind: "list",
        items: [
          { marker: "1.", text: "One." },
          { marker: "2.", text: "Two." },
          { marker: "3.", text: "Three." },
        ],
      },
    ]);
  });

  it("does not read numbers that do not count up, or mixed bullets, as a list", () => {
    expect(classifyBlock(["1. One.", "3. Three."])).toEqual([{ kind: "paragraph", text: "1. One. 3. Three." }]);
    expect(classifyBlock(["- One.", "• Two."])).toEqual([{ kind: "paragraph", text: "- One. • Two." }]);
  });

  it("does not read a single bulleted or quoted line as structure", () => {
    expect(classifyBlock(["- 5 degrees tonight."])).toEqual([{ kind: "paragraph", text: "- 5 degrees tonight." }]);
    expect(classifyBlock(["> is how it is marked."])).toEqual([{ kind: "paragraph", text: "> is how it is marked." }]);
  });

  it("reads a quotation with an attribution as a pull quote", () => {
    expect(classifyBlock(["“We will not wait.”", "— Dana Levi"])).toEqual([
      { kind: "quote", lines: ["“We will not wait.”"], attribution: "— Dana Levi" },
    ]);
  });

  it("reads > lines as a block quote", () => {
    expect(classifyBlock(["> One.", ">Two."])).toEqual([{ kind: "quote", lines: ["One.", "Two."] }]);
  });
});

/** What a reader sees of a block, one line per rendered paragraph or list item (quote lines wrap into one). */
function shownLines(block: BodyBlock): string[] {
  if (block.kind === "paragraph") return [block.text];
  if (block.kind === "list") return block.items.map((item) => item.text);
  return [block.lines.join(" "), ...(block.attribution === undefined ? [] : [block.attribution])];
}

describe("imported bodies", () => {
  it("writes a pull quote and lists as markdown", () => {
    expect(renderArticle(parseFixture("pull-quote-and-list.txt"), { date: "2013-08-04" }).text).toBe(`---
title: Cabinet approves water plan
dek: Five desalination plants to be built by 2030
date: 2013-08-04
---

Ministers approved the plan on Sunday after a two-hour debate.

> “Water is the one thing we cannot import.”
>
> — Energy Minister Dana Levi

The plan sets out three stages:

1. Two plants on the coast by 2026.
2. Two more in the north by 2028.
3. A fifth in the Arava by 2030.

Critics listed their objections:

- The cost, put at NIS 12 billion.
- The energy the plants will use.

> We will watch every shekel of it.
> The comptroller's office promised a review.
`);
  });

  it("escapes text that only looks like markdown", () => {
    expect(renderArticle(parseFixture("markdown-lookalikes.txt"), { date: "2013-08-04" }).body).toBe(
      [
        "\\# 1 in the polls again, the party said on Sunday.",
        "\\- 5 degrees is the forecast for Jerusalem tonight.",
        "1\\. That is the number of seats the party won.",
        "\\> is how the chart marks a rise.",
        "The \\*starred\\* figure, the snake_case tag, \\_underlined\\_ words and [sic] all stay as written.",
        "A link-like [note\\](in brackets) and C:\\Users\\path\\\\\\*file\\* and \\`ticks\\` and \\&amp; and \\<https://example.org> stay too.",
        "\\---",
      ].join("\n\n"),
    );
  });

  it.each([
    "hamas-hezbollah-iran.txt",
    "no-dek-no-caption.txt",
    "caption-no-duplicate.txt",
    "photo-credit-form.txt",
    "crlf-bom.txt",
    "latin1.txt",
    "pull-quote-and-list.txt",
    "markdown-lookalikes.txt",
  ])("renders %s with the site's markdown to exactly the input's body text", (name) => {
    const parsed = parseFixture(name);
    const shown = renderedText(renderBlocks(parsed.blocks)).split("\n");
    expect(shown).toEqual(parsed.blocks.flatMap(shownLines));
    expect(checkFidelity(raw(name), renderBlocks(parsed.blocks), [...parsed.headerLines, ...parsed.droppedLines])).toEqual([]);
  });

  it("would notice markdown eating text: an unescaped heading marker is a lost sentence", () => {
    expect(checkFidelity("Headline\n\n# 1 in the polls.", "# 1 in the polls.", ["Headline"])).toEqual(["# 1 in the polls."]);
  });
});
