import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { formatProblem, validateArchive } from "../../src/validation/index.ts";
import { type BuildResult, buildArchive, fixtureArchive, fixtureBuild, projectRoot, readOutput } from "../helpers/build.ts";

const harbourPage = "2022/06/14/harbour-cranes-return-to-the-port/index.html";
const hostilePage = "2024/01/20/script-alert-t-script-and-quotes-end/index.html";
const invalidImages = path.join(projectRoot, "tests/fixtures/invalid-images/articles");

/** The generated image files of a build: name, bytes and modification time. */
interface ImageFile {
  name: string;
  bytes: Buffer;
  mtimeMs: number;
}

async function imageFiles(build: BuildResult): Promise<ImageFile[]> {
  const dir = path.join(build.outputDir, "img");
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)), mtimeMs: (await stat(path.join(dir, name))).mtimeMs })),
  );
}

const candidates = (srcset: string | null | undefined) => (srcset ?? "").split(",").map((candidate) => candidate.trim().split(/\s+/));

let first: BuildResult;
let firstFiles: ImageFile[];
let secondFiles: ImageFile[];
let rebuiltFiles: ImageFile[];
let harbour: Document;

beforeAll(async () => {
  // The fixture build of the global setup, then another build into a fresh folder, which must give the same bytes,
  // and one more into that folder, which must reuse its files.
  first = fixtureBuild();
  if (first.exitCode !== 0) throw new Error(`fixture build failed:\n${first.stderr}`);
  firstFiles = await imageFiles(first);
  harbour = parseHTML(await readOutput(first, harbourPage)).document;
  const second = await buildArchive(fixtureArchive);
  if (second.exitCode !== 0) throw new Error(`second fixture build failed:\n${second.stderr}`);
  secondFiles = await imageFiles(second);
  const rebuilt = await buildArchive(fixtureArchive, second.outputDir);
  if (rebuilt.exitCode !== 0) throw new Error(`rebuild failed:\n${rebuilt.stderr}`);
  rebuiltFiles = await imageFiles(rebuilt);
});

describe("lead image of an article", () => {
  it("is a picture with AVIF and WebP sources of three widths", () => {
    const sources = [...harbour.querySelectorAll("figure picture source")];
    expect(sources.map((source) => source.getAttribute("type"))).toEqual(["image/avif", "image/webp"]);
    for (const source of sources)
      expect(candidates(source.getAttribute("srcset")).map(([, width]) => width)).toEqual(["480w", "800w", "1200w"]);
  });

  it("falls back to a JPEG img with srcset, sizes, width, height and alt", () => {
    const img = harbour.querySelector("figure picture img");
    expect(img?.getAttribute("src")).toMatch(/^\/img\/[\w-]{10}-480\.jpeg$/);
    expect(candidates(img?.getAttribute("srcset")).map(([url]) => path.extname(url ?? ""))).toEqual([".jpeg", ".jpeg", ".jpeg"]);
    expect(img?.getAttribute("sizes")).toBeTruthy();
    expect([img?.getAttribute("width"), img?.getAttribute("height"), img?.getAttribute("alt")]).toEqual([
      "1200",
      "675",
      "Three harbour cranes against a grey sky",
    ]);
  });

  it("is not lazy: it is above the fold and fetched with high priority", () => {
    const img = harbour.querySelector("figure img");
    expect([img?.getAttribute("loading"), img?.getAttribute("fetchpriority")]).toEqual(["eager", "high"]);
  });

  it("gives Pagefind the JPEG img as the result thumbnail", () => {
    expect(harbour.querySelector("[data-pagefind-meta^='image[src]']")?.getAttribute("src")).toMatch(/\.jpeg$/);
  });

  it("keeps caption and credit once", () => {
    const caption = harbour.querySelector("figure figcaption")?.textContent ?? "";
    expect(caption.split("Fixture Photo Desk").length - 1).toBe(1);
    expect(caption).toContain("The repaired cranes at the container terminal");
  });

  it("has every file of every srcset in the output, named by content hash", async () => {
    const urls = [...harbour.querySelectorAll("figure source, figure img")].flatMap((element) =>
      candidates(element.getAttribute("srcset")).map(([url]) => url ?? ""),
    );
    expect(urls).toHaveLength(9);
    for (const url of urls) {
      expect(url).toMatch(/^\/img\/[\w-]{10}-\d+\.(avif|webp|jpeg)$/);
      expect((await stat(path.join(first.outputDir, url))).size).toBeGreaterThan(0);
    }
  });

  it("does not copy the original photo into the site", async () => {
    await expect(stat(path.join(first.outputDir, "2022/harbour-cranes.jpg"))).rejects.toThrow();
    await expect(stat(path.join(path.dirname(path.join(first.outputDir, harbourPage)), "harbour-cranes.jpg"))).rejects.toThrow();
  });
});

describe("absolute image URL", () => {
  it("is passed through as a plain img with its alt text escaped", async () => {
    const doc = parseHTML(await readOutput(first, hostilePage)).document;
    expect(doc.querySelector("figure picture")).toBeNull();
    const img = doc.querySelector("figure img");
    expect([img?.getAttribute("src"), img?.getAttribute("alt"), img?.hasAttribute("srcset")]).toEqual([
      "https://images.test/photo.jpg",
      `Alt with "quotes" & <angles>`,
      false,
    ]);
    expect(doc.querySelector("angles")).toBeNull();
  });
});

describe("image files between builds", () => {
  it("are byte for byte the same when built again into a fresh folder", () => {
    const again = secondFiles;
    expect(again.map((file) => file.name)).toEqual(firstFiles.map((file) => file.name));
    again.forEach((file, index) => expect(file.bytes.equals(firstFiles[index]?.bytes ?? Buffer.alloc(0)), file.name).toBe(true));
  });

  it("are reused, not encoded again, when building into the same folder", () => {
    expect(rebuiltFiles.map(({ name, mtimeMs }) => [name, mtimeMs])).toEqual(secondFiles.map(({ name, mtimeMs }) => [name, mtimeMs]));
  });
});

describe("an image file that is missing", () => {
  it("is reported by validation with the path it looked for", async () => {
    const problems = await validateArchive(invalidImages, { cwd: projectRoot, timezone: "UTC", dataDir: "tests/fixtures/data" });
    expect(problems.map(formatProblem)).toEqual([
      `tests/fixtures/invalid-images/articles/missing-photo.md:4: image.src: "not-here.jpg" is not a file beside the article (looked for tests/fixtures/invalid-images/articles/not-here.jpg); fix the path or use an absolute URL`,
    ]);
  });

  it("stops the build with that message", async () => {
    const build = await buildArchive(invalidImages);
    expect(build.exitCode).not.toBe(0);
    expect(build.stderr).toContain(`missing-photo.md:4: image.src: "not-here.jpg" is not a file beside the article`);
  });
});
