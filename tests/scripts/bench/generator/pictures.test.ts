import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  DEMO_PICTURE_COUNT,
  DEMO_PICTURE_SIZE,
  demoPictureFor,
  demoPictureJpeg,
  demoPictureSvg,
  seededRandom,
} from "../../../../scripts/bench/generator/pictures.ts";

describe("seededRandom", () => {
  it("draws the same numbers for the same seed and others for another, all in [0, 1)", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    for (const value of draw(9)) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe("demo pictures", () => {
  it("are distinct scenes for one seed and the same scene for the same seed", () => {
    const scenes = Array.from({ length: DEMO_PICTURE_COUNT }, (_, index) => demoPictureSvg(index, 1));
    expect(new Set(scenes).size).toBe(DEMO_PICTURE_COUNT);
    expect(demoPictureSvg(2, 1)).toBe(scenes[2]);
    expect(demoPictureSvg(2, 2)).not.toBe(scenes[2]);
  });

  it("encode to a 1600 x 900 JPEG, byte for byte the same each time", async () => {
    const [first, second] = await Promise.all([demoPictureJpeg(0, 1), demoPictureJpeg(0, 1)]);
    expect(first.equals(second)).toBe(true);
    const metadata = await sharp(first).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(["jpeg", DEMO_PICTURE_SIZE.width, DEMO_PICTURE_SIZE.height]);
    expect(first.length).toBeLessThan(100_000);
  });

  it("are chosen per article by its slug, spread over every picture", () => {
    const chosen = new Set(Array.from({ length: 200 }, (_, index) => demoPictureFor(`story-${index}`)));
    expect(demoPictureFor("a-slug")).toBe(demoPictureFor("a-slug"));
    expect(chosen.size).toBe(DEMO_PICTURE_COUNT);
  });
});
