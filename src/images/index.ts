// Article images: local files become responsive srcset sets with @11ty/eleventy-img; absolute URLs pass through.
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import Image, { generateHTML } from "@11ty/eleventy-img";
import { isAbsoluteUrl, localImagePath } from "./source.ts";

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
  /** The site's output folder, e.g. `_site`. */
  outputDir: string;
  /** URL folder of the generated files (default {@link DEFAULT_URL_PATH}). */
  urlPath?: string;
}

/** One generated file, as eleventy-img describes it. */
export interface GeneratedImage {
  format: string;
  width: number;
  height: number;
  url: string;
  sourceType: string;
  srcset: string;
  outputPath: string;
}

/** eleventy-img's result: the generated files by format, each list by ascending width. */
export type ImageMetadata = Record<string, GeneratedImage[]>;

/** Loading hints: the lead is the largest paint of the page, so it is fetched first; the rest wait until near view. */
export function loadingAttributes(placement: Placement): Record<string, string> {
  return placement === "lead"
    ? { loading: "eager", fetchpriority: "high", decoding: "async" }
    : { loading: "lazy", decoding: "async" };
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

/** Generates (or reuses) the files of a local image and returns eleventy-img's description of them. */
export async function generateImage(src: string, context: ImageContext, eleventyConfig?: UserConfig): Promise<ImageMetadata> {
  // eleventy-img treats `eleventyConfig` as a hidden option: it logs progress through it and leaves it out of cache keys.
  return Image(localImagePath(src, context.inputPath), { ...imageOptions(context), ...(eleventyConfig ? { eleventyConfig } : {}) });
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

/** What Eleventy gives a shortcode or filter as `this`. */
interface TemplateContext {
  page: { inputPath: string };
  eleventy: { directories: { output: string } };
}

function requireText(value: unknown, what: string, inputPath: string): string {
  if (typeof value !== "string" || value === "") throw new Error(`${inputPath}: ${what} must be non-empty text`);
  return value;
}

/**
 * Adds the `articleImage` shortcode (`{% articleImage image.src, image.alt %}`, optional third argument
 * `"below"` for lazy loading) and the `imageUrl` filter (`{{ image.src | imageUrl }}`), both resolving
 * a relative `src` beside the page's source file.
 */
export function registerImages(eleventyConfig: UserConfig, options: { urlPath?: string } = {}): void {
  const contextOf = (template: TemplateContext): ImageContext => ({
    inputPath: template.page.inputPath,
    outputDir: template.eleventy.directories.output,
    urlPath: options.urlPath,
  });
  eleventyConfig.addShortcode("articleImage", async function (this: TemplateContext, src: unknown, alt: unknown, placement: Placement = "lead") {
    const { inputPath } = this.page;
    const image = { src: requireText(src, "image.src", inputPath), alt: requireText(alt, "image.alt", inputPath) };
    return renderImage(image, contextOf(this), placement, eleventyConfig);
  });
  eleventyConfig.addAsyncFilter("imageUrl", async function (this: TemplateContext, src: unknown) {
    return largestImageUrl(requireText(src, "image.src", this.page.inputPath), contextOf(this), eleventyConfig);
  });
}
