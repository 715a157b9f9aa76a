// Builds the Eleventy peer (eleventy.config.ts): `node --import tsx scripts/bench/eleventy/build.ts ARTICLES_DIR OUTPUT_DIR`.
// Eleventy prints its own summary ("Wrote N files in …"), which the bench reads for the page count.
import path from "node:path";
import { fileURLToPath } from "node:url";
import Eleventy from "@11ty/eleventy";

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) throw new Error("usage: build.ts ARTICLES_DIR OUTPUT_DIR");
const configPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "eleventy.config.ts");
await new Eleventy(input, output, { configPath, quietMode: true }).write();
