// The one read of the archive: bodies the build's read does not keep are read again only as they were checked.
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ArchiveProblemsError, ArchiveSource } from "../../src/archive/source.ts";
import { loadConfig } from "../../src/config/index.ts";
import { checkArticleText } from "../../src/validation/index.ts";
import { FIXTURE_BUILD_TIME, fixtureData, projectRoot } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const ARTICLE = "---\r\ntitle: A story\r\ndate: 2019-01-03\r\n---\r\n\r\nIt happened, said [the desk](/2019/01/03/a-story/).\r\n";

/** A source over an archive of one article (`articles/a.md`, text {@link ARTICLE}) in a folder of its own, read once. */
async function readOne(): Promise<{ source: ArchiveSource; file: string }> {
  const root = await mkdtemp(path.join(testTmpdir(), "broadsheet-source-"));
  await mkdir(path.join(root, "articles"));
  const file = path.join(root, "articles", "a.md");
  await writeFile(file, ARTICLE);
  const config = await loadConfig({
    env: {
      ARTICLES_DIR: path.relative(projectRoot, path.join(root, "articles")),
      DATA_DIR: path.relative(projectRoot, fixtureData),
      SOURCE_DATE_EPOCH: String(Date.parse(FIXTURE_BUILD_TIME) / 1000),
      BROADSHEET_CACHE: path.join(root, "cache"),
    },
    cwd: projectRoot,
  });
  const source = new ArchiveSource(config);
  expect((await source.load()).problems).toEqual([]);
  return { source, file };
}

/** The problems `run` stops on, as an {@link ArchiveProblemsError}. */
function problemsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ArchiveProblemsError) return error.problems;
    throw error;
  }
  throw new Error("expected the build to stop");
}

describe("ArchiveSource", () => {
  it("holds no bodies, and reads each again as the check cut it, its links to the site already found", async () => {
    const { source } = await readOne();
    const [checked] = source.current.checked;
    if (!checked) throw new Error("the article was not read");
    expect(checked.body).toBeUndefined();
    const fresh = checkArticleText(checked.file, ARTICLE);
    expect(source.bodyOf(checked)).toBe(fresh.body);
    expect(checked.links).toEqual([{ path: "/2019/01/03/a-story/", line: 6 }]);
    // A second read takes the article from the memo the first one saved: the same again.
    const [again] = (await source.load()).checked;
    if (!again) throw new Error("the article was not read");
    expect(source.bodyOf(again)).toBe(fresh.body);
    expect(again.links).toEqual(checked.links);
  });

  it("stops the build, naming the file, when the file changed or went after it was checked", async () => {
    const changed = await readOne();
    const [checked] = changed.source.current.checked;
    if (!checked) throw new Error("the article was not read");
    await appendFile(changed.file, "A sentence nobody checked.\n");
    expect(problemsOf(() => changed.source.bodyOf(checked))).toEqual([
      { file: checked.file, line: 1, field: "file", message: "changed or was removed while the build ran; build again" },
    ]);
    const removed = await readOne();
    const [gone] = removed.source.current.checked;
    if (!gone) throw new Error("the article was not read");
    await rm(removed.file);
    expect(problemsOf(() => removed.source.bodyOf(gone))).toEqual([
      { file: gone.file, line: 1, field: "file", message: "changed or was removed while the build ran; build again" },
    ]);
  });
});
