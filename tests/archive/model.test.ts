import { describe, expect, it } from "vitest";
import {
  type ArchiveItem,
  type ArchiveOptions,
  type ListingPage,
  buildArchiveModel,
  mostCommonSpelling,
  pageBlocks,
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
  /** The day of an article's date (UTC), as the archive model gives it. */
  const dayOf = (item: ArchiveItem) => ({ slug: item.data.date.slice(0, 10), label: `day ${item.data.date.slice(0, 10)}` });
  /** `count` articles, newest first, one a day: a<count-1> is the newest, a0 (1 January 2020) the oldest. */
  const articles = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const n = count - 1 - i;
      return article(`a${n}`, new Date(Date.UTC(2020, 0, 1 + n)).toISOString());
    });
  const older = (pages: readonly ListingPage<ArchiveItem>[]) => pages.flatMap((page) => (page.isFirst ? [] : [page]));

  it("shows a listing shorter than two pages whole on its first page, with the count", () => {
    for (const count of [1, 2, 3]) {
      const pages = paginate(listing, articles(count), 2, dayOf);
      expect(pages).toHaveLength(1);
      expect(pages[0]).toMatchObject({ url: "/topics/t/", isFirst: true, total: count });
      expect([pages[0]?.previousUrl, pages[0]?.nextUrl]).toEqual([undefined, undefined]);
      expect(pages[0]?.items).toHaveLength(count);
    }
  });

  it("names older pages after the day of their newest article, blocks counted from the oldest, the rest on the first page", () => {
    const items = articles(60);
    const sizes = pageBlocks(items, 2);
    const pages = paginate(listing, items, 2, dayOf);
    expect(sizes.length).toBeGreaterThan(3);
    // Every article once, newest first, on the first page and then the older pages in the order a reader goes.
    expect(pages.flatMap((page) => page.items)).toEqual(items);
    const [first] = pages;
    const rest = older(pages);
    expect(first).toMatchObject({ url: "/topics/t/", isFirst: true, total: 60 });
    expect(first?.previousUrl).toBeUndefined();
    expect(first?.nextUrl).toBe(rest[0]?.url);
    // The oldest block last, and each older page holds a block, newest block first.
    expect(rest.map((page) => page.items.length)).toEqual(sizes.slice(0, -1).reverse());
    rest.forEach((page, index) => {
      const day = page.items[0]!.data.date.slice(0, 10);
      expect(page.pageName).toBe(day);
      expect(page.url).toBe(`/topics/t/page/${day}/`);
      expect(page.span).toBe(`day ${page.items.at(-1)!.data.date.slice(0, 10)} – day ${day}`);
      expect("total" in page).toBe(false);
      expect(page.previousUrl).toBe(index === 0 ? "/topics/t/" : rest[index - 1]!.url);
      expect(page.nextUrl).toBe(rest[index + 1]?.url);
    });
    expect(rest.at(-1)?.items).toEqual(items.slice(-sizes[0]!));
  });

  it("names a page that ends on the same day as the older one next to it with a hash of its newest article's URL", () => {
    const items = Array.from({ length: 40 }, (_, i) => article(`s${39 - i}`, "2020-01-01T00:00:00Z"));
    const rest = older(paginate(listing, items, 2, dayOf));
    expect(rest.length).toBeGreaterThan(5);
    // The oldest page keeps the day alone; every newer one, ending the same day, a hash of its own newest article.
    expect(rest.at(-1)?.pageName).toBe("2020-01-01");
    for (const page of rest.slice(0, -1)) expect(page.pageName).toMatch(/^2020-01-01-[0-9a-f]{8}$/);
    expect(new Set(rest.map((page) => page.url)).size).toBe(rest.length);
    expect(rest.at(-1)?.span).toBe("day 2020-01-01");
  });

  it("breaks blocks of 20 after 15 to 26 articles, 20 on average, at articles drawn from their URLs", () => {
    const items = Array.from({ length: 4_000 }, (_, i) => ({ url: `/2013/01/01/story-${i}/` }));
    const sizes = pageBlocks(items, 20);
    expect(Math.min(...sizes)).toBe(15);
    expect(Math.max(...sizes)).toBe(26);
    expect(4_000 / sizes.length).toBeGreaterThan(18);
    expect(4_000 / sizes.length).toBeLessThan(22);
    // The same articles break the same way whatever objects carry them.
    expect(
      pageBlocks(
        items.map(({ url }) => ({ url })),
        20,
      ),
    ).toEqual(sizes);
  });

  /** The URLs of pages that `after` adds, changes or takes away from `before`. */
  const changedPages = (before: readonly ListingPage<ArchiveItem>[], after: readonly ListingPage<ArchiveItem>[]) => {
    const earlier = new Map(before.map((page) => [page.url, JSON.stringify(page)]));
    const later = new Set(after.map((page) => page.url));
    return [
      ...after.filter((page) => earlier.get(page.url) !== JSON.stringify(page)).map((page) => page.url),
      ...[...earlier.keys()].filter((url) => !later.has(url)),
    ];
  };

  it("changes only the first page as articles are added, until a new block forms", () => {
    for (const sameDay of [false, true]) {
      const listed = (count: number) =>
        sameDay ? articles(count).map((item) => ({ ...item, data: { ...item.data, date: "2020-01-01T00:00:00Z" } })) : articles(count);
      for (let count = 4; count < 40; count += 1) {
        const before = older(paginate(listing, listed(count), 2, dayOf));
        const after = older(paginate(listing, listed(count + 1), 2, dayOf));
        // A new block's page appears, and the page before it gains a link to it; nothing else changes, not even a name.
        expect(changedPages(before, after), `${count} → ${count + 1}`).toEqual(
          after.length > before.length ? after.slice(0, Math.min(2, after.length)).map((page) => page.url) : [],
        );
      }
    }
  });

  it("changes the page of an article taken out and seldom more, where numbered or fixed blocks would all move", () => {
    const items = Array.from({ length: 2_000 }, (_, i) =>
      article(`s${1_999 - i}`, new Date(Date.UTC(2020, 0, 1) + (1_999 - i) * 4 * 3_600_000).toISOString()),
    );
    const before = paginate(listing, items, 20, dayOf);
    const changedCounts: number[] = [];
    for (let taken = 100; taken < 1_900; taken += 9) {
      const after = paginate(
        listing,
        items.filter((_, i) => i !== taken),
        20,
        dayOf,
      );
      changedCounts.push(changedPages(before, after).length);
    }
    // Out of 200 articles taken out one at a time from a listing of about 100 pages: for most, the article's page and
    // the first page (whose count changed) alone; where blocks merge or split, the pages until the blocks find their
    // old ends again (up to 15 here), never the names of all the newer pages.
    expect(changedCounts.filter((count) => count === 2).length).toBeGreaterThan(changedCounts.length / 2);
    expect(Math.max(...changedCounts)).toBeLessThanOrEqual(16);
    expect(changedCounts.reduce((sum, count) => sum + count, 0) / changedCounts.length).toBeLessThan(4);
  });

  it("gives no page for an empty listing", () => {
    expect(paginate(listing, [], 2, dayOf)).toEqual([]);
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
