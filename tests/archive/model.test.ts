import { describe, expect, it } from "vitest";
import {
  type ArchiveItem,
  type ArchiveOptions,
  buildArchiveModel,
  type ListingPage,
  mostCommonSpelling,
  paginate,
} from "../../src/archive/model.ts";

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
  const listing = { kind: "topic", name: "T", firstUrl: "/topics/t/" } as const;
  /** `count` articles, newest first: a<count-1> is the newest, a0 the oldest. */
  const articles = (count: number) =>
    Array.from({ length: count }, (_, i) => article(`a${count - 1 - i}`, `2020-01-01T00:00:${String(count - 1 - i).padStart(2, "0")}Z`));
  const shape = (pages: ListingPage<ArchiveItem>[]) =>
    pages.map((page) => [page.url, page.items.map((item) => item.data.title).join(" "), page.previousUrl, page.nextUrl]);

  it("shows a listing shorter than two pages whole on its first page, with the count", () => {
    for (const count of [1, 2, 3]) {
      const pages = paginate(listing, articles(count), 2);
      expect(pages).toHaveLength(1);
      expect(pages[0]).toMatchObject({ url: "/topics/t/", isFirst: true, total: count });
      expect([pages[0]?.previousUrl, pages[0]?.nextUrl]).toEqual([undefined, undefined]);
      expect(pages[0]?.items).toHaveLength(count);
    }
  });

  it("numbers older pages from the oldest articles, with the remainder and the newest block on the first page", () => {
    expect(shape(paginate(listing, articles(7), 2))).toEqual([
      ["/topics/t/", "a6 a5 a4", undefined, "/topics/t/page/2/"],
      ["/topics/t/page/2/", "a3 a2", "/topics/t/", "/topics/t/page/1/"],
      ["/topics/t/page/1/", "a1 a0", "/topics/t/page/2/", undefined],
    ]);
    const [first, ...older] = paginate(listing, articles(7), 2);
    expect(first).toMatchObject({ isFirst: true, total: 7 });
    expect(older.map((page) => [page.isFirst, page.isFirst ? undefined : page.pageNumber, "total" in page])).toEqual([
      [false, 2, false],
      [false, 1, false],
    ]);
  });

  it("changes only the first page as articles are added, until a new block forms", () => {
    const olderPages = (count: number) =>
      new Map(
        paginate(listing, articles(count), 2)
          .slice(1)
          .map((page) => [page.url, page]),
      );
    for (let count = 4; count < 30; count += 1) {
      const before = olderPages(count);
      const after = olderPages(count + 1);
      const changed = [...after].filter(([url, page]) => JSON.stringify(page) !== JSON.stringify(before.get(url))).map(([url]) => url);
      const blocks = Math.floor((count + 1) / 2);
      // A new block N-1 appears, and block N-2 gains a link to it; nothing else moves.
      expect(changed, `${count} → ${count + 1}`).toEqual(
        blocks > Math.floor(count / 2) ? [`/topics/t/page/${blocks - 1}/`, ...(blocks > 2 ? [`/topics/t/page/${blocks - 2}/`] : [])] : [],
      );
      expect([...before.keys()].every((url) => after.has(url))).toBe(true);
    }
  });

  it("gives no page for an empty listing", () => {
    expect(paginate(listing, [], 2)).toEqual([]);
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

  it("ranks related articles by shared topics, then nearest in date, leaving out the article itself", () => {
    const model = buildArchiveModel(
      [
        article("far-newer-one-shared", "2020-03-01", { topics: ["c"] }),
        article("near-newer-one-shared", "2020-01-08", { topics: ["c"] }),
        article("anchor", "2020-01-06", { topics: ["a", "b", "c"] }),
        article("near-older-one-shared", "2020-01-05", { topics: ["a"] }),
        article("two-shared", "2020-01-03", { topics: ["a", "b"] }),
        article("unrelated", "2020-01-02", { topics: ["z"] }),
        article("three-shared", "2019-01-01", { topics: ["a", "b", "c"] }),
      ],
      { ...options, relatedCount: 5 },
    );
    expect(model.related("/anchor/").map((item) => item.url)).toEqual([
      "/three-shared/",
      "/two-shared/",
      "/near-older-one-shared/",
      "/near-newer-one-shared/",
      "/far-newer-one-shared/",
    ]);
  });

  it("puts the newer of two equally far related articles first", () => {
    const model = buildArchiveModel(
      [
        article("newer", "2020-01-07", { topics: ["a"] }),
        article("anchor", "2020-01-05", { topics: ["a"] }),
        article("older", "2020-01-03", { topics: ["a"] }),
      ],
      options,
    );
    expect(model.related("/anchor/").map((item) => item.url)).toEqual(["/newer/", "/older/"]);
  });

  it("draws related candidates from a window around the article in each topic, so a new article reaches only its neighbours", () => {
    // One topic, a day apart, newest first: day29 … day0. A 31st article, day30, only enters day29's list.
    const days = (count: number) =>
      Array.from({ length: count }, (_, i) => count - 1 - i).map((day) =>
        article(`day${day}`, new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10), { topics: ["t"] }),
      );
    const small = { ...options, relatedCount: 2, relatedCandidatesPerTopic: 4 };
    const before = buildArchiveModel(days(30), small);
    expect(before.related("/day10/").map((item) => item.url)).toEqual(["/day11/", "/day9/"]);
    expect(before.related("/day0/").map((item) => item.url)).toEqual(["/day1/", "/day2/"]);
    const after = buildArchiveModel(days(31), small);
    const changed = days(30)
      .map((item) => item.url)
      .filter(
        (url) => JSON.stringify(before.related(url).map((item) => item.url)) !== JSON.stringify(after.related(url).map((item) => item.url)),
      );
    expect(changed).toEqual(["/day29/"]);
  });

  it("lists the first related articles of the whole ranking, however many are asked for", () => {
    // 60 articles over a few topics and days, with ties in topics shared and in distance.
    const topics = ["a", "b", "c", "d"];
    const items = Array.from({ length: 60 }, (_, i) =>
      article(`s${i}`, new Date(Date.UTC(2020, 0, 1 + ((i * 7) % 23))).toISOString().slice(0, 10), {
        topics: topics.filter((_, t) => (i + t) % 3 !== 0 || t === i % 4),
      }),
    );
    const ranked = (relatedCount: number) => buildArchiveModel(items, { ...options, relatedCount, relatedCandidatesPerTopic: 20 });
    const everything = ranked(1000);
    for (const count of [1, 3, 5]) {
      const few = ranked(count);
      for (const { url } of items) {
        const all = everything.related(url).map((item) => item.url);
        expect(all.length).toBeGreaterThan(count);
        expect(few.related(url).map((item) => item.url)).toEqual(all.slice(0, count));
      }
    }
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
