// `node --import tsx scripts/bench/floor-cli.ts <articlesDir> <outDir>`: runs the floor work in a fresh
// process for the bench and prints its FloorResult as one JSON line.
import { measureFloor } from "./floor.ts";

const [articlesDir, outDir] = process.argv.slice(2);
if (!articlesDir || !outDir) throw new Error("usage: floor-cli.ts <articlesDir> <outDir>");
process.stdout.write(`${JSON.stringify(await measureFloor(articlesDir, outDir))}\n`);
