import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { scriptArgs } from "../../scripts/build-script.ts";
import { fixtureArchive, fixtureData, projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const run = promisify(execFile);
/** The environment of a plain `npm run check`: no archive variables, the default site URL, a fixed build time. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !["ARTICLES_DIR", "DATA_DIR", "PERMALINKS_MANIFEST"].includes(key)),
);
const check = async (...args: string[]) =>
  run(process.execPath, [...(await scriptArgs("check")), ...args], {
    cwd: projectRoot,
    env: { ...env, SITE_URL: "https://broadsheet.example.org", SOURCE_DATE_EPOCH: "1709251200" },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

const dir = "tests/fixtures/invalid/articles";

/** Every kind of problem, exactly as `npm run check` prints it, sorted by file and line. */
const EXPECTED = [
  `${dir}/bad-slug.md:3: slug: must be lower-case words joined by single hyphens, e.g. hamas-patches-up-ties`,
  `${dir}/broken-link.md:9: body: links to /2013/08/04/no-such-story/, which is not a published article, a redirect or a listing page of this site; fix the link or add a redirect`,
  `${dir}/broken-link.md:10: body: links to /2013/08/04/no-such-story/, which is not a published article, a redirect or a listing page of this site; fix the link or add a redirect`,
  `${dir}/duplicate-second.md:2: title: has the same URL /2013/08/05/same-headline/ as ${dir}/duplicate-first.md; change the slug, headline or date of one of them`,
  `${dir}/empty-topic-slug.md:4: topics.1: "!!!" gives an empty URL slug; a topic needs letters or digits`,
  `${dir}/image-without-alt.md:4: image.alt: has a src but no alt; describe the picture in image.alt for readers who cannot see it`,
  `${dir}/impossible-date.md:3: date: "2013-02-30" is not a real date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM with an offset`,
  `${dir}/malformed-yaml.md:3: front matter: malformed YAML: Missing closing "quote (check indentation, closing quotes, and quote values containing ': ')`,
  `${dir}/missing-image.md:4: image.src: "no-such-photo.jpg" is not a file beside the article (looked for ${dir}/no-such-photo.jpg); fix the path or use an absolute URL`,
  `${dir}/missing-title.md:1: title: is required but missing; add it to the front matter`,
  `${dir}/no-front-matter.md:1: front matter: missing; start the file with a --- block holding at least title and date`,
  `${dir}/title-not-string.md:2: title: must be text (the headline); quote it in YAML if it starts with a special character`,
  `${dir}/unknown-author.md:4: authors.1: "Ada Reportr" is not a known author; did you mean "Ada Reporter"? If not, add them to tests/fixtures/data/authors.yaml`,
  `${dir}/unknown-field.md:4: topcis: unknown field; did you mean "topics"? (see the README's list of fields)`,
  `${dir}/unknown-section.md:4: section: "Sport" is not a known section; use one of "Business", "Culture", "Politics" or "World", or add it to tests/fixtures/data/sections.yaml`,
];

describe("npm run check", () => {
  it("passes the committed archive", async () => {
    const result = await check("articles");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^check: \d+ articles? in articles, no problems, URLs compared with _data\/permalinks\.txt \(\d+\.\d\d s\)\n$/,
    );
  });

  it("passes the fixture archive, whose internal links all lead somewhere", async () => {
    const result = await check("tests/fixtures/archive", "--data", "tests/fixtures/data");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^check: \d+ articles in tests\/fixtures\/archive, no problems \(/);
  });

  describe("on a folder of invalid articles", () => {
    let result: Awaited<ReturnType<typeof check>>;
    beforeAll(async () => {
      result = await check(dir, "--data", "tests/fixtures/data");
    });

    it("prints every problem as file:line: field: message, sorted by file and line", () => {
      expect(result.stderr.trimEnd().split("\n")).toEqual(EXPECTED);
    });

    it("sums them up and exits 1", () => {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^check: 15 problems in 14 files; 15 articles in tests\/fixtures\/invalid\/articles checked \(\d+\.\d\d s\)\n$/,
      );
    });
  });

  it("exits 2 with a clear message for a folder that does not exist", async () => {
    const result = await check("no/such/folder");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("check: no/such/folder is not a folder of articles");
  });

  it("lists a broken authors file's problems with the articles' own, and exits 1", async () => {
    const data = await mkdtemp(path.join(testTmpdir(), "broadsheet-check-data-"));
    await writeFile(path.join(data, "authors.yaml"), "- name: Ada\n");
    await copyFile(path.join(fixtureData, "sections.yaml"), path.join(data, "sections.yaml"));
    const result = await check(dir, "--data", data);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toContain(`${data}/authors.yaml:1: entry 1, bio: must be text (one or two sentences about the author)`);
    expect(lines).toContain(EXPECTED[0]);
  });

  describe("with a manifest", () => {
    let articles: string;
    let manifest: string;
    beforeAll(async () => {
      const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-check-"));
      articles = path.join(root, "articles");
      await mkdir(articles);
      await copyFile(path.join(fixtureArchive, "2019/story-01.md"), path.join(articles, "story-01.md"));
      manifest = path.join(root, "permalinks.txt");
      await writeFile(
        manifest,
        `/2019/01/03/archive-story-01/\t${path.relative(projectRoot, path.join(articles, "story-01.md"))}\n/2019/01/02/retired/\tarticles/retired.md\n`,
      );
    });

    it("reports a published URL that would stop working, like the build", async () => {
      const result = await check(articles, "--data", "tests/fixtures/data", "--manifest", manifest);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split("\n")).toEqual([
        `${manifest}:2: permalink: /2019/01/02/retired/ would stop working: articles/retired.md, which had it, no longer exists; keep it with "aliases: [/2019/01/02/retired/]" in the article readers should get instead, or an entry "- {from: /2019/01/02/retired/, to: …}" in tests/fixtures/data/redirects.yaml`,
      ]);
      expect(await readFile(manifest, "utf8")).toContain("/2019/01/02/retired/");
    });

    it("accepts it once an alias covers it", async () => {
      const file = path.join(articles, "story-01.md");
      await writeFile(
        file,
        (await readFile(file, "utf8")).replace("date: 2019-01-03\n", "date: 2019-01-03\naliases: [/2019/01/02/retired/]\n"),
      );
      const result = await check(articles, "--data", "tests/fixtures/data", "--manifest", manifest);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`URLs compared with ${manifest}`);
    });
  });
});
