import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import Image from "@11ty/eleventy-img";
import { parseHTML } from "linkedom";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ImageMetadata,
  escapeAttribute,
  generateImage,
  imageOptions,
  isAbsoluteUrl,
  largestImageUrl,
  loadingAttributes,
  localImagePath,
  renderCardImage,
  renderImage,
  CROP_RATIOS,
  cropGeometry,
  imageCrops,
} from "../../src/images/index.ts";
import { fixtureArchive } from "../helpers/build.ts";
import { testTmpdir } from "../helpers/tmp.ts";

const article = path.join(fixtureArchive, "2022/harbour-photo.md");
const photo = path.join(fixtureArchive, "2022/harbour-cranes.jpg");
const hostileAlt = `Alt with "quotes" & <angles>`;
const tempDir = () => mkdtemp(path.join(testTmpdir(), "broadsheet-images-"));
// One output folder for the rendering tests, with the photo encoded into it once here, before them (AVIF encoding alone
// took 5 s on a slow machine): the tests reuse its files.
let outputDir: string;
beforeAll(async () => {
  outputDir = await tempDir();
  await renderImage({ src: "harbour-cranes.jpg", alt: "Cranes" }, { inputPath: article, outputDir });
}, 120_000);
const bodyOf = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body;

/** The widths eleventy-img would generate with our options for an original of the given size, read without encoding. */
async function widthsFor(width: number, height: number): Promise<number[]> {
  const folder = await tempDir();
  const original = path.join(folder, `${width}x${height}.jpeg`);
  await sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } })
    .jpeg()
    .toFile(original);
  const metadata: ImageMetadata = await Image(original, { ...imageOptions({ outputDir: folder }), statsOnly: true });
  return (metadata.jpeg ?? []).map((file) => file.width);
}

