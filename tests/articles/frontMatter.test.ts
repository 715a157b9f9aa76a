import { describe, expect, it } from "vitest";
import { bodyFrom, normaliseText, parseYaml, splitArticle } from "../../src/articles/frontMatter.ts";
import { checkArticleText } from "../../src/validation/index.ts";

/** Every front matter field, each written as it would be in an article (block fields over several lines). */
const FIELDS: Record<string, string> = {
  title: 'title: "Hamas patches up ties: Hezbollah, Iran"',
  slug: "slug: hamas-hezbollah-ties",
  dek: "dek: Two senior representatives meet in Beirut",
  date: "date: 2013-08-04T09:30:00+03:00",
  updated: "updated: 2013-08-05",
  authors: "authors:\n  - Jane Doe\n  - John Roe",
  section: "section: World",
  topics: "topics: [Hamas, Hezbollah, Iran]",
  corrections: "corrections:\n  - date: 2013-08-06\n    text: An earlier version misspelled a name.",
  image: "image:\n  src: parade.jpg\n  alt: Armed men march down a street\n  caption: A parade\n  credit: Agency",
  source: "source:\n  name: The Times of Israel\n  url: https://www.example.com/original-story",
  aliases: "aliases: [/2013/08/04/old-headline/]",
  draft: "draft: true",
};

/** An article whose front matter ends with `last` (the line a Windows `\r` used to stick to), with a body. */
function article(last: string): string {
  const others = Object.keys(FIELDS).filter((field) => field !== last).map((field) => FIELDS[field]);
  return ["---", ...others, FIELDS[last], "---", "", "First paragraph.", "", "---", "", "After a rule.", ""].join("\n");
}

/** Ways a file's bytes may differ from the LF original without any difference in what it says. */
const ENCODINGS: Record<string, (text: string) => string> = {
  CRLF: (text) => text.replace(/\n/g, "\r\n"),
  "BOM + CRLF": (text) => `\uFEFF${text.replace(/\n/g, "\r\n")}`,
  "BOM + LF": (text) => `\uFEFF${text}`,
  // CRLF, LF and lone CR (old Mac) by turns, so every field meets each.
  mixed: (text) => text.split("\n").map((line, index) => line + ["\r\n", "\n", "\r"][index % 3]).join("").slice(0, -1),
  "lone CR": (text) => text.replace(/\n/g, "\r"),
};

describe("splitArticle and checkArticleText on other line endings", () => {
  for (const last of Object.keys(FIELDS)) {
    const lf = checkArticleText("a.md", article(last));
    it(`read the LF article with ${last} last as valid`, () => {
      expect(lf.problems).toEqual([]);
    });
    for (const [name, encode] of Object.entries(ENCODINGS)) {
      it(`give the same data, body and lines with ${name} and ${last} on the last line`, () => {
        const other = checkArticleText("a.md", encode(article(last)));
        expect(other.problems).toEqual([]);
        expect(other.article).toEqual(lf.article);
        expect(other.body).toBe(lf.body);
        expect(other.bodyLine).toBe(lf.bodyLine);
        for (const field of Object.keys(FIELDS)) expect(other.lineOf(field), field).toBe(lf.lineOf(field));
      });
    }
  }

  it("keep draft a boolean on a Windows last line, so a draft is never published", () => {
    const checked = checkArticleText("a.md", "---\r\ntitle: T\r\ndate: 2013-08-04\r\ndraft: true\r\n---\r\nBody\r\n");
    expect(checked.article?.draft).toBe(true);
  });
});

describe("splitArticle", () => {
  it("returns the body after the first closing fence, and the line it starts on", () => {
    const split = splitArticle("---\ntitle: T\ndate: 2013-08-04\n---\nBody\n\n---\n\nMore\n");
    expect(split.fence).toBe("closed");
    expect(split.body).toBe("Body\n\n---\n\nMore\n");
    expect(split.bodyLine).toBe(5);
  });

  it("accepts an empty block", () => {
    expect(splitArticle("---\n---\nBody").fence).toBe("closed");
  });

  it("tells a file without front matter from a block that is never closed", () => {
    expect(splitArticle("Just text\n").fence).toBe("missing");
    expect(splitArticle("---\ntitle: T\ndate: 2013-08-04\n\nBody\n").fence).toBe("unclosed");
  });

  it("gives YAML errors the line of the file", () => {
    expect(splitArticle('\uFEFF---\r\ntitle: T\r\ndate: 2013-08-04\r\ndate: 2013-08-05\r\n---\r\n').yamlErrors).toEqual([
      { line: 4, message: "Map keys must be unique" },
    ]);
  });

  it("reports a YAML alias bomb as an error on the line of the first alias instead of throwing", () => {
    const split = splitArticle(`---\ntitle: T\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: [${Array(10).fill("*b").join(", ")}]\n---\n`);
    expect(split.data).toBeUndefined();
    expect(split.yamlErrors).toEqual([{ line: 4, message: expect.stringMatching(/^Excessive alias count .*write the values out instead of using aliases$/) }]);
  });
});

describe("splitArticle on aliases", () => {
  it("reports an alias used before its anchor on its line, without the alias-bomb advice", () => {
    expect(splitArticle("---\ntitle: T\na: *x\n---\n").yamlErrors).toEqual([{ line: 3, message: "Unresolved alias (the anchor must be set before the alias): x" }]);
  });

  it("reads a few ordinary aliases", () => {
    expect(splitArticle("---\ntitle: T\na: &x [1]\nb: *x\n---\n").data).toEqual({ title: "T", a: [1], b: [1] });
  });
});

describe("normaliseText", () => {
  it("drops a byte-order mark and turns every line ending into LF, one for one", () => {
    expect(normaliseText("\uFEFFa\r\nb\rc\nd")).toBe("a\nb\nc\nd");
  });

  it("handles a byte-order mark alone, a carriage return alone, and text that needs nothing", () => {
    expect(normaliseText("\uFEFFa\nb")).toBe("a\nb");
    expect(normaliseText("a\rb")).toBe("a\nb");
    expect(normaliseText("a\nb \u2019")).toBe("a\nb \u2019");
  });
});

describe("parseYaml", () => {
  it("reads data files as front matter is read: BOM and Windows line endings make no difference", () => {
    expect(parseYaml("\uFEFF- name: Ada\r\n  draft: true\r\n")).toEqual([{ name: "Ada", draft: true }]);
    // What Eleventy's own front matter split hands over from a Windows file: the last line keeps its "\r".
    expect(parseYaml("title: T\r\ndraft: true\r")).toEqual({ title: "T", draft: true });
  });

  it("throws the first error with its line", () => {
    expect(() => parseYaml("a: 1\na: 2\n")).toThrow("line 2: Map keys must be unique");
  });

  it("throws on an alias bomb rather than expanding it", () => {
    expect(() => parseYaml(`a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: [${Array(10).fill("*b").join(", ")}]\n`)).toThrow(
      /Excessive alias count/,
    );
  });
});

describe("bodyFrom", () => {
  it("cuts the body splitArticle finds from the same bytes, without parsing the front matter", () => {
    for (const text of [
      "---\ntitle: A\n---\nBody line one.\r\n\r\nLine two.\n",
      "\uFEFF---\r\ntitle: A\r\n---\r\n",
      "---\ntitle: A\n---",
      "---\ntitle: A\n---\n\n\nAfter blank lines",
    ]) {
      const split = splitArticle(text);
      expect(bodyFrom(text, split.bodyLine)).toBe(split.body);
    }
  });
});
