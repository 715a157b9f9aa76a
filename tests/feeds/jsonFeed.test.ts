import { describe, expect, it } from "vitest";
import { type JsonFeedArticle, jsonFeed } from "../../src/feeds/jsonFeed.ts";

const site = {
  url: "https://news.test",
  title: "Broadsheet",
  description: "A news archive.",
  language: "en",
  timezone: "Asia/Jerusalem",
  tagAuthority: "news.test,2026",
};
const signed: JsonFeedArticle = {
  id: "tag:news.test,2026:2022-12-01:/2022/12/01/refinery/",
  url: "/2022/12/01/refinery/",
  data: {
    title: "Refinery",
    date: "2022-12-01T09:15:00+02:00",
    updated: "2022-12-03T18:00:00+02:00",
    dek: "Dek",
    authors: ["Ada Reporter"],
    topics: ["energy", "Energy", "Economy"],
  },
  contentHtml: "<p>Body</p>",
};
const unsigned: JsonFeedArticle = {
  id: "tag:news.test,2026:2024-01-20:/2024/01/20/unsigned/",
  url: "/2024/01/20/unsigned/",
  data: { title: "Unsigned", date: "2024-01-20" },
  contentHtml: "",
};
const feed = jsonFeed({ url: "/feed.json", title: "", pageUrl: "/", items: [signed, unsigned] }, site, (topic) =>
  topic.toLowerCase() === "energy" ? "Energy" : topic,
);

describe("jsonFeed", () => {
  it("is a JSON Feed 1.1 with the site's title, language and absolute home and feed URLs", () => {
    expect(feed).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: "Broadsheet",
      language: "en",
      home_page_url: "https://news.test/",
      feed_url: "https://news.test/feed.json",
    });
  });

  it("titles a listing's feed after the listing", () => {
    expect(jsonFeed({ url: "/topics/iran/feed.json", title: "Iran", pageUrl: "/topics/iran/", items: [] }, site).title).toBe(
      "Broadsheet: Iran",
    );
  });

  it("uses the Atom entry's tag: URI as item id", () => {
    expect(feed.items.map((item) => item.id)).toEqual([signed.id, unsigned.id]);
  });

  it("gives an item's URL, title, summary, content and dates", () => {
    expect(feed.items[0]).toMatchObject({
      url: "https://news.test/2022/12/01/refinery/",
      title: "Refinery",
      summary: "Dek",
      content_html: "<p>Body</p>",
      date_published: "2022-12-01T09:15:00.000+02:00",
      date_modified: "2022-12-03T18:00:00.000+02:00",
    });
  });

  it("names authors with the absolute URL of their page", () => {
    expect(feed.items[0]?.authors).toEqual([{ name: "Ada Reporter", url: "https://news.test/authors/ada-reporter/" }]);
  });

  it("tags an item with its topics' display spellings, each once", () => {
    expect(feed.items[0]?.tags).toEqual(["Energy", "Economy"]);
  });

  it("leaves an unsigned article to the feed's author, the newsroom, and dates it by publication only", () => {
    expect(feed.authors).toEqual([{ name: "Broadsheet", url: "https://news.test/" }]);
    expect(feed.items[1]).not.toHaveProperty("authors");
    expect(feed.items[1]).not.toHaveProperty("summary");
    expect(feed.items[1]?.date_modified).toBe(feed.items[1]?.date_published);
  });
});