describe("isAbsoluteUrl", () => {
  it("treats URLs with a scheme as absolute", () => {
    expect(["https://images.test/photo.jpg", "http://example.org/a.jpg", "HTTPS://X.TEST/B.PNG"].map(isAbsoluteUrl)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("treats file names and relative paths as local", () => {
    expect(["harbour-cranes.jpg", "./photos/a.jpg", "../shared/b.jpg", "photos/2022:06/a.jpg"].map(isAbsoluteUrl)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("localImagePath", () => {
  it("resolves a relative src beside the article", () => {
    expect(localImagePath("harbour-cranes.jpg", "./tests/fixtures/archive/2022/harbour-photo.md")).toBe(photo);
  });

  it("resolves a path that climbs out of the article's folder", () => {
    expect(localImagePath("../shared/a.jpg", "articles/2022/story.md")).toBe(path.resolve("articles/shared/a.jpg"));
  });
});

describe("loadingAttributes", () => {
  it("loads the lead image at once with high priority", () => {
    expect(loadingAttributes("lead")).toEqual({ loading: "eager", fetchpriority: "high", decoding: "async" });
  });

  it("loads an image below the fold lazily", () => {
    expect(loadingAttributes("below")).toEqual({ loading: "lazy", decoding: "async" });
  });
});

describe("escapeAttribute", () => {
  it("escapes quotes, ampersands and angle brackets", () => {
    expect(escapeAttribute(`a "b" & 'c' <d>`)).toBe("a &#34;b&#34; &#38; &#39;c&#39; &#60;d&#62;");
  });
});

describe("image widths", () => {
  it("gives 480, 800 and 1200 for an original wider than 1200", async () => {
    expect(await widthsFor(1600, 900)).toEqual([480, 800, 1200]);
  });

  it("ends at the original width when it is narrower than 1200, never upscaling", async () => {
    expect(await widthsFor(1000, 500)).toEqual([480, 800, 1000]);
  });

  it("gives only the original width for a picture narrower than 480", async () => {
    expect(await widthsFor(300, 200)).toEqual([300]);
  });
});

describe("renderImage", () => {
  it("makes a picture with AVIF and WebP sources and a JPEG img with its size", async () => {
    const body = bodyOf(await renderImage({ src: "harbour-cranes.jpg", alt: "Cranes" }, { inputPath: article, outputDir }));
    expect([...body.querySelectorAll("picture source")].map((source) => source.getAttribute("type"))).toEqual(["image/avif", "image/webp"]);
    const img = body.querySelector("picture img");
    expect(img?.getAttribute("src")).toMatch(/^\/img\/[\w-]{10}-480\.jpeg$/);
    expect([img?.getAttribute("width"), img?.getAttribute("height")]).toEqual(["1200", "675"]);
  });

  it("writes every file of the set under img/ in the output folder", async () => {
    await renderImage({ src: "harbour-cranes.jpg", alt: "Cranes" }, { inputPath: article, outputDir });
    expect((await readdir(path.join(outputDir, "img"))).map((file) => file.replace(/^[\w-]{10}-/, "")).sort()).toEqual([
      "1200.avif",
      "1200.jpeg",
      "1200.webp",
      "480.avif",
      "480.jpeg",
      "480.webp",
      "800.avif",
      "800.jpeg",
      "800.webp",
    ]);
  });

  it("escapes hostile alt text of a local image", async () => {
    const body = bodyOf(await renderImage({ src: "harbour-cranes.jpg", alt: hostileAlt }, { inputPath: article, outputDir }));
    expect(body.querySelector("img")?.getAttribute("alt")).toBe(hostileAlt);
    expect(body.querySelector("angles")).toBeNull();
  });

  it("puts the Pagefind thumbnail attributes on the JPEG img", async () => {
    const body = bodyOf(await renderImage({ src: "harbour-cranes.jpg", alt: "Cranes" }, { inputPath: article, outputDir }));
    expect(body.querySelector("[data-pagefind-meta]")?.tagName).toBe("IMG");
    expect(body.querySelector("img")?.getAttribute("data-pagefind-meta")).toBe("image[src], image_alt[alt]");
  });

  it("loads an image placed below the fold lazily", async () => {
    const body = bodyOf(await renderImage({ src: "harbour-cranes.jpg", alt: "Cranes" }, { inputPath: article, outputDir }, "below"));
    expect(body.querySelector("img")?.getAttribute("loading")).toBe("lazy");
  });

  it("passes an absolute URL through as a plain img with escaped alt", async () => {
    const body = bodyOf(
      await renderImage({ src: "https://images.test/photo.jpg?a=1&b=2", alt: hostileAlt }, { inputPath: article, outputDir }),
    );
    expect(body.querySelector("picture")).toBeNull();
    const img = body.querySelector("img");
    expect([img?.getAttribute("src"), img?.getAttribute("alt"), img?.hasAttribute("srcset")]).toEqual([
      "https://images.test/photo.jpg?a=1&b=2",
      hostileAlt,
      false,
    ]);
    expect(body.querySelector("angles")).toBeNull();
  });

  it("fails with the missing file's path when a local image does not exist", async () => {
    await expect(renderImage({ src: "not-here.jpg", alt: "Gone" }, { inputPath: article, outputDir })).rejects.toThrow("not-here.jpg");
  });
});

describe("generateImage", () => {
  it("describes a picture once per build, and records its files for every page that shows it", async () => {
    const described = new Map<string, Promise<ImageMetadata>>();
    const first = new Set<string>();
    const second = new Set<string>();
    const one = await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir, described, used: first });
    const two = await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir, described, used: second });
    expect(two).toBe(one);
    expect(described.size).toBe(1);
    expect([...second].sort()).toEqual([...first].sort());
    expect(first.size).toBe(9);
  });

  it("does not remember a failure: the next page to ask tries again", async () => {
    const folder = await tempDir();
    const inputPath = path.join(folder, "late.md");
    const described = new Map<string, Promise<ImageMetadata>>();
    await expect(generateImage("late.jpg", { inputPath, outputDir: folder, described })).rejects.toThrow("late.jpg");
    await sharp({ create: { width: 500, height: 300, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .jpeg()
      .toFile(path.join(folder, "late.jpg"));
    expect((await generateImage("late.jpg", { inputPath, outputDir: folder, described })).jpeg?.map((file) => file.width)).toEqual([
      480, 500,
    ]);
  });
});

describe("renderCardImage", () => {
  it("marks up a listing picture by its size and placement, whichever a page of the same build asked for first", async () => {
    const described = new Map<string, Promise<ImageMetadata>>();
    const context = { inputPath: article, outputDir, described };
    const thumb = await renderCardImage("harbour-cranes.jpg", context, "thumb", "below");
    const lead = await renderCardImage("harbour-cranes.jpg", context, "lead", "lead");
    expect(await renderCardImage("harbour-cranes.jpg", context, "thumb", "below")).toBe(thumb);
    const img = (html: string) => bodyOf(html).querySelector("img");
    expect(img(thumb)?.getAttribute("class")).toBe("card-image card-image--thumb");
    expect(img(thumb)?.getAttribute("loading")).toBe("lazy");
    expect(img(lead)?.getAttribute("class")).toBe("card-image card-image--lead");
    expect(img(lead)?.getAttribute("fetchpriority")).toBe("high");
    expect(img(lead)?.getAttribute("alt")).toBe("");
  });

  it("shows no remote picture in a listing", async () => {
    expect(await renderCardImage("https://example.org/a.jpg", { inputPath: article, outputDir }, "thumb", "below")).toBe("");
  });
});

describe("the record of a described picture", () => {
  /** The one record of `kind` in the picture cache `folder`. */
  async function recordOf(folder: string, kind: "stats" | "crops"): Promise<string> {
    const names = (await readdir(path.join(folder, "described"))).filter((name) => name.endsWith(`.${kind}.json`));
    expect(names).toHaveLength(1);
    return path.join(folder, "described", names[0] ?? "");
  }

  /** A picture cache of its own, holding what the shared one holds (the photo encoded once per file). */
  async function copyOfShared(): Promise<string> {
    await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir });
    const folder = await tempDir();
    await cp(outputDir, folder, { recursive: true });
    return folder;
  }

  it("describes a picture from its record in a later build, in whatever folder the cache is, as eleventy-img would", async () => {
    // The cache moved (tests copy one): the record names no folder, the files are found where the cache is now.
    const moved = await copyOfShared();
    await recordOf(moved, "stats");
    const again = await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir: moved, described: new Map() });
    // eleventy-img's own description of the picture for that folder, made without the record.
    const fresh: ImageMetadata = await Image(photo, { ...imageOptions({ outputDir: moved }), statsOnly: true });
    expect(again).toEqual(fresh);
    // What the record says is what the later build takes: changed by hand, the description changes with it.
    const record = await recordOf(moved, "stats");
    await writeFile(record, (await readFile(record, "utf8")).replaceAll('"width":480', '"width":481'));
    const edited = await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir: moved, described: new Map() });
    expect(edited.jpeg?.[0]?.width).toBe(481);
  });

  it("describes a picture again when its record is damaged, and records it anew", async () => {
    const folder = await copyOfShared();
    const record = await recordOf(folder, "stats");
    const recorded = await readFile(record, "utf8");
    await writeFile(record, "{ not json");
    const described = await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir: folder, described: new Map() });
    expect(described.jpeg?.map((file) => file.width)).toEqual([480, 800, 1200]);
    expect(await readFile(record, "utf8")).toBe(recorded);
  });

  it("encodes again a file of a recorded picture that is missing", async () => {
    const folder = await copyOfShared();
    const described = await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir: folder, described: new Map() });
    const largest = described.jpeg?.at(-1)?.outputPath ?? "";
    await rm(largest);
    await generateImage("harbour-cranes.jpg", { inputPath: article, outputDir: folder, described: new Map() });
    expect((await sharp(largest).metadata()).width).toBe(1200);
  });

  it("takes crops from their record, and writes a missing crop again", async () => {
    const folder = await copyOfShared();
    const crops = await imageCrops("harbour-cranes.jpg", { inputPath: article, outputDir: folder });
    const record = await recordOf(folder, "crops");
    // imageCrops keeps each picture's crops for the process's life: another article's copy of it is another file.
    const copy = path.join(await tempDir(), "copy.md");
    await cp(photo, path.join(path.dirname(copy), "harbour-cranes.jpg"));
    await writeFile(record, (await readFile(record, "utf8")).replace('"width":1200', '"width":1201'));
    expect((await imageCrops("harbour-cranes.jpg", { inputPath: copy, outputDir: folder }))[0]?.width).toBe(1201);
    const square = path.join(folder, crops.at(-1)?.url ?? "");
    await rm(square);
    const third = path.join(await tempDir(), "third.md");
    await cp(photo, path.join(path.dirname(third), "harbour-cranes.jpg"));
    const again = await imageCrops("harbour-cranes.jpg", { inputPath: third, outputDir: folder });
    expect(again).toEqual(crops);
    expect((await sharp(square).metadata()).width).toBe(900);
  });
});

