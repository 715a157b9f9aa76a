import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { manifestPathFor, planPermalinks } from "../../src/redirects/index.ts";
import { formatManifest } from "../../src/redirects/manifest.ts";
import { checkArticleText, formatProblem } from "../../src/validation/index.ts";

const now = DateTime.fromISO("2024-03-01T00:00:00Z", { zone: "utc" });
const article = (file: string, frontMatter: string) => checkArticleText(file, `---\n${frontMatter}\n---\n\nBody.\n`);
const plan = (articles: ReturnType<typeof article>[], manifest?: string, redirects?: string) =>
  planPermalinks({
    articles,
    timezone: "UTC",
    now,
    redirects: { file: "data/redirects.yaml", text: redirects },
    manifest: { file: "data/permalinks.txt", text: manifest },
  });

const story = article("articles/story.md", "title: Old headline\ndate: 2013-08-04");
const manifestOf = (...lines: string[]) => `${lines.join("\n")}\n`;

describe("planPermalinks", () => {
  it("records the published URLs on the first build", () => {
    const result = plan([
      story,
      article("articles/draft.md", "title: Draft\ndate: 2013-08-04\ndraft: true"),
      article("articles/later.md", "title: Later\ndate: 2030-01-01"),
    ]);
    expect(result.broken).toEqual([]);
    expect(result.manifest.map(({ url, file }) => `${url} ${file}`)).toEqual(["/2013/08/04/old-headline/ articles/story.md"]);
    expect(result.manifestChanged).toBe(true);
  });

  it("leaves an unchanged manifest unchanged", () => {
    const first = plan([story]);
    expect(plan([story], formatManifest(first.manifest)).manifestChanged).toBe(false);
  });

  it("reports a renamed article at its file, naming the old and new URLs", () => {
    const renamed = article("articles/story.md", "title: New headline\ndate: 2013-08-04");
    const result = plan([renamed], manifestOf("/2013/08/04/old-headline/\tarticles/story.md"));
    expect(result.broken.map(formatProblem)).toEqual([
      'articles/story.md:2: permalink: /2013/08/04/old-headline/ would stop working: this article is now at /2013/08/04/new-headline/; keep the old URL with "aliases: [/2013/08/04/old-headline/]" in its front matter, or an entry in data/redirects.yaml',
    ]);
  });

  it("points at the slug line when the article has a slug field", () => {
    const renamed = article("articles/story.md", "title: Old headline\nslug: new-slug\ndate: 2013-08-04");
    expect(plan([renamed], manifestOf("/2013/08/04/old-headline/\tarticles/story.md")).broken.map((problem) => problem.line)).toEqual([3]);
  });

  it("reports a removed article at its manifest line", () => {
    const result = plan([], manifestOf("# header", "/2013/08/04/old-headline/\tarticles/story.md"));
    expect(result.broken.map(formatProblem)).toEqual([
      'data/permalinks.txt:2: permalink: /2013/08/04/old-headline/ would stop working: articles/story.md, which had it, no longer exists; keep it with "aliases: [/2013/08/04/old-headline/]" in the article readers should get instead, or an entry "- {from: /2013/08/04/old-headline/, to: …}" in data/redirects.yaml',
    ]);
  });

  it("reports an article that went back to being a draft", () => {
    const drafted = article("articles/story.md", "title: Old headline\ndate: 2013-08-04\ndraft: true");
    expect(plan([drafted], manifestOf("/2013/08/04/old-headline/\tarticles/story.md")).broken.map(formatProblem)[0]).toMatch(
      /^articles\/story\.md:4: permalink: \/2013\/08\/04\/old-headline\/ would stop working: this article is now a draft; /,
    );
  });

  it("leaves an invalid article to validation instead of reporting its URL", () => {
    const broken = article("articles/story.md", "title: Old headline\ndate: 2013-02-30");
    expect(plan([broken], manifestOf("/2013/08/04/old-headline/\tarticles/story.md")).broken).toEqual([]);
  });

  it("accepts a renamed article that keeps its old URL as an alias, and keeps that URL listed", () => {
    const renamed = article("articles/story.md", "title: New headline\ndate: 2013-08-04\naliases: [/2013/08/04/old-headline/]");
    const result = plan([renamed], manifestOf("/2013/08/04/old-headline/\tarticles/story.md"));
    expect(result.broken).toEqual([]);
    expect(result.rules.map(({ from, to }) => `${from} ${to}`)).toEqual(["/2013/08/04/old-headline/ /2013/08/04/new-headline/"]);
    expect(result.pages).toEqual([
      {
        from: "/2013/08/04/old-headline/",
        permalink: "/2013/08/04/old-headline/",
        to: "/2013/08/04/new-headline/",
        href: "/2013/08/04/new-headline/",
        title: "New headline",
      },
    ]);
    expect(result.manifest.map(({ url }) => url)).toEqual(["/2013/08/04/new-headline/", "/2013/08/04/old-headline/"]);
  });

  it("accepts a removed article covered by the redirects file", () => {
    const other = article("articles/other.md", "title: Other\ndate: 2013-08-05");
    const result = plan(
      [other],
      manifestOf("/2013/08/04/old-headline/\tarticles/story.md"),
      "- from: /2013/08/04/old-headline/\n  to: /2013/08/05/other/\n",
    );
    expect(result.problems).toEqual([]);
    expect(result.broken).toEqual([]);
    expect(result.rules.map(({ from, to }) => `${from} ${to}`)).toEqual(["/2013/08/04/old-headline/ /2013/08/05/other/"]);
  });

  it("accepts a redirect to an older page of a listing, named by its day, and refuses one to a numbered page", () => {
    const tagged = article("articles/story.md", "title: Old headline\ndate: 2013-08-04\ntopics: [Iran]");
    const result = plan(
      [tagged],
      undefined,
      [
        "- from: /iran-archive/\n  to: /topics/iran/page/2013-07-01/",
        "- from: /iran-hashed/\n  to: /topics/iran/page/2013-07-01-3fa29c0b/",
        "- from: /iran-numbered/\n  to: /topics/iran/page/3/",
        "- from: /nowhere-paged/\n  to: /topics/nowhere/page/2013-07-01/",
      ].join("\n"),
    );
    expect(result.rules.map(({ from, to }) => `${from} ${to}`)).toEqual([
      "/iran-archive/ /topics/iran/page/2013-07-01/",
      "/iran-hashed/ /topics/iran/page/2013-07-01-3fa29c0b/",
    ]);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      "/iran-numbered/ redirects to /topics/iran/page/3/, which is not a published article or a page of this site",
      "/nowhere-paged/ redirects to /topics/nowhere/page/2013-07-01/, which is not a published article or a page of this site",
    ]);
  });

  it("ignores the aliases of an unpublished article", () => {
    const draft = article("articles/draft.md", "title: Draft\ndate: 2013-08-04\ndraft: true\naliases: [/old/]");
    expect(plan([draft]).rules).toEqual([]);
  });

  it("reports mistakes in the redirects file and in aliases as problems", () => {
    const other = article("articles/other.md", "title: Other\ndate: 2013-08-05\naliases: [/2013/08/04/old-headline/]");
    const result = plan([story, other], undefined, "- from: nowhere\n  to: /2013/08/05/other/\n");
    expect(result.problems.map(formatProblem)).toEqual([
      "data/redirects.yaml:1: entry 1, from: must be a path on this site starting with / (no spaces, query or fragment), e.g. /2013/08/04/old-headline/",
      "articles/other.md:4: aliases.0: /2013/08/04/old-headline/ is the URL of articles/story.md; a URL cannot be both an article and a redirect",
    ]);
  });

  it("is linear: it looks at each article a fixed number of times, whatever the archive's size", () => {
    // Counting reads of each article's data instead of timing: a clock comparison fails on a busy machine.
    let reads = 0;
    const counted = (checked: ReturnType<typeof article>): ReturnType<typeof article> => {
      const { article: data, ...rest } = checked;
      return Object.defineProperty({ ...rest }, "article", {
        get: () => {
          reads += 1;
          return data;
        },
        enumerable: true,
      }) as ReturnType<typeof article>;
    };
    const archive = (count: number) =>
      Array.from({ length: count }, (_, index) =>
        counted(
          index % 2 === 0
            ? article(`articles/${index}.md`, `title: Story ${index}\ndate: 2013-08-04`)
            : article(`articles/${index}.md`, `title: Story ${index} renamed\ndate: 2013-08-04\naliases: [/2013/08/04/story-${index}/]`),
        ),
      );
    const readsFor = (count: number): number => {
      reads = 0;
      const lines = Array.from({ length: count }, (_, index) => `/2013/08/04/story-${index}/\tarticles/${index}.md`);
      const result = plan(archive(count), manifestOf(...lines));
      expect(result.broken).toEqual([]);
      expect(result.rules).toHaveLength(count / 2);
      return reads;
    };
    const small = readsFor(250);
    expect(readsFor(1_000)).toBe(4 * small);
  });
});

