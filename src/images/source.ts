// Where an article's image may live: an http(s) URL, or a readable image file inside the articles folder. The one
// place of that rule, shared by the image plugin and validation; the image decoder is loaded only to check a local file.
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Metadata } from "sharp";

/** True for `src` values that are URLs (`https://…`, any scheme) rather than files beside the article. */
export function isAbsoluteUrl(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(src);
}

/** The file a relative `src` names: relative to the article's folder. */
export function localImagePath(src: string, inputPath: string): string {
  return path.resolve(path.dirname(inputPath), src);
}

/** C0 control characters and DEL: never meant in a path or URL, and a NUL ends a file name mid-write. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** The only URL schemes a reader's browser may be sent to: anything else (`javascript:`, `data:`, `file:`) is refused. */
export function isWebUrl(value: string): boolean {
  return URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol);
}

/** Image formats the build encodes (sharp's names); AVIF is reported as HEIF compressed with AV1. */
const READABLE_FORMATS = new Set(["jpeg", "png", "webp", "gif", "tiff"]);

const WHERE = "an image is a file in the articles folder, written relative to the article (e.g. photo.jpg beside it), or an https:// URL";

/**
 * What is wrong with an `image.src` on its face, before any file is looked at (to follow the quoted `src` in a
 * message), or undefined: a URL must be http(s) and well formed; a path must be relative and free of control characters.
 */
export function imageSourceError(src: string): string | undefined {
  if (CONTROL_CHARACTER.test(src)) return `contains a control character (U+${controlCode(src)}); remove it`;
  if (isAbsoluteUrl(src)) {
    if (!URL.canParse(src)) return `is not a valid URL; ${WHERE}`;
    const { protocol } = new URL(src);
    return protocol === "http:" || protocol === "https:" ? undefined : `uses the ${protocol} scheme, which is not allowed; ${WHERE}`;
  }
  if (src.startsWith("//")) return `has no scheme; write the URL in full, e.g. https:${src}`;
  if (path.posix.isAbsolute(src) || path.win32.isAbsolute(src)) return `is an absolute path; ${WHERE}`;
  return undefined;
}

/** The first control character of `text` as four hex digits, for messages. */
export function controlCode(text: string): string {
  return (text.match(CONTROL_CHARACTER)?.[0] ?? "\u0000").charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
}

/** Where a local image is and what to say about it. */
export interface LocalImageQuery {
  /** The `image.src` as written: a relative path (URLs are not looked up). */
  src: string;
  /** The article's file; `src` is relative to its folder. */
  articleFile: string;
  /** The articles folder: the image must be inside it, symbolic links followed. */
  articlesDir: string;
  /**
   * Reads the format of an image file inside the folder (default {@link imageFormatOf}; a build passes one that
   * remembers unchanged files between builds, `src/validation/images.ts`).
   */
  formatOf?: ((file: string) => Promise<string>) | undefined;
  /** Folder that paths in messages are relative to. */
  cwd: string;
}

/**
 * Checks that a relative `image.src` is a readable image inside the articles folder: it must not climb out
 * with `..`, nor be a symbolic link to a file outside, must exist, and must be an image the encoder reads
 * (checked with sharp, the encoder's own library, from the file's header). Returns what is wrong (to follow
 * the quoted `src` in a message), or undefined.
 */
export async function localImageError(query: LocalImageQuery): Promise<string | undefined> {
  const target = localImagePath(query.src, query.articleFile);
  const root = path.resolve(query.articlesDir);
  const shown = (file: string): string => path.relative(query.cwd, file) || ".";
  if (!isInside(target, root))
    return `leads out of the articles folder ${shown(root)} (to ${shown(target)}); put the photo in that folder, beside the article`;
  let real: string;
  try {
    real = await realpath(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      return `is not a file beside the article (looked for ${shown(target)}); fix the path or use an absolute URL`;
    return `cannot be read (${(error as Error).message}); fix the file or the path`;
  }
  if (!isInside(real, await realpath(root)))
    return `is a link to ${real}, outside the articles folder; copy the photo into the folder instead of linking to it`;
  if (!(await stat(real)).isFile()) return `is a folder, not an image file; name the photo itself`;
  let format: string;
  try {
    format = await (query.formatOf ?? imageFormatOf)(real);
  } catch (error) {
    if (!(error instanceof UnreadableImageError)) throw error;
    return `is not an image that can be read (${error.message}); use a JPEG, PNG, WebP, AVIF, GIF or TIFF file`;
  }
  if (format === "avif" || READABLE_FORMATS.has(format)) return undefined;
  return `is in ${format.toUpperCase()} format, which the build does not take; export it as JPEG (the build takes JPEG, PNG, WebP, AVIF, GIF and TIFF)`;
}

/** A file the image decoder cannot read: its message is the decoder's. */
export class UnreadableImageError extends Error {}

/**
 * The format of the image `file` (sharp's name, AVIF as "avif"), read from its header by sharp, the encoder's own
 * library; a file it cannot read throws an {@link UnreadableImageError}.
 */
export async function imageFormatOf(file: string): Promise<string> {
  const { default: sharp } = await import("sharp");
  let metadata: Metadata;
  try {
    metadata = await sharp(file).metadata();
  } catch (error) {
    throw new UnreadableImageError((error as Error).message);
  }
  return metadata.format === "heif" ? (metadata.compression === "av1" ? "avif" : "heic") : metadata.format;
}

/** True when `file` is `folder` itself or inside it. */
function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === "" || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative));
}