describe("largestImageUrl", () => {
  it("gives the URL of the 1200-pixel JPEG of a local image", async () => {
    expect(await largestImageUrl("harbour-cranes.jpg", { inputPath: article, outputDir })).toMatch(/^\/img\/[\w-]{10}-1200\.jpeg$/);
  });

  it("gives an absolute URL back unchanged", async () => {
    expect(await largestImageUrl("https://images.test/photo.jpg", { inputPath: article, outputDir })).toBe("https://images.test/photo.jpg");
  });
});

describe("cropGeometry", () => {
  it("centres the largest crop of each ratio and caps it at 1200 px wide, never enlarging", () => {
    const [wide, four, square] = CROP_RATIOS.map((ratio) => cropGeometry(1600, 900, ratio));
    expect(wide).toEqual({ left: 0, top: 0, width: 1600, height: 900, outWidth: 1200, outHeight: 675 });
    expect(four).toEqual({ left: 200, top: 0, width: 1200, height: 900, outWidth: 1200, outHeight: 900 });
    expect(square).toEqual({ left: 350, top: 0, width: 900, height: 900, outWidth: 900, outHeight: 900 });
  });

  it("crops a tall picture from its middle", () => {
    const [wide] = CROP_RATIOS.map((ratio) => cropGeometry(600, 1000, ratio));
    expect(wide).toEqual({ left: 0, top: 331, width: 600, height: 337, outWidth: 600, outHeight: 338 });
  });
});

describe("imageCrops", () => {
  it("writes one JPEG per ratio named by the picture's hash, and none for an absolute URL", async () => {
    const crops = await imageCrops("harbour-cranes.jpg", { inputPath: article, outputDir });
    expect(crops.map((crop) => [crop.ratio, crop.width, crop.height])).toEqual([
      ["16x9", 1200, 675],
      ["4x3", 1200, 900],
      ["1x1", 900, 900],
    ]);
    for (const crop of crops) expect(crop.url).toMatch(/^\/img\/[\w-]{10}-(16x9|4x3|1x1)-\d+\.jpeg$/);
    expect((await readdir(path.join(outputDir, "img"))).filter((name) => /-(16x9|4x3|1x1)-/.test(name))).toHaveLength(3);
    expect(await imageCrops("https://images.test/photo.jpg", { inputPath: article, outputDir })).toEqual([]);
  });
});
