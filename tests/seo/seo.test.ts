import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { type SeoArticle, jsonLdScript, newsArticleJsonLd, ogLocale, scriptSafeJson } from "../../src/seo/index.ts";

const site = { url: "https://news.test", title: "Broadsheet", language: "en", timezone: "Asia/Jerusalem" };
const article: SeoArticle = {
  url: "/2022/12/01/refinery-output-rises/",
  title: "Refinery output rises",
  dek: "A story that needed a correction",
  date: "2022-12-01T09:15:00+02:00",
  updated: "2022-12-03T18:00:00+02:00",
  authors: ["Ada Reporter"],
  section: "Business",
  topics: ["Energy", "Economy"],
  corrections: [{ date: "2022-12-02", text: "The refinery is in Haifa." }],
};

describe("newsArticleJsonLd", () => {
  it("is a schema.org NewsArticle with headline, description and the absolute URL as main entity", () => {
    const jsonLd = newsArticleJsonLd(article, site);
    expect(jsonLd["@context"]).toBe("https://schema.org");
    expect(jsonLd["@type"]).toBe("NewsArticle");
    expect(jsonLd.headline).toBe("Refinery output rises");
    expect(jsonLd.description).toBe("A story that needed a correction");
    expect(jsonLd.url).toBe("https://news.test/2022/12/01/refinery-output-rises/");
    expect(jsonLd.mainEntityOfPage).toEqual({ "@type": "WebPage", "@id": "https://news.test/2022/12/01/refinery-output-rises/" });
  });

  it("dates publication and modification with the site time zone's offset", () => {
    const jsonLd = newsArticleJsonLd(article, site);
    expect(jsonLd.datePublished).toBe("2022-12-01T09:15:00.000+02:00");
    expect(jsonLd.dateModified).toBe("2022-12-03T18:00:00.000+02:00");
  });

  it("uses the publication date as modification date when the article was never updated", () => {
    const jsonLd = newsArticleJsonLd({ ...article, updated: undefined, date: "2023-08-06" }, site);
    expect(jsonLd.dateModified).toBe("2023-08-06T00:00:00.000+03:00");
  });

  it("gives language, section and topics as keywords", () => {
    const jsonLd = newsArticleJsonLd(article, site);
    expect(jsonLd.inLanguage).toBe("en");
    expect(jsonLd.articleSection).toBe("Business");
    expect(jsonLd.keywords).toEqual(["Energy", "Economy"]);
  });

  it("names each author as a Person with the absolute URL of their author page", () => {
    expect(newsArticleJsonLd(article, site).author).toEqual([
      { "@type": "Person", name: "Ada Reporter", url: "https://news.test/authors/ada-reporter/" },
    ]);
  });

  it("credits an unsigned article to the publisher", () => {
    const jsonLd = newsArticleJsonLd({ ...article, authors: undefined }, site);
    expect(jsonLd.author).toEqual([jsonLd.publisher]);
  });

  it("names the publisher with the site's title, home page and icon", () => {
    expect(newsArticleJsonLd(article, site).publisher).toEqual({
      "@type": "Organization",
      name: "Broadsheet",
      url: "https://news.test/",
      logo: { "@type": "ImageObject", url: "https://news.test/favicon.svg" },
    });
  });

  it("lists corrections as CorrectionComments with their dates", () => {
    expect(newsArticleJsonLd(article, site).correction).toEqual([
      { "@type": "CorrectionComment", text: "The refinery is in Haifa.", datePublished: "2022-12-02T00:00:00.000+02:00" },
    ]);
  });

  it("resolves a relative image against the article's URL and keeps caption and credit", () => {
    const jsonLd = newsArticleJsonLd({ ...article, image: { src: "photo.jpg", caption: "Cranes", credit: "Desk" } }, site);
    expect(jsonLd.image).toEqual({
      "@type": "ImageObject",
      url: "https://news.test/2022/12/01/refinery-output-rises/photo.jpg",
      caption: "Cranes",
      creditText: "Desk",
    });
  });

  it("lists a local picture's crops instead of the single image, each sized and credited", () => {
    const crops = [
      { url: "/img/a-16x9-1200.jpeg", width: 1200, height: 675 },
      { url: "/img/a-4x3-1200.jpeg", width: 1200, height: 900 },
      { url: "/img/a-1x1-900.jpeg", width: 900, height: 900 },
    ];
    const jsonLd = newsArticleJsonLd({ ...article, image: { src: "/img/a-1200.jpeg", caption: "Cranes", credit: "Desk", crops } }, site);
    expect(jsonLd.image).toEqual(
      crops.map((crop) => ({
        "@type": "ImageObject",
        url: `https://news.test${crop.url}`,
        width: crop.width,
        height: crop.height,
        caption: "Cranes",
        creditText: "Desk",
      })),
    );
  });

  it("keeps an absolute image URL as it is", () => {
    const jsonLd = newsArticleJsonLd({ ...article, image: { src: "https://images.test/a.jpg" } }, site);
    expect(jsonLd.image).toEqual({ "@type": "ImageObject", url: "https://images.test/a.jpg" });
  });

  it("leaves out what the article does not have", () => {
    const jsonLd = newsArticleJsonLd({ url: "/2024/01/01/bare/", title: "Bare", date: "2024-01-01" }, site);
    for (const key of ["description", "articleSection", "keywords", "image", "correction"]) expect(jsonLd).not.toHaveProperty(key);
  });

  it("percent-encodes a Hebrew path", () => {
    const jsonLd = newsArticleJsonLd({ ...article, url: "/2023/05/10/חמאס/" }, site);
    expect(jsonLd.url).toBe("https://news.test/2023/05/10/%D7%97%D7%9E%D7%90%D7%A1/");
  });
});

