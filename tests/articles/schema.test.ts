import { describe, expect, it } from "vitest";
import { articleSchema } from "../../src/articles/schema.ts";
import { parseArticleDate } from "../../src/dates/parse.ts";

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

  it("accepts only http(s) source URLs, so a reader's click never runs a script", () => {
    const message = (url: string) => articleSchema.safeParse({ ...minimal, source: { name: "X", url } }).error?.issues[0]?.message;
    expect(message("javascript:alert(document.cookie)")).toBe(
      '"javascript:alert(document.cookie)" is not an http:// or https:// URL; write the full address, e.g. https://example.com/story',
    );
    for (const url of ["JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.com/story", "vbscript:msgbox"]) expect(message(url), url).toBeDefined();
    for (const url of ["https://example.com/story", "http://example.com/story?id=1"]) expect(message(url), url).toBeUndefined();
  });

  it("accepts an image URL only with http(s), and a path only relative to the article", () => {
    const message = (src: string) => articleSchema.safeParse({ ...minimal, image: { src, alt: "A" } }).error?.issues[0]?.message;
    expect(message("javascript:alert(1)")).toBe(
      '"javascript:alert(1)" uses the javascript: scheme, which is not allowed; an image is a file in the articles folder, written relative to the article (e.g. photo.jpg beside it), or an https:// URL',
    );
    expect(message("file:///etc/passwd")).toMatch(/^"file:\/\/\/etc\/passwd" uses the file: scheme/);
    expect(message("data:image/png;base64,AAAA")).toMatch(/uses the data: scheme/);
    expect(message("/etc/passwd")).toMatch(/^"\/etc\/passwd" is an absolute path; an image is a file in the articles folder/);
    expect(message("//cdn.example.com/a.jpg")).toBe('"//cdn.example.com/a.jpg" has no scheme; write the URL in full, e.g. https://cdn.example.com/a.jpg');
    expect(message("photo\u0000.jpg")).toBe('"photo\u0000.jpg" contains a control character (U+0000); remove it');
    for (const src of ["photo.jpg", "../2021/photo.jpg", "https://images.example.com/a.jpg", "http://images.example.com/a.jpg"]) expect(message(src), src).toBeUndefined();
  });

  it("says that a date-time has no offset rather than that it is not a date", () => {
    expect(articleSchema.safeParse({ ...minimal, date: "2013-08-04T10:00:00" }).error?.issues[0]?.message).toBe(
      '"2013-08-04T10:00:00" has a time but no UTC offset, so its moment is unknown; add the offset, e.g. 2013-08-04T10:00:00+03:00 (or 2013-08-04T10:00:00Z for UTC)',
    );
    expect(articleSchema.safeParse({ ...minimal, updated: "2013-08-04 10:00" }).error?.issues[0]?.message).toMatch(/^"2013-08-04 10:00" has a time but no UTC offset.*2013-08-04T10:00\+03:00/);
  });

  it("rejects aliases with control characters, . or .. segments, or segments too long for a file name", () => {
    const message = (alias: string) => articleSchema.safeParse({ ...minimal, aliases: [alias] }).error?.issues[0];
    expect(message("/2013/08/04/old\u0000/")).toMatchObject({ path: ["aliases", 0], message: '"/2013/08/04/old\\u0000/" contains a control character (U+0000); remove it' });
    expect(message("/2013/\u007f/")?.message).toMatch(/control character \(U\+007F\)/);
    expect(message("/../../etc/")?.message).toBe('"/../../etc/" has a . or .. segment; write the path in full, e.g. /2013/08/04/old-headline/');
    expect(message(`/2013/08/04/${"記".repeat(90)}/`)?.message).toMatch(/has a segment of 270 bytes, more than a file name may safely have \(200\)/);
    expect(message("/2013/08/04/old-headline/")).toBeUndefined();
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
