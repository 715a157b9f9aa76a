import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { archiveUrl, monthOf, splitFeed } from "../../src/feeds/archive.ts";

const timezone = "Asia/Jerusalem";
const now = DateTime.fromISO("2024-03-10T12:00:00Z");
const item = (date: string) => ({ url: `/${date.slice(0, 10).replaceAll("-", "/")}/story/`, data: { date } });
/** Newest first, as the site orders them. */
const articles = ["2024-03-09", "2024-03-01", "2024-02-29T23:30:00Z", "2024-02-03", "2023-12-24", "2023-12-01", "2023-10-05"].map(item);

describe("monthOf", () => {
  it("reads the month in the site's time zone: late on the last day in UTC is already next month there", () => {
    expect(monthOf("2024-02-29T23:30:00Z", timezone)).toBe("2024-03");
    expect(monthOf("2024-02-29", timezone)).toBe("2024-02");
  });
});

describe("splitFeed", () => {
  const [current, ...archives] = splitFeed(articles, { now, timezone, feedSize: 3 });

  it("archives every closed month that has articles, newest first, each with its own articles", () => {
    expect(archives.map((archive) => [archive.month, archive.items.map((article) => article.data.date)])).toEqual([
      ["2024-02", ["2024-02-03"]],
      ["2023-12", ["2023-12-24", "2023-12-01"]],
      ["2023-10", ["2023-10-05"]],
    ]);
  });

  it("puts every article of a closed month in exactly one archive, and none of the open month", () => {
    const archived = archives.flatMap((archive) => archive.items);
    expect(new Set(archived).size).toBe(archived.length);
    expect(archived).toEqual(articles.filter((article) => monthOf(article.data.date, timezone) < "2024-03"));
  });

  it("links the chain as RFC 5005 says: current to the newest archive, each archive to its neighbours and to current", () => {
    expect([current?.archive, current?.prevArchive, current?.nextArchive]).toEqual([false, archiveUrl("2024-02"), undefined]);
    expect(archives.map((archive) => [archive.url, archive.prevArchive, archive.nextArchive, archive.current])).toEqual([
      ["/feeds/2024-02.xml", "/feeds/2023-12.xml", undefined, "/feed.xml"],
      ["/feeds/2023-12.xml", "/feeds/2023-10.xml", "/feeds/2024-02.xml", "/feed.xml"],
      ["/feeds/2023-10.xml", undefined, "/feeds/2023-12.xml", "/feed.xml"],
    ]);
    expect(archives.map((archive) => [archive.jsonUrl, archive.prevArchiveJson])).toEqual([
      ["/feeds/2024-02.json", "/feeds/2023-12.json"],
      ["/feeds/2023-12.json", "/feeds/2023-10.json"],
      ["/feeds/2023-10.json", undefined],
    ]);
    expect(current?.prevArchiveJson).toBe("/feeds/2024-02.json");
  });

  it("gives the current document the newest articles", () => {
    expect(current?.items).toEqual(articles.slice(0, 3));
  });

  it("gives the current document every article of the open month when there are more than the feed size", () => {
    const [busy] = splitFeed(articles, { now, timezone, feedSize: 2 });
    expect(busy?.items).toEqual(articles.slice(0, 3));
  });

  it("leaves other months' documents as they were when an article is backdated into a closed month", () => {
    const backdated = [...articles.slice(0, 5), item("2023-12-10"), ...articles.slice(5)];
    const after = splitFeed(backdated, { now, timezone, feedSize: 3 });
    const before = splitFeed(articles, { now, timezone, feedSize: 3 });
    const byMonth = (documents: typeof before) => new Map(documents.filter((d) => d.archive).map((d) => [d.month, d]));
    expect(
      byMonth(after)
        .get("2023-12")
        ?.items.map((article) => article.data.date),
    ).toEqual(["2023-12-24", "2023-12-10", "2023-12-01"]);
    for (const month of ["2024-02", "2023-10"]) expect(byMonth(after).get(month)).toEqual(byMonth(before).get(month));
  });

  it("has only a current document, without prev-archive, for an archive whose only month is still open", () => {
    expect(
      splitFeed([item("2024-03-02")], { now, timezone, feedSize: 50 }).map((document) => [document.url, document.prevArchive]),
    ).toEqual([["/feed.xml", undefined]]);
  });
});