describe("scriptSafeJson", () => {
  const hostile = [
    `</script><script>alert(1)</script>`,
    `<!-- <script>`,
    `line\u2028separator and paragraph\u2029separator`,
    `"quotes" & 'apostrophes' \\ backslash ]]>`,
    `</SCRIPT >`,
  ];

  it.each(hostile)("round-trips %j through JSON.parse", (text) => {
    expect(JSON.parse(scriptSafeJson({ text }))).toEqual({ text });
  });

  it.each(hostile)("leaves no <, > or & in %j", (text) => {
    expect(scriptSafeJson({ text })).not.toMatch(/[<>&]/);
  });

  it("leaves no raw U+2028 or U+2029", () => {
    const json = scriptSafeJson(["\u2028", "\u2029"]);
    expect(json).not.toContain("\u2028");
    expect(json).not.toContain("\u2029");
    expect(json).toBe('["\\u2028","\\u2029"]');
  });

  it("writes the escapes as \\u003c, \\u003e and \\u0026", () => {
    expect(scriptSafeJson("<&>")).toBe('"\\u003c\\u0026\\u003e"');
  });

  it("refuses undefined, which has no JSON form", () => {
    expect(() => scriptSafeJson(undefined)).toThrow(/undefined/);
  });
});

describe("jsonLdScript", () => {
  it("stays one script element that an HTML parser hands back as the same JSON", () => {
    const jsonLd = { headline: "</script><!-- <script>x</script> \u2028" };
    const { document } = parseHTML(`<html><head>${jsonLdScript(jsonLd)}</head><body><p>after</p></body></html>`);
    const scripts = document.querySelectorAll("script");
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.getAttribute("type")).toBe("application/ld+json");
    expect(JSON.parse(scripts[0]?.textContent ?? "")).toEqual(jsonLd);
    expect(document.querySelector("p")?.textContent).toBe("after");
  });
});

describe("ogLocale", () => {
  it("writes a region with an underscore", () => {
    expect(ogLocale("en-GB")).toBe("en_GB");
  });

  it("keeps a bare language", () => {
    expect(ogLocale("he")).toBe("he");
  });
});
