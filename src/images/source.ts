// Where an article's image lives: an absolute URL, or a file beside the article. Shared by the image
// plugin and validation, which must agree, and kept free of the image encoder so `npm run check` stays light.
import path from "node:path";

/** True for `src` values that are URLs (`https://…`, any scheme) rather than files beside the article. */
export function isAbsoluteUrl(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(src);
}

/** The file a relative `src` names: relative to the article's folder. */
export function localImagePath(src: string, inputPath: string): string {
  return path.resolve(path.dirname(inputPath), src);
}
