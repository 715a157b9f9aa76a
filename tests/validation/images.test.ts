// The picture formats kept between builds: an unchanged picture is not opened again, a changed or new one is, and a
// picture changed just before its check is checked again next time.
import { copyFile, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UnreadableImageError } from "../../src/images/source.ts";
import { ImageFormatMemo } from "../../src/validation/images.ts";
import { testTmpdir } from "../helpers/tmp.ts";

/** A folder with a small PNG picture in it, and the memo's file beside it. */
async function folderWithPicture(): Promise<{ picture: string; memoFile: string }> {
  const folder = await mkdtemp(path.join(testTmpdir(), "broadsheet-pictures-"));
  const picture = path.join(folder, "photo.png");
  await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } })
    .png()
    .toFile(picture);
  return { picture, memoFile: path.join(folder, "pictures.json") };
}

/** A clock a minute ahead of the system's: a picture written by the test has been left as it is long enough. */
const LATER = { now: () => Date.now() + 60_000 };

/** The memo file's entries. */
async function entries(memoFile: string): Promise<Record<string, { identity: string; format: string }>> {
  return (JSON.parse(await readFile(memoFile, "utf8")) as { files: Record<string, { identity: string; format: string }> }).files;
}

describe("ImageFormatMemo", () => {
  it("gives a picture's format, and a later run the kept one without opening the unchanged file", async () => {
    const { picture, memoFile } = await folderWithPicture();
    const first = await ImageFormatMemo.open(memoFile, LATER);
    expect(await first.formatOf(picture)).toBe("png");
    await first.save();
    expect(Object.keys(await entries(memoFile))).toEqual([picture]);
    // What the memo says is what a later run answers: changed in the memo by hand, the answer changes with it.
    const kept = await entries(memoFile);
    await writeFile(
      memoFile,
      JSON.stringify({ ...JSON.parse(await readFile(memoFile, "utf8")), files: { [picture]: { ...kept[picture], format: "gif" } } }),
    );
    expect(await (await ImageFormatMemo.open(memoFile, LATER)).formatOf(picture)).toBe("gif");
  });

  it("opens a picture again once its bytes change", async () => {
    const { picture, memoFile } = await folderWithPicture();
    const first = await ImageFormatMemo.open(memoFile, LATER);
    await first.formatOf(picture);
    await first.save();
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .jpeg()
      .toFile(`${picture}.new`);
    await copyFile(`${picture}.new`, picture);
    expect(await (await ImageFormatMemo.open(memoFile, LATER)).formatOf(picture)).toBe("jpeg");
  });

  it("keeps nothing of a picture changed shortly before it was checked, which a rewrite in the same clock tick could hide", async () => {
    const { picture, memoFile } = await folderWithPicture();
    const memo = await ImageFormatMemo.open(memoFile, { settledMs: 3_600_000 });
    expect(await memo.formatOf(picture)).toBe("png");
    await memo.save();
    await expect(stat(memoFile)).rejects.toThrow("ENOENT");
  });

  it("reports a file the decoder cannot read as such, and keeps nothing of it", async () => {
    const { picture, memoFile } = await folderWithPicture();
    await writeFile(picture, "not a picture");
    const memo = await ImageFormatMemo.open(memoFile, LATER);
    await expect(memo.formatOf(picture)).rejects.toBeInstanceOf(UnreadableImageError);
    // A picture removed since validation found it is reported the same way.
    await expect(memo.formatOf(`${picture}.gone`)).rejects.toBeInstanceOf(UnreadableImageError);
    await memo.save();
    await expect(stat(memoFile)).rejects.toThrow("ENOENT");
  });

  it("starts empty from a memo cut short, and forgets the pictures a run did not ask for", async () => {
    const { picture, memoFile } = await folderWithPicture();
    await writeFile(memoFile, '{"code": "');
    const memo = await ImageFormatMemo.open(memoFile, LATER);
    expect(await memo.formatOf(picture)).toBe("png");
    await memo.save();
    expect(Object.keys(await entries(memoFile))).toEqual([picture]);
    const later = await ImageFormatMemo.open(memoFile, LATER);
    await later.save();
    expect(await entries(memoFile)).toEqual({});
  });
});
