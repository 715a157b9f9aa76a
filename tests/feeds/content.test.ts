import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { entryHtml, escapeHtml } from "../../src/feeds/content.ts";

const bodyOf = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body;
const picture = {
  url: "https://news.test/img/a-800.jpeg",
  width: 800,
  height: 450,
  alt: `A "crane" & <sky>`,
  caption: "Cranes <b>back</b>",
  credit: "Desk & Co",
};

describe("entryHtml", () => {
  it("puts the picture with its size, alt text, caption and credit before the body", () => {
    const body = bodyOf(entryHtml("<p>Body</p>", picture, []));
    const img = body.querySelector("figure img");
    expect([img?.getAttribute("src"), img?.getAttribute("width"), img?.getAttribute("height"), img?.getAttribute("alt")]).toEqual([
      picture.url,
      "800",
      "450",
      picture.alt,
    ]);
    expect(body.querySelector("figcaption")?.textContent).toBe("Cranes <b>back</b> (Photo: Desk & Co)");
    expect(body.firstElementChild?.tagName).toBe("FIGURE");
    expect(body.querySelector("p")?.textContent).toBe("Body");
  });

  it("writes a credit alone, and no caption at all when there is neither", () => {
    expect(bodyOf(entryHtml("", { ...picture, caption: undefined }, [])).querySelector("figcaption")?.textContent).toBe(
      "(Photo: Desk & Co)",
    );
    expect(bodyOf(entryHtml("", { ...picture, caption: undefined, credit: undefined }, [])).querySelector("figcaption")).toBeNull();
  });

  it("lists the corrections after the body, their text escaped", () => {
    const body = bodyOf(
      entryHtml("<p>Body</p>", undefined, [
        { iso: "2022-12-02T00:00:00.000+02:00", label: "December 2, 2022", text: "Not <i>Ashdod</i> & so on" },
      ]),
    );
    expect(body.querySelector("figure")).toBeNull();
    expect(body.lastElementChild?.querySelector("h2")?.textContent).toBe("Corrections");
    expect(body.querySelector("li")?.textContent).toBe("December 2, 2022: Not <i>Ashdod</i> & so on");
    expect(body.querySelector("li time")?.getAttribute("datetime")).toBe("2022-12-02T00:00:00.000+02:00");
    expect(body.querySelector("i")).toBeNull();
  });

  it("is the body alone for an article with neither picture nor corrections", () => {
    expect(entryHtml("<p>Body</p>", undefined, [])).toBe("<p>Body</p>");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });
});
