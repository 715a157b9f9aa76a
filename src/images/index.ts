// Article images: local files become responsive srcset sets with @11ty/eleventy-img; absolute URLs pass through.
import { doOnce } from "../shared/claim.ts";
import { exists, linkOrCopy, writeWhole } from "../shared/fs.ts";
import { codeVersionKey } from "../shared/hash.ts";
import type { ArticleView } from "../articles/item.ts";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import type Image from "@11ty/eleventy-img";
import type { generateHTML } from "@11ty/eleventy-img";
import type sharp from "sharp";
import { isAbsoluteUrl, localImagePath } from "./source.ts";

/** The picture libraries, loaded by {@link pictureLibraries}. */
interface PictureLibraries {
  Image: typeof Image;
  sharp: typeof sharp;
}

let libraries: Promise<PictureLibraries> | undefined;

/**
 * eleventy-img and sharp, imported when a process first describes, encodes or crops a picture it has no record of
 * (see {@link PictureRecord}): most processes never do (the validation and search workers, `npm run new`, `check`
 * and `import`, and every build whose pictures are all encoded already), and loading both took about 0.1 CPU-seconds.
 */
function pictureLibraries(): Promise<PictureLibraries> {
  return (libraries ??= Promise.all([import("@11ty/eleventy-img"), import("sharp")]).then(([img, sharpModule]) => ({
    // eleventy-img is CommonJS: its module object is the function a static import gives.
    Image: img.default as typeof Image,
    sharp: sharpModule.default,
  })));
}

let markup: Promise<typeof generateHTML> | undefined;

/**
 * eleventy-img's `generateHTML`, from its own file: the package's entry point loads sharp, which writing the markup of
 * a picture already described does not need.
 */
function pictureMarkup(): Promise<typeof generateHTML> {
  // The file is CommonJS without types of its own: its export is the function the package's types describe.
  return (markup ??= import("@11ty/eleventy-img/src/generate-html.js").then((module) => module.default as typeof generateHTML));
}

/**
 * What describing or cropping a picture gave, kept beside the encoded files (`described/`, one file of each kind a
 * picture) under a hash of the picture's bytes, with the code that made it: eleventy-img names its files by those
 * bytes and its options (constants of this module), so the same bytes and code describe the same files. A build whose
 * pictures are all encoded then never loads eleventy-img and sharp, which every build that showed a picture did
 * (the sitemaps show some on every build).
 */
interface PictureRecord<T> {
  code: string;
  value: T;
}

/**
 * The record file of `kind` of the picture `bytes` in the picture cache of `context`, or the claim file of its encoding
 * (see {@link doOnce}).
 */
function recordFile(context: Pick<ImageContext, "outputDir" | "urlPath">, bytes: Buffer, kind: "stats" | "crops" | "encoding"): string {
  const hash = createHash("sha256")
    .update(`${context.urlPath ?? DEFAULT_URL_PATH}\0`)
    .update(bytes)
    .digest("hex");
  return path.join(context.outputDir, "described", kind === "encoding" ? `${hash}.encoding` : `${hash}.${kind}.json`);
}

