import { describe, expect, it } from "vitest";
import { articleProblems, urlClashes } from "../../src/authoring/validate.ts";
import { checkArticleText } from "../../src/validation/index.ts";

const directory = {
  authors: [{ name: "Ada Reporter", bio: "Covers diplomacy." }],
  sections: [{ name: "World", description: "International news." }],
};
const article = (front: string) => `---\ntitle: Harbour cranes return\ndate: 2013-08-04\n${front}---\n\nText.\n`;

describe("articleProblems", () => {
  it("finds what npm run check finds: schema problems and unknown names", () => {
    expect(articleProblems("a.md", article("authors: [Ada Reporter]\nsection: World\n"), directory, "_data")).toEqual([]);
    const invalid = articleProblems("a.md", article("source:\n  name: X\n  url: nope\n"), directory, "_data");
    expect(invalid.map((problem) => problem.field)).toEqual(["source.url"]);
    const unknown = articleProblems("a.md", article("authors: [Ada Reportr]\nsection: Wrold\n"), directory, "_data");
    expect(unknown.map((problem) => problem.field)).toEqual(["authors.0", "section"]);
  });
});

describe("urlClashes", () => {
  const archive = [checkArticleText("articles/2013/first.md", article("slug: harbour-cranes-return\n"))];

  it("reports an added article taking an existing article's URL, naming that file", () => {
    const problems = urlClashes(archive, [{ file: "articles/2013/harbour-cranes-return.md", text: article("") }], "UTC");
    expect(problems.map((problem) => problem.message)).toEqual([
      "has the same URL /2013/08/04/harbour-cranes-return/ as articles/2013/first.md; change the slug, headline or date of one of them",
    ]);
  });

  it("lets an added article replace the file at its own path", () => {
    expect(urlClashes(archive, [{ file: "articles/2013/first.md", text: article("") }], "UTC")).toEqual([]);
  });
});
