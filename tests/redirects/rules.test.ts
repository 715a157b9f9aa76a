import { describe, expect, it } from "vitest";
import { type RedirectRule, parseRedirectsFile, resolveRedirects } from "../../src/redirects/rules.ts";
import { encodePath, formatRedirectsFile, redirectPages, redirectPermalink } from "../../src/redirects/output.ts";
import { formatProblem } from "../../src/validation/index.ts";

const FILE = "_data/redirects.yaml";
const problemsOf = (text: string) => parseRedirectsFile(text, FILE).problems.map(formatProblem);

describe("parseRedirectsFile", () => {
  it("refuses an old path that could not be written inside the output: a .. segment, a control character, an overlong name", () => {
    const long = `/${"x".repeat(260)}/`;
    const { rules, problems } = parseRedirectsFile(
      `- {from: /../../etc/cron.d/x/, to: /}\n- {from: "/a\\u0000b/", to: /}\n- {from: ${long}, to: /}\n`,
      FILE,
    );
    expect(rules).toEqual([]);
    expect(problems.map((problem) => `${problem.line} ${problem.field}`)).toEqual([
      "1 entry 1, from",
      "2 entry 2, from",
      "3 entry 3, from",
    ]);
    expect(problems[0]?.message).toMatch(/has a \. or \.\. segment/);
    expect(problems[1]?.message).toMatch(/contains a control character \(U\+0000\)/);
    expect(problems[2]?.message).toMatch(/has a segment of 260 bytes/);
  });

  it("reads a list of {from, to} entries with the line of each", () => {
    const { rules, problems } = parseRedirectsFile(
      "# moved\n- from: /old/\n  to: /2013/08/04/new/\n- {from: /gone.html, to: 'https://example.org/x'}\n",
      FILE,
    );
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      { from: "/old/", to: "/2013/08/04/new/", origin: { file: FILE, line: 2, field: "entry 1" } },
      { from: "/gone.html", to: "https://example.org/x", origin: { file: FILE, line: 4, field: "entry 2" } },
    ]);
  });

  it("reads a file of comments only as no redirects", () => {
    expect(parseRedirectsFile("# nothing yet\n", FILE)).toEqual({ rules: [], problems: [] });
  });

  it("reports malformed YAML with its line", () => {
    expect(problemsOf('- from: /a/\n  to: "/b/\n')).toEqual([`${FILE}:3: redirects: malformed YAML: Missing closing "quote`]);
  });

  it("reports a file that is not a list", () => {
    expect(problemsOf("from: /a/\nto: /b/\n")).toEqual([
      `${FILE}:1: redirects: must be a YAML list of {from, to} entries, each line starting with '- '`,
    ]);
  });

  it("reports a from that is not a site path, naming the entry and field", () => {
    expect(problemsOf("- from: /a/\n  to: /b/\n- from: old-story\n  to: /b/\n")).toEqual([
      `${FILE}:3: entry 2, from: must be a path on this site starting with / (no spaces, query or fragment), e.g. /2013/08/04/old-headline/`,
    ]);
  });

  it("reports a to that is neither a site path nor a web URL", () => {
    expect(problemsOf("- from: /a/\n  to: ftp://x.test/b\n")).toEqual([
      `${FILE}:2: entry 1, to: must be a path on this site starting with / or a full https:// URL`,
    ]);
  });

  it("reports a missing to", () => {
    expect(problemsOf("- from: /a/\n")).toEqual([`${FILE}:1: entry 1, to: is required but missing`]);
  });

  it("reports an unknown field", () => {
    expect(problemsOf("- from: /a/\n  to: /b/\n  status: 302\n")).toEqual([
      `${FILE}:3: entry 1, status: unknown field; an entry has only from and to`,
    ]);
  });

  it("reports an entry that is not a mapping", () => {
    expect(problemsOf("- /a/ /b/\n")).toEqual([
      `${FILE}:1: entry 1: must be a mapping with from and to, e.g. {from: /2013/08/04/old/, to: /2013/08/04/new/}`,
    ]);
  });
});

const rule = (from: string, to: string, file = "articles/a.md", line = 5): RedirectRule => ({
  from,
  to,
  origin: { file, line, field: "aliases.0" },
});
const targets = {
  articles: new Map([
    ["/2013/08/04/new/", "articles/new.md"],
    ["/2013/08/05/other/", "articles/other.md"],
  ]),
  isPage: (path: string) => path === "/topics/iran/",
};
const resolve = (rules: RedirectRule[]) => {
  const result = resolveRedirects(rules, targets);
  return { rules: result.rules.map(({ from, to }) => `${from} ${to}`), problems: result.problems.map(formatProblem) };
};

