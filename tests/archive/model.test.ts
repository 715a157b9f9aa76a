import { describe, expect, it } from "vitest";
import { type ArchiveItem, type ArchiveOptions, buildArchiveModel, mostCommonSpelling, paginate } from "../../src/archive/model.ts";

const options: ArchiveOptions = {
  timezone: "UTC",
  locale: "en",
  pageSize: 2,
  feedSize: 2,
  relatedCount: 3,
  relatedCandidatesPerTopic: 100,
  authors: [{ name: "Ada", bio: "Writes.", url: "https://ada.example/" }],
  sections: [{ name: "World", description: "Abroad." }],
};

const article = (slug: string, date: string, data: Partial<ArchiveItem["data"]> = {}): ArchiveItem => ({
  url: `/${slug}/`,
  inputPath: `${slug}.md`,
  data: { title: slug, date, ...data },
});

describe("paginate", () => {
  it("splits a listing into linked pages of the page size", () => {
    const items = ["a", "b", "c"].map((slug) => article(slug, "2020-01-01"));
    const pages = paginate({ kind: "topic", name: "T", firstUrl: "/topics/t/" }, items, 2);
    expect(pages.map((page) => [page.url, page.items.map((item) => item.url), page.previousUrl, page.nextUrl])).toEqual([
      ["/topics/t/", ["/a/", "/b/"], undefined, "/topics/t/page/2/"],
      ["/topics/t/page/2/", ["/c/"], "/topics/t/", undefined],
    ]);
  });

  it("gives no page for an empty listing", () => {
    expect(paginate({ kind: "topic", name: "T", firstUrl: "/topics/t/" }, [], 2)).toEqual([]);
  });
});

describe("mostCommonSpelling", () => {
  it("picks the spelling used most, ties to the one that sorts first", () => {
    expect(
      mostCommonSpelling(
        new Map([
          ["hezbollah", 1],
          ["Hezbollah", 2],
          ["HEZBOLLAH", 2],
        ]),
      ),
    ).toBe("HEZBOLLAH");
  });
});

describe("buildArchiveModel", () => {
  it("groups topics whatever their case and spacing, under the most common spelling", () => {
    const model = buildArchiveModel(
      [
        article("a", "2020-01-03", { topics: ["Hezbollah"] }),
        article("b", "2020-01-02", { topics: ["hezbollah"] }),
        article("c", "2020-01-01", { topics: [" HEZBOLLAH ", "Hezbollah"] }),
      ],
      options,
    );
    expect(model.topics).toEqual([
      { slug: "hezbollah", name: "Hezbollah", url: "/topics/hezbollah/", feedUrl: "/topics/hezbollah/feed.xml", count: 3 },
    ]);
    expect(model.topicName(" HEZBOLLAH ")).toBe("Hezbollah");
  });

  it("gives non-Latin topics their own pages", () => {
    const model = buildArchiveModel([article("a", "2020-01-01", { topics: ["ירושלים"] })], options);
    expect(model.topics.map((topic) => topic.url)).toEqual(["/topics/ירושלים/"]);
  });

  it("counts years and months in the site time zone, newest first", () => {
    const model = buildArchiveModel([article("a", "2021-01-01T00:30:00+02:00"), article("b", "2020-12-15"), article("c", "2020-11-15")], {
      ...options,
      timezone: "Asia/Jerusalem",
    });
    expect(model.years.map((year) => [year.year, year.count, year.months.map((month) => [month.label, month.count, month.url])])).toEqual([
      [2021, 1, [["January 2021", 1, "/2021/01/"]]],
      [
        2020,
        2,
        [
          ["December 2020", 1, "/2020/12/"],
          ["November 2020", 1, "/2020/11/"],
        ],
      ],
    ]);
  });

  it("ranks related articles by shared topics, then newest, leaving out the article itself", () => {
    const model = buildArchiveModel(
      [
        article("newest-one-shared", "2020-01-05", { topics: ["c"] }),
        article("anchor", "2020-01-04", { topics: ["a", "b", "c"] }),
        article("two-shared", "2020-01-03", { topics: ["a", "b"] }),
        article("unrelated", "2020-01-02", { topics: ["z"] }),
        article("three-shared", "2020-01-01", { topics: ["a", "b", "c"] }),
      ],
      options,
    );
    expect(model.related("/anchor/").map((item) => item.url)).toEqual(["/three-shared/", "/two-shared/", "/newest-one-shared/"]);
  });

  it("links each article to its older and newer neighbour", () => {
    const model = buildArchiveModel([article("new", "2020-01-03"), article("mid", "2020-01-02"), article("old", "2020-01-01")], options);
    expect(model.neighbours("/mid/")).toEqual({
      newer: expect.objectContaining({ url: "/new/" }),
      older: expect.objectContaining({ url: "/old/" }),
    });
    expect(model.neighbours("/new/").newer).toBeUndefined();
  });

  it("takes author names, bios and links from the directory", () => {
    const model = buildArchiveModel([article("a", "2020-01-01", { authors: ["Ada"] })], options);
    expect(model.authors).toEqual([expect.objectContaining({ name: "Ada", description: "Writes.", url: "/authors/ada/", count: 1 })]);
    expect(model.listings.find((page) => page.kind === "author")?.externalUrl).toBe("https://ada.example/");
  });

  it("makes one feed per topic, author and section after the main feed, each capped at the feed size", () => {
    const items = ["a", "b", "c"].map((slug, i) =>
      article(slug, `2020-01-0${3 - i}`, { topics: ["T"], authors: ["Ada"], section: "World" }),
    );
    const model = buildArchiveModel(items, options);
    expect(model.feeds.map((feed) => [feed.url, feed.items.length])).toEqual([
      ["/feed.xml", 2],
      ["/topics/t/feed.xml", 2],
      ["/authors/ada/feed.xml", 2],
      ["/sections/world/feed.xml", 2],
    ]);
  });

  it("still has a home page when nothing is published", () => {
    expect(buildArchiveModel([], options).listings.map((page) => page.url)).toEqual(["/"]);
  });
});
