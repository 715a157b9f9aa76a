import { describe, expect, it } from "vitest";
import { articlePath, articleSlug, dayPath, rememberArticlePath, slugOf } from "../../src/articles/permalink.ts";

describe("slugOf", () => {
  it("lower-cases and hyphenates a headline", () => {
    expect(slugOf("Hamas patches up ties with Hezbollah, Iran")).toBe("hamas-patches-up-ties-with-hezbollah-iran");
  });

  it("transliterates accented letters", () => {
    expect(slugOf("Ünïcödé – “quotes”")).toBe("uenicoede-quotes");
  });

  it("transliterates Arabic to Latin letters", () => {
    expect(slugOf("حماس تصلح علاقاتها")).toBe("hmas-tslh-elaqatha");
  });

  it("keeps Hebrew letters when there is no transliteration", () => {
    expect(slugOf("חמאס ואיראן מחדשים קשרים")).toBe("חמאס-ואיראן-מחדשים-קשרים");
  });

  it("keeps Chinese and Japanese characters", () => {
    expect(slugOf("日本の 記事")).toBe("日本の-記事");
  });

  it("gives the same slug whatever the case and spacing", () => {
    expect(new Set(["Hezbollah", "hezbollah", " HEZBOLLAH "].map(slugOf))).toEqual(new Set(["hezbollah"]));
  });

  it("gives an empty slug for text without letters or digits", () => {
    expect(slugOf("!!! — ???")).toBe("");
  });
});

describe("articleSlug", () => {
  it("prefers the slug field over the title", () => {
    expect(articleSlug({ date: "2013-08-04", title: "A long headline", slug: "short" })).toBe("short");
  });
});

describe("articlePath", () => {
  it("dates the URL in the site's time zone", () => {
    expect(articlePath({ date: "2013-08-04T23:30:00-04:00", title: "Late story" }, "Asia/Jerusalem")).toBe("/2013/08/05/late-story/");
  });

  it("uses the slug field", () => {
    expect(articlePath({ date: "2013-08-04", title: "Late story", slug: "kept-url" }, "UTC")).toBe("/2013/08/04/kept-url/");
  });

  it("follows a change to the fields of the same front matter object, and to the time zone", () => {
    const article: { date: string; title: string; slug?: string } = { date: "2013-08-04T23:30:00Z", title: "Late story" };
    expect(articlePath(article, "UTC")).toBe("/2013/08/04/late-story/");
    article.title = "Later story";
    expect(articlePath(article, "UTC")).toBe("/2013/08/04/later-story/");
    article.date = "2013-08-03T12:00:00Z";
    expect(articlePath(article, "UTC")).toBe("/2013/08/03/later-story/");
    article.slug = "kept-url";
    expect(articlePath(article, "UTC")).toBe("/2013/08/03/kept-url/");
    article.date = "2013-08-03T23:30:00Z";
    expect(articlePath(article, "UTC")).toBe("/2013/08/03/kept-url/");
    expect(articlePath(article, "Asia/Jerusalem")).toBe("/2013/08/04/kept-url/");
  });

  it("refuses a title that gives an empty slug", () => {
    expect(() => articlePath({ date: "2013-08-04", title: "!!!" }, "UTC")).toThrow(/empty slug/);
  });
});

describe("rememberArticlePath", () => {
  it("gives the kept path, and its day as the date's day in that zone only", () => {
    // Days no zone would give these dates show that the kept ones are used.
    const article = { title: "Kept", date: "2001-02-03T10:00:00Z" };
    rememberArticlePath(article, "Europe/London", "/2001/02/09/kept/");
    expect(articlePath(article, "Europe/London")).toBe("/2001/02/09/kept/");
    expect(dayPath(article.date, "Europe/London")).toBe("2001/02/09");
    expect(dayPath(article.date, "Asia/Tokyo")).toBe("2001/02/03");
    const odd = { title: "Odd", date: "2001-02-04T10:00:00Z" };
    rememberArticlePath(odd, "Europe/London", "/kept/path/");
    expect(dayPath(odd.date, "Europe/London")).toBe("2001/02/04");
  });
});