describe("resolveRedirects", () => {
  it("keeps valid rules, sorted by old URL", () => {
    expect(resolve([rule("/b/", "/2013/08/04/new/"), rule("/a/", "/topics/iran/"), rule("/c/", "https://example.org/")])).toEqual({
      rules: ["/a/ /topics/iran/", "/b/ /2013/08/04/new/", "/c/ https://example.org/"],
      problems: [],
    });
  });

  it("points a chain straight at its final page", () => {
    expect(resolve([rule("/a/", "/b/"), rule("/b/", "/2013/08/04/new/")]).rules).toEqual(["/a/ /2013/08/04/new/", "/b/ /2013/08/04/new/"]);
  });

  it("reports a redirect from the URL of a live article", () => {
    expect(resolve([rule("/2013/08/05/other/", "/2013/08/04/new/")]).problems).toEqual([
      "articles/a.md:5: aliases.0: /2013/08/05/other/ is the URL of articles/other.md; a URL cannot be both an article and a redirect",
    ]);
  });

  it("reports one old URL sent to two places, naming the first declaration", () => {
    expect(
      resolve([rule("/a/", "/2013/08/04/new/", "articles/new.md", 4), rule("/a/", "/2013/08/05/other/", "articles/other.md", 6)]).problems,
    ).toEqual([
      "articles/other.md:6: aliases.0: /a/ already redirects to /2013/08/04/new/ (articles/new.md:4); an old URL can lead to one place only",
    ]);
  });

  it("accepts the same redirect declared twice", () => {
    expect(resolve([rule("/a/", "/2013/08/04/new/"), rule("/a/", "/2013/08/04/new/", "_data/redirects.yaml", 2)])).toEqual({
      rules: ["/a/ /2013/08/04/new/"],
      problems: [],
    });
  });

  it("reports a loop", () => {
    expect(resolve([rule("/a/", "/b/"), rule("/b/", "/a/", "_data/redirects.yaml", 3)]).problems).toEqual([
      "articles/a.md:5: aliases.0: redirect loop: /a/ → /b/ → /a/; point one of them at a page",
      "_data/redirects.yaml:3: aliases.0: redirect loop: /b/ → /a/ → /b/; point one of them at a page",
    ]);
  });

  it("reports a redirect to itself", () => {
    expect(resolve([rule("/a/", "/a/")]).problems).toEqual(["articles/a.md:5: aliases.0: /a/ redirects to itself"]);
  });

  it("reports a target on this site that is not a page", () => {
    expect(resolve([rule("/a/", "/2013/08/04/typo/"), rule("/b/", "/about/")]).problems).toEqual([
      "articles/a.md:5: aliases.0: /a/ redirects to /2013/08/04/typo/, which is not a published article or a page of this site",
      "articles/a.md:5: aliases.0: /b/ redirects to /about/, which is not a published article or a page of this site",
    ]);
  });
});

describe("redirect output", () => {
  it("percent-encodes non-ASCII and unsafe characters, keeping existing escapes", () => {
    expect(encodePath("/2023/05/01/חמאס/")).toBe("/2023/05/01/%D7%97%D7%9E%D7%90%D7%A1/");
    expect(encodePath('/a b/"c"/%41/100%/')).toBe("/a%20b/%22c%22/%41/100%25/");
    expect(encodePath("https://example.org/x?a=1&b=2#top")).toBe("https://example.org/x?a=1&b=2#top");
  });

  it("puts a redirect page in the old folder, or at the old .html file", () => {
    expect(redirectPermalink("/2013/08/04/old/")).toBe("/2013/08/04/old/");
    expect(redirectPermalink("/story.html")).toBe("/story.html");
    expect(redirectPermalink("/story")).toBe("/story/");
  });

  it("writes _redirects as `from to 301` lines after a comment header", () => {
    const text = formatRedirectsFile([rule("/2013/08/04/old/", "/2013/08/04/new/"), rule("/ישן/", "/2013/08/04/new/")]);
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((line) => line.startsWith("#"))).toHaveLength(2);
    expect(lines.filter((line) => !line.startsWith("#"))).toEqual([
      "/2013/08/04/old/ /2013/08/04/new/ 301",
      "/%D7%99%D7%A9%D7%9F/ /2013/08/04/new/ 301",
    ]);
  });

  it("names the article a redirect page leads to", () => {
    expect(redirectPages([rule("/old/", "/2013/08/04/new/")], new Map([["/2013/08/04/new/", "New headline"]]))).toEqual([
      { from: "/old/", permalink: "/old/", to: "/2013/08/04/new/", href: "/2013/08/04/new/", title: "New headline" },
    ]);
  });
});
