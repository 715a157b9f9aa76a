import { describe, expect, it } from "vitest";
import { type KnownPaths, findLinkProblems, linkProblem, listingPaths, sitePathOf, siteLinks } from "../../src/validation/links.ts";
import { formatProblem } from "../../src/validation/index.ts";

const SITE = "https://news.test";

describe("sitePathOf", () => {
  it("reads site paths without query or fragment", () => {
    expect(sitePathOf("/2013/08/04/story/?ref=home#top", SITE)).toBe("/2013/08/04/story/");
  });

  it("reads absolute links to the site itself as site paths", () => {
    expect(sitePathOf("https://news.test/topics/iran/", SITE)).toBe("/topics/iran/");
  });

  it("decodes percent-encoded non-Latin paths", () => {
    expect(sitePathOf("/2023/05/10/%D7%97%D7%9E%D7%90%D7%A1/", SITE)).toBe("/2023/05/10/חמאס/");
  });

  it("ignores other sites, mail, fragments and relative links", () => {
    for (const href of ["https://example.org/2013/08/04/x/", "//example.org/x/", "mailto:desk@news.test", "#notes", "../other/"]) {
      expect(sitePathOf(href, SITE)).toBeUndefined();
    }
  });
});

describe("siteLinks", () => {
  it("finds inline links with the file line they are written on", () => {
    const body =
      "\nFirst paragraph with [a link](/2013/08/04/a/).\n\nSecond paragraph,\nwrapped, with [another](/2013/08/04/b/) and [a third](/2013/08/04/a/).\n";
    expect(siteLinks(body, 6, SITE)).toEqual([
      { path: "/2013/08/04/a/", line: 7 },
      { path: "/2013/08/04/b/", line: 10 },
      { path: "/2013/08/04/a/", line: 10 },
    ]);
  });

  it("finds links in lists and block quotes", () => {
    expect(siteLinks("- [one](/a/)\n- [two](/b/)\n\n> [three](/c/)\n", 1, SITE).map((link) => `${link.line} ${link.path}`)).toEqual([
      "1 /a/",
      "2 /b/",
      "4 /c/",
    ]);
  });

  it("resolves reference links through their definitions", () => {
    expect(siteLinks("See [the story][s].\n\n[s]: /2013/08/04/a/\n", 1, SITE)).toEqual([{ path: "/2013/08/04/a/", line: 1 }]);
  });

  it("does not read links inside code or escaped brackets", () => {
    expect(siteLinks("`[code](/a/)` and \\[not](/b/) and\n\n    [indented code](/c/)\n", 1, SITE)).toEqual([]);
  });
});

const known: KnownPaths = {
  articles: new Map([
    ["/2013/08/04/live/", { file: "articles/live.md", status: "published", date: "2013-08-04" }],
    ["/2013/08/04/draft/", { file: "articles/draft.md", status: "draft", date: "2013-08-04" }],
    ["/2030/01/01/later/", { file: "articles/later.md", status: "scheduled", date: "2030-01-01" }],
  ]),
  redirects: new Set(["/2013/08/04/old/"]),
  listings: new Set(["/", "/topics/iran/", "/2013/"]),
};

describe("linkProblem", () => {
  it("accepts published articles, redirects, listings and their later pages", () => {
    for (const path of [
      "/2013/08/04/live/",
      "/2013/08/04/old/",
      "/topics/iran/",
      "/topics/iran/page/2013-07-01/",
      "/page/2013-07-01-3fa29c0b/",
      "/topics/iran",
    ]) {
      expect(linkProblem(path, "published", known)).toBeUndefined();
    }
    // Older pages are named after a day, not numbered.
    expect(linkProblem("/page/3/", "published", known)).toMatch(/not a published article/);
  });

  it("reports a path nothing serves", () => {
    expect(linkProblem("/2013/08/04/nothing/", "published", known)).toBe(
      "links to /2013/08/04/nothing/, which is not a published article, a redirect or a listing page of this site; fix the link or add a redirect",
    );
  });

  it("reports a link to a draft, naming it", () => {
    expect(linkProblem("/2013/08/04/draft/", "published", known)).toBe(
      "links to /2013/08/04/draft/, which belongs to a draft (articles/draft.md); readers would find nothing there",
    );
  });

  it("reports a link from a published article to an embargoed one, but not from another embargoed one", () => {
    expect(linkProblem("/2030/01/01/later/", "published", known)).toBe(
      "links to /2030/01/01/later/, which is embargoed until 2030-01-01 (articles/later.md); readers would find nothing there until then",
    );
    expect(linkProblem("/2030/01/01/later/", "scheduled", known)).toBeUndefined();
  });
});

describe("findLinkProblems", () => {
  it("reports each broken link at its line and skips drafts", () => {
    const problems = findLinkProblems(
      [
        {
          file: "a.md",
          status: "published",
          links: [
            { path: "/2013/08/04/live/", line: 6 },
            { path: "/gone/", line: 8 },
          ],
        },
        { file: "b.md", status: "draft", links: [{ path: "/gone/", line: 6 }] },
      ],
      known,
    );
    expect(problems.map(formatProblem)).toEqual([
      "a.md:8: body: links to /gone/, which is not a published article, a redirect or a listing page of this site; fix the link or add a redirect",
    ]);
  });
});

describe("listingPaths", () => {
  it("lists the year, month, topic, author and section pages (with feeds) of published articles", () => {
    const paths = listingPaths([{ url: "/2013/08/04/a/", topics: ["Iran"], authors: ["Jane Doe"], section: "World" }]);
    for (const path of [
      "/",
      "/archive/",
      "/search/",
      "/feed.xml",
      "/2013/",
      "/2013/08/",
      "/topics/iran/",
      "/topics/iran/feed.xml",
      "/authors/jane-doe/",
      "/sections/world/",
    ]) {
      expect(paths).toContain(path);
    }
    expect(paths).not.toContain("/2013/08/04/");
  });
});
