// The check every new or imported article passes before it is written: the same as `npm run check` makes of it.
import path from "node:path";
import type { Directory } from "../archive/directory.ts";
import { type CheckedArticle, type Problem, checkArticleText, findNameProblems, findUrlProblems } from "../validation/index.ts";

/**
 * What `npm run check` would report about this one article: its front matter (schema), its authors and section
 * (against the directory read from `dataDir`) and its topics. Empty when the article may be written.
 */
export function articleProblems(file: string, text: string, directory: Directory, dataDir: string): Problem[] {
  const checked = checkArticleText(file, text);
  const known = { authors: directory.authors.map((author) => author.name), sections: directory.sections.map((section) => section.name) };
  return [...checked.problems, ...findNameProblems(checked, known, dataDir)];
}

/**
 * The URL clashes `npm run check` would report once `added` articles join `archive` (articles already read
 * from the folder they are written to): only problems of the added articles, each naming the existing file.
 * An added article replaces an archive file of the same path, as a forced import does.
 */
export function urlClashes(
  archive: readonly CheckedArticle[],
  added: readonly { file: string; text: string }[],
  timezone: string,
): Problem[] {
  const addedFiles = new Set(added.map(({ file }) => path.resolve(file)));
  const kept = archive.filter(({ file }) => !addedFiles.has(path.resolve(file)));
  const checked = added.map(({ file, text }) => checkArticleText(file, text));
  return findUrlProblems([...kept, ...checked], timezone).filter(({ file }) => addedFiles.has(path.resolve(file)));
}
