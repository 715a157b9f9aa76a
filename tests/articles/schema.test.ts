import { describe, expect, it } from "vitest";
import { articleSchema, parseArticleDate } from "../../src/articles/schema.ts";

const minimal = { title: "Headline", date: "2013-08-04" };

describe("articleSchema", () => {
  it("accepts a minimal article", () => {
    expect(articleSchema.parse(minimal)).toEqual(minimal);
  });

  it("accepts every documented field", () => {
    const full = {
      ...minimal,
      dek: "Standfirst",
      updated: "2013-08-05T10:00:00+03:00",
      authors: ["Jane Doe"],
      section: "World",
      topics: ["Hamas", "Iran"],
      image: { src: "photo.jpg", alt: "A parade", caption: "Parade", credit: "Agency" },
      source: { name: "The Times of Israel", url: "https://example.com/story" },
      draft: false,
    };
    expect(articleSchema.parse(full)).toEqual(full);
  });

  it("rejects an unknown field", () => {
    const result = articleSchema.safeParse({ ...minimal, topcis: ["Iran"] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("rejects a missing title", () => {
    expect(articleSchema.safeParse({ date: "2013-08-04" }).error?.issues[0]?.path).toEqual(["title"]);
  });

  it("rejects an impossible date", () => {
    expect(articleSchema.safeParse({ ...minimal, date: "2013-02-30" }).success).toBe(false);
  });

  it("rejects a date-time without an offset", () => {
    expect(articleSchema.safeParse({ ...minimal, date: "2013-08-04T10:00:00" }).success).toBe(false);
  });

  it("rejects a source URL that is not absolute", () => {
    expect(articleSchema.safeParse({ ...minimal, source: { name: "X", url: "/relative" } }).error?.issues[0]?.path).toEqual(["source", "url"]);
  });
});

describe("parseArticleDate", () => {
  it("reads a date-only value as midnight in the site's time zone", () => {
    expect(parseArticleDate("2013-08-04", "Asia/Jerusalem")?.toISO()).toBe("2013-08-04T00:00:00.000+03:00");
  });

  it("keeps the offset of a date-time", () => {
    expect(parseArticleDate("2013-08-04T09:30:00-04:00", "Asia/Jerusalem")?.toISO()).toBe("2013-08-04T09:30:00.000-04:00");
  });

  it("returns null for a date that does not exist", () => {
    expect(parseArticleDate("2013-02-30", "UTC")).toBeNull();
  });
});
