import { describe, expect, it } from "vitest";
import { type ArchiveItem, buildArchiveModel, frontPage } from "../../src/archive/model.ts";

const story = (name: string, section?: string): ArchiveItem => ({
  url: `/${name}/`,
  inputPath: `${name}.md`,
  data: { title: name, date: "2024-01-01", section },
});
const urls = (items: readonly ArchiveItem[]) => items.map((item) => item.url);

describe("frontPage", () => {
  const articles = [
    story("a", "World"),
    story("b", "Business"),
    story("c", "World"),
    story("d"),
    story("e", "World"),
    story("f", "Business"),
    story("g", "culture"),
    story("h", "World"),
  ];

  it("leads with the newest article and follows with the next ones", () => {
    const front = frontPage(articles, ["World", "Business", "Culture"], { top: 2, perSection: 2 });
    expect(front.lead?.url).toBe("/a/");
    expect(urls(front.top)).toEqual(["/b/", "/c/"]);
  });

  it("gives each section its newest articles not shown above, in the newsroom's order and spelling", () => {
    const front = frontPage(articles, ["Culture", "World", "Business"], { top: 2, perSection: 2 });
    expect(front.sections.map((block) => [block.name, block.url, urls(block.items)])).toEqual([
      ["Culture", "/sections/culture/", ["/g/"]],
      ["World", "/sections/world/", ["/e/", "/h/"]],
      ["Business", "/sections/business/", ["/f/"]],
    ]);
  });

  it("puts sections missing from the list after the listed ones, and leaves out sections with nothing left", () => {
    const front = frontPage([story("a", "World"), story("b", "Sport"), story("c", "Arts")], ["World"], { top: 0, perSection: 4 });
    expect(front.sections.map((block) => block.name)).toEqual(["Arts", "Sport"]);
  });

  it("is empty for an empty archive", () => {
    expect(frontPage([], ["World"])).toEqual({ lead: undefined, top: [], sections: [] });
  });
});

describe("the model's navigation sections", () => {
  it("lists the sections that have articles in the order of sections.yaml", () => {
    const model = buildArchiveModel([story("a", "World"), story("b", "Business")], {
      timezone: "UTC",
      locale: "en",
      pageSize: 20,
      feedSize: 50,
      relatedCount: 5,
      relatedCandidatesPerTopic: 50,
      authors: [],
      sections: [
        { name: "Business", description: "" },
        { name: "Culture", description: "" },
        { name: "World", description: "" },
      ],
    });
    expect(model.navSections.map((entry) => entry.name)).toEqual(["Business", "World"]);
  });
});