/** The value of the record in `file` made by this code, if there is one. */
async function readRecord<T>(file: string): Promise<T | undefined> {
  let record: PictureRecord<T>;
  try {
    record = JSON.parse(await readFile(file, "utf8")) as PictureRecord<T>;
  } catch (error) {
    // None yet, or one damaged outside a build (records are written whole): the picture is described again.
    if (error instanceof SyntaxError || (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return record.code === (await codeVersionKey()) ? record.value : undefined;
}

/** Keeps `value` as the record in `file` (written whole: a killed build leaves the old record or none). */
async function writeRecord<T>(file: string, value: T): Promise<void> {
  await writeWhole(file, JSON.stringify({ code: await codeVersionKey(), value } satisfies PictureRecord<T>));
}

export { isAbsoluteUrl, localImagePath };

/** Widths in pixels of the generated files. eleventy-img never upscales: a smaller original ends the set at its own width. */
export const IMAGE_WIDTHS: readonly number[] = [480, 800, 1200];

/** Output formats, most compact first; the last (JPEG) is the `<img>` fallback every browser and search result can show. */
export const IMAGE_FORMATS: readonly string[] = ["avif", "webp", "jpeg"];

/** URL folder of the generated files. Their names are content hashes, so this folder can be cached forever. */
export const DEFAULT_URL_PATH = "/img/";

/**
 * Rendered width of the lead image: the text column of `main` is 38rem, with 2rem of padding either
 * side on narrower screens (see `_includes/css/site.css`).
 */
export const LEAD_SIZES = "(min-width: 42rem) 38rem, calc(100vw - 4rem)";

/**
 * Rendered widths of pictures in listings: the front page's lead runs across the wide column (about
 * 46rem), other stories' thumbnails are a fixed small column on wide screens (see `.story` in the CSS).
 */
export const CARD_SIZES = {
  lead: "(min-width: 64rem) 46rem, calc(100vw - 2rem)",
  thumb: "(min-width: 40rem) 12rem, 7rem",
} as const;

/** Pagefind reads the result thumbnail and its alt text from these attributes of the `<img>`. */
export const PAGEFIND_META = "image[src], image_alt[alt]";

/** Where an image sits: the lead is above the fold and loads at once; anything below loads when scrolled to. */
export type Placement = "lead" | "below";

/** The picture fields of an article that this module renders. */
export interface ImageSource {
  src: string;
  alt: string;
}

/** Where to find the image and where to write what it becomes. */
export interface ImageContext {
  /** The article's path (Eleventy's `page.inputPath`); a relative `src` is beside it. */
  inputPath: string;
  /** The folder generated files are written to and reused from (the build cache, see {@link ImageStore}). */
  outputDir: string;
  /** URL folder of the generated files (default {@link DEFAULT_URL_PATH}). */
  urlPath?: string;
  /** Collects the path of every generated file a page uses, so that only those are published. */
  used?: { add(file: string): unknown };
  /**
   * The images already described in this build (see {@link ImageStore}): a picture shows on its article, its listings
   * and the articles it is related to, and eleventy-img hashes its options and checks its files on every call.
   */
  described?: Map<string, Promise<ImageMetadata>>;
}

/** One generated file, as eleventy-img describes it. */
export interface GeneratedImage {
  format: string;
  width: number;
  height: number;
  url: string;
  sourceType: string;
  srcset: string;
  /** The file's name: a hash of the source's bytes and the options, its width and format. */
  filename: string;
  outputPath: string;
}

/** eleventy-img's result: the generated files by format, each list by ascending width. */
export type ImageMetadata = Record<string, GeneratedImage[]>;

/** Loading hints: the lead is the largest paint of the page, so it is fetched first; the rest wait until near view. */
export function loadingAttributes(placement: Placement): Record<string, string> {
  return placement === "lead" ? { loading: "eager", fetchpriority: "high", decoding: "async" } : { loading: "lazy", decoding: "async" };
}

/**
 * eleventy-img options for one local image. File names are eleventy-img's content hash of the source
 * and encoder settings plus width and format, so unchanged images keep their names and files already
 * in the output folder are reused instead of encoded again.
 */
export function imageOptions(context: Pick<ImageContext, "outputDir" | "urlPath">) {
  const urlPath = context.urlPath ?? DEFAULT_URL_PATH;
  return {
    widths: [...IMAGE_WIDTHS],
    formats: [...IMAGE_FORMATS],
    outputDir: path.join(context.outputDir, urlPath),
    urlPath,
    // Keep an original narrower than the next width (e.g. 1000 px gives 480, 800, 1000) rather than stopping at 800.
    minimumThreshold: 1,
    // Camera photos are often stored sideways or upside down with an EXIF note; output files carry no EXIF.
    fixOrientation: true,
    // AVIF at sharp's default effort (4) took 4-16 times as long as effort 2 for files only 2-10% smaller;
    // an archive's first build encodes every photo, so the faster setting wins.
    sharpAvifOptions: { effort: 2 },
  };
}

/** Escapes a value for a double-quoted HTML attribute. */
export function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Encodings under way, by the files they write: concurrent asks for the same missing files share one. */
const encodings = new Map<string, Promise<void>>();

/**
 * Generates (or reuses) the files of a local image and returns eleventy-img's description of them. eleventy-img
 * names the files first (`statsOnly`, no encoding); only missing ones are encoded, in memory (`dryRun`), and
 * written whole. Letting eleventy-img write them itself would leave a truncated file under its final name when a
 * build is killed mid-encode, and the next build would reuse it.
 */
export async function generateImage(src: string, context: ImageContext, eleventyConfig?: UserConfig): Promise<ImageMetadata> {
  const file = localImagePath(src, context.inputPath);
  const memo = context.described;
  const key = [context.outputDir, context.urlPath ?? DEFAULT_URL_PATH, file].join("\0");
  let described = memo?.get(key);
  if (!described) {
    described = describeImage(file, context, eleventyConfig);
    memo?.set(key, described);
    // A failure is reported to every page waiting on it, and not remembered: the next page to ask tries again.
    described.catch(() => memo?.delete(key));
  }
  const stats = await described;
  for (const { outputPath } of Object.values(stats).flat()) context.used?.add(outputPath);
  return stats;
}

/** A description as recorded: without the files' paths, which name the cache folder (tests copy caches elsewhere). */
type RecordedMetadata = Record<string, Omit<GeneratedImage, "outputPath">[]>;

/** eleventy-img's description of the files of `file`, each file encoded and written first if it is missing. */
async function describeImage(file: string, context: ImageContext, eleventyConfig?: UserConfig): Promise<ImageMetadata> {
  // eleventy-img treats `eleventyConfig` as a hidden option: it logs progress through it and leaves it out of cache keys.
  const options = { ...imageOptions(context), ...(eleventyConfig ? { eleventyConfig } : {}) };
  const bytes = await readFile(file);
  const record = recordFile(context, bytes, "stats");
  const recorded = await readRecord<RecordedMetadata>(record);
  const stats: ImageMetadata = recorded
    ? Object.fromEntries(
        Object.entries(recorded).map(([format, files]) => [
          format,
          files.map((each) => ({ ...each, outputPath: path.join(options.outputDir, each.filename) })),
        ]),
      )
    : await (await pictureLibraries()).Image(file, { ...options, statsOnly: true });
  const files = Object.values(stats).flat();
  const missing = new Set(
    (await Promise.all(files.map(async ({ outputPath }) => ((await exists(outputPath)) ? [] : [outputPath])))).flat(),
  );
  if (missing.size > 0) {
    // Every page showing a picture asks for it, many at once when its files are missing: the first asker encodes and
    // writes them, the others wait for it (a thousand concurrent writes of the same files ran out of file handles).
    // The render parts of a build ask for the same pictures at once too (an article's page in one, its listings in
    // another), so the encoding is claimed across processes as well.
    const key = [...missing].sort().join("\0");
    let encoding = encodings.get(key);
    if (!encoding) {
      encoding = doOnce(recordFile(context, bytes, "encoding"), {
        done: async () => (await Promise.all([...missing].map((outputPath) => exists(outputPath)))).every(Boolean),
        work: async () => {
          const { Image } = await pictureLibraries();
          const encoded: Record<string, (GeneratedImage & { buffer?: Uint8Array })[]> = await Image(file, { ...options, dryRun: true });
          await Promise.all(
            Object.values(encoded)
              .flat()
              .filter(({ outputPath }) => missing.has(outputPath))
              .map(({ outputPath, buffer }) => {
                if (buffer === undefined) throw new Error(`eleventy-img gave no data for ${outputPath}`);
                return writeWhole(outputPath, buffer);
              }),
          );
        },
      }).finally(() => encodings.delete(key));
      encodings.set(key, encoding);
    }
    await encoding;
  }
  if (!recorded) {
    await writeRecord<RecordedMetadata>(
      record,
      Object.fromEntries(Object.entries(stats).map(([format, files]) => [format, files.map(({ outputPath: _, ...rest }) => rest)])),
    );
  }
  return stats;
}

/**
 * Markup for an article image. A local file becomes a `<picture>` with AVIF and WebP sources and a JPEG
 * `<img>` carrying width, height and the Pagefind thumbnail attributes; an absolute URL is shown as a
 * plain `<img>`, never fetched. Alt text is escaped either way.
 */
export async function renderImage(
  image: ImageSource,
  context: ImageContext,
  placement: Placement = "lead",
  eleventyConfig?: UserConfig,
): Promise<string> {
  const attributes = { alt: image.alt, ...loadingAttributes(placement), "data-pagefind-meta": PAGEFIND_META };
  if (isAbsoluteUrl(image.src)) {
    const html = Object.entries({ src: image.src, ...attributes }).map(([name, value]) => `${name}="${escapeAttribute(value)}"`);
    return `<img ${html.join(" ")}>`;
  }
  const metadata = await generateImage(image.src, context, eleventyConfig);
  const generateHTML = await pictureMarkup();
  // generateHTML escapes alt itself; the other values are constants or URLs it made from hashes.
  return generateHTML(metadata, { ...attributes, sizes: LEAD_SIZES });
}

/**
 * URL of the largest JPEG of a local image (for `og:image` and similar), or the `src` itself when it
 * is an absolute URL.
 */
export async function largestImageUrl(src: string, context: ImageContext, eleventyConfig?: UserConfig): Promise<string> {
  if (isAbsoluteUrl(src)) return src;
  const jpegs = (await generateImage(src, context, eleventyConfig)).jpeg ?? [];
  const largest = jpegs.at(-1);
  if (largest === undefined) throw new Error(`no JPEG was generated from ${src}`);
  return largest.url;
}

/** Picture sizes in listings: a wide lead or a small thumbnail. */
export type CardSize = keyof typeof CARD_SIZES;

/**
 * A picture of an article in a listing (the front page, a topic, author, section or date page). Only
 * local files are shown: a listing has many pictures, and one from a remote host could neither be sized
 * (no width and height, so the page would shift) nor be trusted to load. Not indexed by Pagefind
 * (listings are not searchable) and decorative (`alt=""`): the headline beside it names the story.
 */
export async function renderCardImage(
  src: string,
  context: ImageContext,
  size: CardSize,
  placement: Placement,
  eleventyConfig?: UserConfig,
): Promise<string> {
  if (isAbsoluteUrl(src)) return "";
  const metadata = await generateImage(src, context, eleventyConfig);
  // A story shows on its listing pages (its topics, authors, section, month and year, the latest): the same markup
  // each time for one description, so it is made once.
  const markups = cardMarkups.get(metadata) ?? new Map<string, string>();
  cardMarkups.set(metadata, markups);
  const key = `${size} ${placement}`;
  const known = markups.get(key);
  if (known !== undefined) return known;
  const generateHTML = await pictureMarkup();
  const html = generateHTML(metadata, {
    alt: "",
    class: `card-image card-image--${size}`,
    sizes: CARD_SIZES[size],
    ...loadingAttributes(placement),
  });
  markups.set(key, html);
  return html;
}

/** Listing markup by description (which a build keeps while it renders), size and placement. */
const cardMarkups = new WeakMap<ImageMetadata, Map<string, string>>();

/** A JPEG rendition of an article's picture with everything a feed enclosure or JSON Feed `image` needs. */
export interface FeedImage {
  /** Site path, e.g. `/img/abc-800.jpeg`. */
  url: string;
  width: number;
  height: number;
  /** Size in bytes (Atom's `length`). */
  length: number;
  type: "image/jpeg";
}

/** Width of the picture feeds carry: wide enough for a reader's article view, light enough for a feed of 50. */
export const FEED_IMAGE_WIDTH = 800;

/**
 * The JPEG rendition that feeds carry (the widest no wider than {@link FEED_IMAGE_WIDTH}), with its
 * byte size; `undefined` for an absolute `src`, which feeds do not carry since its size is unknown.
 */
export async function feedImage(src: string, context: ImageContext, eleventyConfig?: UserConfig): Promise<FeedImage | undefined> {
  if (isAbsoluteUrl(src)) return undefined;
  const jpegs = (await generateImage(src, context, eleventyConfig)).jpeg ?? [];
  const chosen = jpegs.filter((file) => file.width <= FEED_IMAGE_WIDTH).at(-1) ?? jpegs[0];
  if (chosen === undefined) throw new Error(`no JPEG was generated from ${src}`);
  const { size } = await stat(chosen.outputPath);
  return { url: chosen.url, width: chosen.width, height: chosen.height, length: size, type: "image/jpeg" };
}

/** An aspect ratio Google asks for in an article's structured data. */
export interface CropRatio {
  /** Short name used in file names, e.g. `16x9`. */
  name: string;
  width: number;
  height: number;
}

/** Google's recommended aspect ratios for an article's `image` (16:9, 4:3, 1:1), widest first. */
export const CROP_RATIOS: readonly CropRatio[] = [
  { name: "16x9", width: 16, height: 9 },
  { name: "4x3", width: 4, height: 3 },
  { name: "1x1", width: 1, height: 1 },
];

/** Widest crop written: Google asks for at least 1200 px for large previews; wider buys nothing. */
export const CROP_MAX_WIDTH = 1200;

/** A centred crop of a picture, as a published JPEG. */
export interface Crop {
  ratio: string;
  url: string;
  width: number;
  height: number;
}

/**
 * The centred crop rectangle of `ratio` from a `width` × `height` original, and the output size: at
 * most {@link CROP_MAX_WIDTH} wide and never enlarged. Pure, so the geometry is tested without encoding.
 */
export function cropGeometry(
  width: number,
  height: number,
  ratio: CropRatio,
): { left: number; top: number; width: number; height: number; outWidth: number; outHeight: number } {
  const cropWidth = Math.min(width, Math.floor((height * ratio.width) / ratio.height));
  const cropHeight = Math.min(height, Math.floor((cropWidth * ratio.height) / ratio.width));
  const outWidth = Math.min(cropWidth, CROP_MAX_WIDTH);
  const outHeight = Math.round((outWidth * ratio.height) / ratio.width);
  return {
    left: Math.floor((width - cropWidth) / 2),
    top: Math.floor((height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
    outWidth,
    outHeight,
  };
}

/**
 * Centred 16:9, 4:3 and 1:1 JPEG crops of a local picture, for the article's JSON-LD. Files are named by
 * a hash of the original's bytes and the crop, so an unchanged picture keeps its URLs and a crop already
 * in the output folder is reused rather than encoded again; a new file is written under a temporary
 * name and renamed, so an interrupted build never leaves half a JPEG behind a final name.
 */
export async function imageCrops(src: string, context: ImageContext): Promise<Crop[]> {
  if (isAbsoluteUrl(src)) return [];
  const file = localImagePath(src, context.inputPath);
  // Size and modification time in the key, so a picture replaced under `npm start` is cropped again.
  const { size, mtimeMs } = await stat(file);
  const key = [file, size, mtimeMs, context.outputDir, context.urlPath ?? DEFAULT_URL_PATH].join("\0");
  let crops = cropsByFile.get(key);
  if (!crops) {
    crops = writeCrops(file, context);
    cropsByFile.set(key, crops);
  }
  const written = await crops;
  for (const crop of written) context.used?.add(path.join(context.outputDir, crop.url));
  return written;
}

/**
 * Crops per picture file and output folder, for the process's life: many articles may share one picture
 * (the demo archive's do), and decoding it again for each would cost more than the rest of their pages.
 */
const cropsByFile = new Map<string, Promise<Crop[]>>();

async function writeCrops(file: string, context: ImageContext): Promise<Crop[]> {
  const original = await readFile(file);
  const urlPath = context.urlPath ?? DEFAULT_URL_PATH;
  const folder = path.join(context.outputDir, urlPath);
  const record = recordFile(context, original, "crops");
  const recorded = await readRecord<Crop[]>(record);
  if (recorded && (await Promise.all(recorded.map((crop) => exists(path.join(context.outputDir, crop.url))))).every(Boolean)) {
    return recorded;
  }
  const { sharp } = await pictureLibraries();
  // EXIF orientation decides which side is the width.
  const oriented = await sharp(original).rotate().toBuffer({ resolveWithObject: true });
  const { width, height } = oriented.info;
  const digest = createHash("sha256").update(original).digest("base64url").slice(0, 10);
  await mkdir(folder, { recursive: true });
  const crops = await Promise.all(
    CROP_RATIOS.map(async (ratio) => {
      const geometry = cropGeometry(width, height, ratio);
      const name = `${digest}-${ratio.name}-${geometry.outWidth}.jpeg`;
      const target = path.join(folder, name);
      if (!(await exists(target))) {
        const temporary = `${target}.${process.pid}.tmp`;
        await sharp(oriented.data)
          .extract({ left: geometry.left, top: geometry.top, width: geometry.width, height: geometry.height })
          .resize({ width: geometry.outWidth, height: geometry.outHeight, fit: "fill" })
          .jpeg({ quality: 80, mozjpeg: true })
          .toFile(temporary);
        await rename(temporary, target);
      }
      return { ratio: ratio.name, url: `${urlPath}${name}`, width: geometry.outWidth, height: geometry.outHeight };
    }),
  );
  if (!recorded) await writeRecord(record, crops);
  return crops;
}

/**
 * The encoded pictures of one build: encoded into a persistent cache folder (`.cache/broadsheet/`, reused by every
 * later build, so `_site/` need not be kept), and published into the output by hard link, only those that this
 * build's pages use: a picture of a retracted article is never published again.
 */
export class ImageStore {
  #used = new Set<string>();
  /** The files each page used, by page URL: the build's page cache keeps them with the page. */
  #byPage = new Map<string, Set<string>>();
  #kept = new Set<string>();
  /** Output files {@link publish} put in place since the build started: a build in several Eleventy runs looks once. */
  #published = new Set<string>();
  /** Images described since the build started (see {@link ImageContext.described}); a rebuild sees replaced pictures. */
  #described = new Map<string, Promise<ImageMetadata>>();

  /** `cacheDir` holds the encoded files under `urlPath`, as the site serves them. */
  constructor(
    readonly cacheDir: string,
    readonly urlPath: string = DEFAULT_URL_PATH,
  ) {}

  /** Forgets the files the previous build used (`npm start` rebuilds in one process). */
  startBuild(): void {
    this.#used = new Set();
    this.#byPage = new Map();
    this.#published = new Set();
    this.#described = new Map();
  }

  /** The context of a page (at `pageUrl`) that shows the picture of the article at `inputPath`. */
  context(inputPath: string, pageUrl?: string): ImageContext {
    const used = this.#used;
    const own = pageUrl === undefined ? undefined : this.#filesOf(pageUrl);
    return {
      inputPath,
      outputDir: this.cacheDir,
      urlPath: this.urlPath,
      described: this.#described,
      used: {
        add: (file: string) => {
          used.add(file);
          own?.add(file);
        },
      },
    };
  }

  /** Records that the page at `pageUrl` uses `files` (a feed carrying an entry's picture made for another feed). */
  record(pageUrl: string, files: Iterable<string>): void {
    const own = this.#filesOf(pageUrl);
    for (const file of files) {
      this.#used.add(file);
      own.add(file);
    }
  }

  /** The set of files the page at `pageUrl` uses, made on first use. */
  #filesOf(pageUrl: string): Set<string> {
    let files = this.#byPage.get(pageUrl);
    if (!files) {
      files = new Set();
      this.#byPage.set(pageUrl, files);
    }
    return files;
  }

  /** The files the page at `pageUrl` used in this build, sorted. */
  usedBy(pageUrl: string): string[] {
    return [...(this.#byPage.get(pageUrl) ?? [])].sort();
  }

  /**
   * Publishes `files` with the ones this build's pages use: the pictures of pages the build takes from its page cache
   * instead of rendering them. Set before Eleventy starts, so {@link startBuild} keeps them.
   */
  keep(files: Iterable<string>): void {
    for (const file of files) this.#kept.add(file);
  }

  /** Links every file this build used into `outputDir` (copies where hard links cannot be made). */
  async publish(outputDir: string): Promise<void> {
    const folder = path.join(outputDir, this.urlPath);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      [...new Set([...this.#used, ...this.#kept])].sort().map(async (file) => {
        const target = path.join(folder, path.basename(file));
        if (this.#published.has(target)) return;
        // Names are content hashes: a file already there (a preview rebuild's, or one a render part of the same build
        // linked first) is this one.
        if (!(await exists(target))) {
          await linkOrCopy(file, target).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== "EEXIST") throw error;
          });
        }
        this.#published.add(target);
      }),
    );
  }
}

/** The parts of an article that listing pictures and feeds read. */
export type ImageArticle = ArticleView<"image", "inputPath">;

/** What Eleventy gives a shortcode or filter as `this`. */
interface TemplateContext {
  page: { inputPath: string; url: string | false };
  eleventy: { directories: { output: string } };
}

function requireText(value: unknown, what: string, inputPath: string): string {
  if (typeof value !== "string" || value === "") throw new Error(`${inputPath}: ${what} must be non-empty text`);
  return value;
}

/**
 * Adds the `articleImage` shortcode (`{% articleImage image.src, image.alt %}`, optional third argument
 * `"below"` for lazy loading), the `imageUrl` filter (`{{ image.src | imageUrl }}`) and the `imageCrops`
 * filter (the JSON-LD crops), all resolving a relative `src` beside the page's source file, and the
 * `cardPictures` filter (`{% set pictures = articles | cardPictures("thumb", "below") %}`) for the pictures of a list of
 * articles in a listing, as markup Nunjucks does not escape.
 */
export function registerImages(eleventyConfig: UserConfig, options: { store: ImageStore; freshEachRun: boolean }): void {
  const { store } = options;
  const contextOf = (template: TemplateContext): ImageContext =>
    store.context(template.page.inputPath, template.page.url === false ? undefined : template.page.url);
  // A build's pages may be rendered in several Eleventy runs, whose pictures all count; `npm start` rebuilds anew.
  if (options.freshEachRun) eleventyConfig.on("eleventy.before", () => store.startBuild());
  eleventyConfig.on("eleventy.after", async ({ directories }: { directories: { output: string } }) => store.publish(directories.output));
  eleventyConfig.addShortcode(
    "articleImage",
    async function (this: TemplateContext, src: unknown, alt: unknown, placement: Placement = "lead") {
      const { inputPath } = this.page;
      const image = { src: requireText(src, "image.src", inputPath), alt: requireText(alt, "image.alt", inputPath) };
      return renderImage(image, contextOf(this), placement, eleventyConfig);
    },
  );
  eleventyConfig.addAsyncFilter("imageUrl", async function (this: TemplateContext, src: unknown) {
    return largestImageUrl(requireText(src, "image.src", this.page.inputPath), contextOf(this), eleventyConfig);
  });
  // Nunjucks marks markup as safe with its own string type, which only its environment makes.
  let markSafe: ((html: string) => unknown) | undefined;
  eleventyConfig.amendLibrary("njk", (environment: { getFilter(name: string): (html: string) => unknown }) => {
    markSafe = environment.getFilter("safe");
  });
  // Listings show other pages' articles: their pictures resolve beside the article's own file. A list's pictures are
  // made together (see _includes/partials/story.njk): one entry per article, empty where it has none or a remote one.
  eleventyConfig.addAsyncFilter(
    "cardPictures",
    async function (this: TemplateContext, articles: readonly ImageArticle[], size: CardSize, placement: Placement) {
      const safe = markSafe;
      if (safe === undefined) throw new Error("cardPictures: the Nunjucks environment was never set up");
      const context = contextOf(this);
      return Promise.all(
        articles.map(async (article) => {
          const src = article.data.image?.src;
          if (src === undefined) return "";
          return safe(await renderCardImage(src, { ...context, inputPath: article.inputPath }, size, placement, eleventyConfig));
        }),
      );
    },
  );
  eleventyConfig.addFilter("isAbsoluteUrl", isAbsoluteUrl);
  eleventyConfig.addAsyncFilter("imageCrops", async function (this: TemplateContext, src: unknown) {
    return imageCrops(requireText(src, "image.src", this.page.inputPath), contextOf(this));
  });
}
