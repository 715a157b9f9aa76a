// A problem an editor must fix, and its one printed form; shared by article, directory and link checks.

/** One thing wrong with one file, located well enough for an editor to fix it. */
export interface Problem {
  /** Path of the file relative to the project, e.g. `articles/2013/story.md` or `_data/authors.yaml`. */
  file: string;
  line: number;
  /** Front matter field (or entry and field of a data file), or `front matter` for problems with the block as a whole. */
  field: string;
  message: string;
}

/** Formats a problem as `file:line: field: message`, readable by editors and CI annotations. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.field}: ${problem.message}`;
}