describe("manifestPathFor", () => {
  it("uses the data folder's permalinks.txt for the real archive only", () => {
    expect(manifestPathFor("articles", "_data", undefined, "/repo")).toBe("_data/permalinks.txt");
    expect(manifestPathFor("./articles/", "_data/", undefined, "/repo")).toBe("_data/permalinks.txt");
    expect(manifestPathFor("tests/fixtures/archive", "tests/fixtures/data", undefined, "/repo")).toBeUndefined();
    expect(manifestPathFor("/tmp/generated/articles", "_data", undefined, "/repo")).toBeUndefined();
  });

  it("uses PERMALINKS_MANIFEST for any archive when it is set", () => {
    expect(manifestPathFor("tests/fixtures/archive", "tests/fixtures/data", "/tmp/m.txt", "/repo")).toBe("/tmp/m.txt");
  });
});

describe("article identities (what feed entry ids are made of)", () => {
  const first = plan([story]);
  const firstManifest = formatManifest(first.manifest);
  const original = "2013-08-04:/2013/08/04/old-headline/";

  it("are the date and URL of an article's first publication, recorded in the manifest", () => {
    expect(first.identities.get("/2013/08/04/old-headline/")).toBe(original);
    expect(firstManifest).toContain(`/2013/08/04/old-headline/\tarticles/story.md\t${original}\n`);
  });

  it("survive a retitle with an alias", () => {
    const retitled = article("articles/story.md", "title: New headline\ndate: 2013-08-04\naliases: [/2013/08/04/old-headline/]");
    const result = plan([retitled], firstManifest);
    expect(result.identities.get("/2013/08/04/new-headline/")).toBe(original);
    // And the build after that, from the manifest that build wrote.
    expect(plan([retitled], formatManifest(result.manifest)).identities.get("/2013/08/04/new-headline/")).toBe(original);
  });

  it("survive a change of date, with the old URL redirected from the redirects file", () => {
    const redated = article("articles/story.md", "title: Old headline\ndate: 2013-08-05");
    const result = plan([redated], firstManifest, "- {from: /2013/08/04/old-headline/, to: /2013/08/05/old-headline/}\n");
    expect(result.broken).toEqual([]);
    expect(result.identities.get("/2013/08/05/old-headline/")).toBe(original);
  });

  it("of articles in a manifest written before identities existed are the ids their feeds always had", () => {
    const result = plan([story], manifestOf("/2013/08/04/old-headline/\tarticles/story.md"));
    expect(result.identities.get("/2013/08/04/old-headline/")).toBe(original);
    expect(result.manifestChanged).toBe(true);
  });

  it("differ between two articles", () => {
    const other = article("articles/other.md", "title: Other story\ndate: 2013-08-04");
    const result = plan([story, other], firstManifest);
    expect(new Set(result.identities.values()).size).toBe(2);
  });
});
