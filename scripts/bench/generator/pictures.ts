// Demo pictures: a handful of seeded landscape and city scenes drawn as SVG and encoded to JPEG with sharp, written
// beside a generated archive so its articles' pictures go through the real image pipeline, with no remote host.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

/** Distinct pictures per archive: enough for a front page to look varied, few enough to encode in seconds. */
export const DEMO_PICTURE_COUNT = 8;

/** Size of a demo picture: 16:9 and as wide as the widest rendition, so every width and crop is produced. */
export const DEMO_PICTURE_SIZE = { width: 1600, height: 900 } as const;

/** Folder of the pictures inside the archive's articles folder; articles in `YYYY/` name them as `../pictures/…`. */
export const DEMO_PICTURE_FOLDER = "pictures";

/** A small deterministic generator (mulberry32): the same seed always draws the same scene. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sky palettes: dawn, noon, dusk, overcast, night; each a top and horizon colour and a land tint. */
const PALETTES: readonly { sky: [string, string]; land: string; sun: string }[] = [
  { sky: ["#f6c89f", "#fbe7c6"], land: "#5b4a3f", sun: "#fff4d6" },
  { sky: ["#4f8fd6", "#bfe0f7"], land: "#3f6b45", sun: "#fffbe0" },
  { sky: ["#3b2c5e", "#f08a5d"], land: "#2a2438", sun: "#ffd07a" },
  { sky: ["#8d99a6", "#d5dbe0"], land: "#4c5660", sun: "#eef1f3" },
  { sky: ["#0f1b33", "#2e4a7a"], land: "#0b1220", sun: "#f4f1de" },
];

/** The file name of demo picture `index`. */
export function demoPictureName(index: number): string {
  return `scene-${index + 1}.jpg`;
}

/** Which demo picture an article shows: a hash of its slug, so adding pictures never reshuffles the articles. */
export function demoPictureFor(slug: string): number {
  let hash = 2166136261;
  for (const character of slug) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619);
  return (hash >>> 0) % DEMO_PICTURE_COUNT;
}

/** Ridge line of hills or mountains across the picture, as SVG polygon points closed along the bottom. */
function ridge(random: () => number, base: number, height: number, steps: number, width: number, bottom: number): string {
  const points: string[] = [`0,${bottom}`];
  for (let step = 0; step <= steps; step += 1) {
    const x = Math.round((step / steps) * width);
    points.push(`${x},${Math.round(base - random() * height)}`);
  }
  points.push(`${width},${bottom}`);
  return points.join(" ");
}

/** The SVG of demo picture `index` for `seed`: sky, sun, two ridges, a skyline on every other scene and water. */
export function demoPictureSvg(index: number, seed: number): string {
  const random = seededRandom(seed * 1000 + index);
  const { width, height } = DEMO_PICTURE_SIZE;
  const palette = PALETTES[index % PALETTES.length] ?? PALETTES[0];
  if (palette === undefined) throw new Error("no palettes");
  const horizon = Math.round(height * (0.55 + random() * 0.15));
  const sun = {
    x: Math.round(width * (0.15 + random() * 0.7)),
    y: Math.round(horizon * (0.3 + random() * 0.4)),
    r: Math.round(40 + random() * 60),
  };
  const shapes: string[] = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.sky[0]}"/><stop offset="1" stop-color="${palette.sky[1]}"/></linearGradient></defs>`,
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>`,
    `<circle cx="${sun.x}" cy="${sun.y}" r="${sun.r}" fill="${palette.sun}" opacity="0.9"/>`,
    `<polygon points="${ridge(random, horizon - 20, 220, 9, width, height)}" fill="${palette.land}" opacity="0.55"/>`,
  ];
  if (index % 2 === 1) {
    // A city skyline with lit windows.
    for (let x = 0; x < width;) {
      const towerWidth = Math.round(50 + random() * 110);
      const towerHeight = Math.round(80 + random() * 320);
      shapes.push(`<rect x="${x}" y="${horizon - towerHeight}" width="${towerWidth}" height="${towerHeight + 4}" fill="${palette.land}"/>`);
      for (let wy = horizon - towerHeight + 16; wy < horizon - 16; wy += 28) {
        for (let wx = x + 10; wx < x + towerWidth - 14; wx += 22) {
          if (random() < 0.35) shapes.push(`<rect x="${wx}" y="${wy}" width="9" height="13" fill="${palette.sun}" opacity="0.7"/>`);
        }
      }
      x += towerWidth + Math.round(random() * 24);
    }
  } else {
    shapes.push(`<polygon points="${ridge(random, horizon + 30, 120, 14, width, height)}" fill="${palette.land}"/>`);
  }
  shapes.push(`<rect y="${horizon}" width="${width}" height="${height - horizon}" fill="${palette.land}" opacity="0.85"/>`);
  shapes.push(
    `<rect y="${Math.round(horizon + (height - horizon) * 0.35)}" width="${width}" height="${height}" fill="${palette.sky[0]}" opacity="0.35"/>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${shapes.join("")}</svg>`;
}

/** Encodes demo picture `index` as a JPEG (same seed, same bytes). */
export function demoPictureJpeg(index: number, seed: number): Promise<Buffer> {
  return sharp(Buffer.from(demoPictureSvg(index, seed)))
    .jpeg({ quality: 78, mozjpeg: true })
    .toBuffer();
}

/** Writes every demo picture into `articlesDir/pictures/`; returns their paths. */
export async function writeDemoPictures(articlesDir: string, seed: number): Promise<string[]> {
  const folder = path.join(articlesDir, DEMO_PICTURE_FOLDER);
  await mkdir(folder, { recursive: true });
  return Promise.all(
    Array.from({ length: DEMO_PICTURE_COUNT }, async (_, index) => {
      const file = path.join(folder, demoPictureName(index));
      await writeFile(file, await demoPictureJpeg(index, seed));
      return file;
    }),
  );
}
