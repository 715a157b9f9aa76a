// The check every new or imported article passes before it is written: the same as `npm run check` makes of it.
import type { Directory } from "../archive/directory.ts";
import { type Problem, checkArticleText, findNameProblems } from "../validation/index.ts";

/**
 * What `npm run check` would report about this one article: its front matter (schema), its authors and section
 * (against the directory read from `dataDir`) and its topics. Empty when the article may be written.
 */
export function articleProblems(file: string, text: string, directory: Directory, dataDir: string): Problem[] {
  const checked = checkArticleText(file, text);
  return [...checked.problems, ...findNameProblems(checked, directory, dataDir)];
}
