// `npm run check`: validates every article without building, printing file:line: field: message lines.
import site from "../_data/site.ts";
import { formatProblem, validateArchive } from "../src/validation/index.ts";

const dir = process.argv[2] ?? process.env.ARTICLES_DIR ?? "articles";
const problems = await validateArchive(dir, { timezone: site.timezone, dataDir: process.env.DATA_DIR ?? "_data" });
for (const problem of problems) console.error(formatProblem(problem));
const files = new Set(problems.map((problem) => problem.file)).size;
console.log(problems.length === 0 ? `check: all articles in ${dir} are valid` : `check: ${problems.length} problem(s) in ${files} article(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
