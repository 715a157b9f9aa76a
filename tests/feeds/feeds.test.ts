import { describe, expect, it } from "vitest";
import { type EntryArticle, entryId, feedEntry, feedUpdated, head } from "../../src/feeds/index.ts";
import { firstIdentity } from "../../src/redirects/index.ts";

describe("entryId", () => {
  it("builds a tag URI from the authority and the article's lifetime identity (its first UTC publication day and path)", () => {
    expect(entryId("news.example,2026", firstIdentity("2013-08-04T09:00:00+03:00", "/2013/08/04/story/"))).toBe(
      "tag:news.example,2026:2013-08-04:/2013/08/04/story/",
    );
  });
});

describe("head", () => {
  it("keeps the first items in order", () => {
    expect(head(["a", "b", "c"], 2)).toEqual(["a", "b"]);
  });

  it("gives an empty list for a non-positive count", () => {
    expect(head(["a"], -1)).toEqual([]);
  });
});

describe("feedUpdated", () => {
  it("is the newest update or publication among the items, whatever their order", () => {
    const items = [
      { data: { date: "2024-02-01" } },
      { data: { date: "2023-01-01", updated: "2024-02-03T10:00:00+02:00" } },
      { data: { date: "2024-02-02" } },
    ];
    expect(feedUpdated(items, "Asia/Jerusalem")).toBe("2024-02-03T10:00:00+02:00");
  });

  it("reads date-only values in the site's time zone", () => {
    // Midnight in Jerusalem is 22:00 UTC the day before, earlier than 23:00 UTC that day.
    expect(feedUpdated([{ data: { date: "2024-02-02" } }, { data: { date: "2024-02-01T23:00:00Z" } }], "Asia/Jerusalem")).toBe(
      "2024-02-01T23:00:00Z",
    );
  });

  it("is undefined for an empty feed", () => {
    expect(feedUpdated([], "UTC")).toBeUndefined();
  });
});

describe("feedEntry", () => {
  const site = { url: "https://news.test", language: "en", timezone: "Asia/Jerusalem", tagAuthority: "news.test,2026" };
  const article = (data: Partial<EntryArticle["data"]>): EntryArticle => ({
    url: "/2024/02/01/story/",
    inputPath: "articles/2024/story.md",
    content: '<p><a href="https://news.test/topics/x/">x</a></p>',
    data: { title: "Story", date: "2024-02-01", ...data },
  });
  /** Identities as the permalink plan gives them: here, one kept from an earlier URL. */
  const identityOf = () => "2023-01-01:/2023/01/01/first-headline/";
  const picture = async () => ({ url: "/img/abc-800.jpeg", width: 800, height: 450, length: 1234, type: "image/jpeg" as const });

  it("takes its id from the article's lifetime identity, carries the body as given and makes the picture's URL absolute", async () => {
    const entry = await feedEntry(article({ image: { src: "photo.jpg", alt: "Alt", credit: "Desk" } }), site, picture, identityOf);
    expect(entry.id).toBe("tag:news.test,2026:2023-01-01:/2023/01/01/first-headline/");
    expect(entry.picture).toEqual({ url: "https://news.test/img/abc-800.jpeg", width: 800, height: 450, length: 1234, type: "image/jpeg" });
    expect(entry.content).toContain('<img src="https://news.test/img/abc-800.jpeg" width="800" height="450" alt="Alt">');
    expect(entry.content).toContain('<p><a href="https://news.test/topics/x/">x</a></p>');
  });

  it("has no picture when the image is lost or remote, and the corrections with their datelines", async () => {
    const entry = await feedEntry(
      article({ image: { caption: "Lost" }, corrections: [{ date: "2024-02-02", text: "Fixed." }] }),
      site,
      async () => undefined,
      identityOf,
    );
    expect(entry.picture).toBeUndefined();
    expect(entry.content).not.toContain("<figure>");
    expect(entry.content).toContain('<li><time datetime="2024-02-02T00:00:00.000+02:00">February 2, 2024</time>: Fixed.</li>');
  });
});
