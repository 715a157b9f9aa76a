import { mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DirectoryError, loadDirectory, readDirectory } from "../../src/archive/directory.ts";
import { formatProblem } from "../../src/validation/index.ts";
import { testTmpdir } from "../helpers/tmp.ts";

async function dataDir(authors: string, sections: string): Promise<string> {
  const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-directory-"));
  await writeFile(path.join(dir, "authors.yaml"), authors);
  await writeFile(path.join(dir, "sections.yaml"), sections);
  return dir;
}

/** The problems of a data folder, printed, with the folder's path shortened to `data`. */
async function problems(authors: string, sections = "- name: World\n  description: Abroad.\n"): Promise<string[]> {
  const dir = await dataDir(authors, sections);
  const read = await readDirectory(path.basename(dir), path.dirname(dir));
  return read.problems.map(formatProblem).map((line) => line.replace(path.basename(dir), "data"));
}

describe("loadDirectory", () => {
  it("reads authors with bio and optional url, and sections with a description", async () => {
    const dir = await dataDir(
      "- name: Ada\n  bio: Writes.\n  url: https://ada.example/\n- name: Ben\n  bio: Edits.\n",
      "- name: World\n  description: Abroad.\n",
    );
    expect(await loadDirectory(dir)).toEqual({
      authors: [
        { name: "Ada", bio: "Writes.", url: "https://ada.example/" },
        { name: "Ben", bio: "Edits." },
      ],
      sections: [{ name: "World", description: "Abroad." }],
    });
  });

  it("throws every problem of both files as file:line: field: message", async () => {
    const dir = await dataDir("- name: Ada\n", "- name: World\n");
    const failure = loadDirectory(dir);
    await expect(failure).rejects.toBeInstanceOf(DirectoryError);
    await expect(failure).rejects.toThrow(`${path.join(dir, "authors.yaml")}:1: entry 1, bio: `);
    await expect(failure).rejects.toThrow(`${path.join(dir, "sections.yaml")}:1: entry 1, description: `);
  });
});

describe("readDirectory", () => {
  it("names the file, the line, the entry (counted from 1) and the field of a bad entry", async () => {
    expect(await problems("- name: Ada\n  bio: Writes.\n- name: Ben\n  bio: 42\n")).toEqual([
      "data/authors.yaml:4: entry 2, bio: must be text (one or two sentences about the author)",
    ]);
  });

  it("reads files with a byte-order mark and Windows line endings like any other", async () => {
    const dir = await dataDir(
      "\uFEFF- name: Ada\r\n  bio: Writes.\r\n  url: https://ada.example/\r\n",
      "- name: World\r\n  description: Abroad.\r",
    );
    expect((await readDirectory(dir)).directory).toEqual({
      authors: [{ name: "Ada", bio: "Writes.", url: "https://ada.example/" }],
      sections: [{ name: "World", description: "Abroad." }],
    });
  });

  it("names every missing file, in a fixed order, and says how to create it", async () => {
    const dir = await mkdtemp(path.join(testTmpdir(), "broadsheet-directory-"));
    const read = await readDirectory(dir);
    expect(read.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/authors\.yaml:1: file: cannot be read .*create it as a YAML list/),
      expect.stringMatching(/sections\.yaml:1: file: cannot be read .*create it as a YAML list/),
    ]);
    expect(read.names).toEqual({ authors: undefined, sections: undefined });
  });

  it("keeps the names of entries with other problems, so articles naming them are not reported too", async () => {
    const dir = await dataDir("- name: Ada\n", "- name: World\n  description: Abroad.\n");
    expect((await readDirectory(dir)).names).toEqual({ authors: ["Ada"], sections: ["World"] });
  });

  it("reports malformed YAML with its line instead of throwing", async () => {
    expect(await problems('- name: Ada\n  bio: "Writes.\n')).toEqual([
      expect.stringMatching(/^data\/authors\.yaml:3: YAML: malformed: Missing closing "quote/),
    ]);
  });

  it("reports a YAML alias bomb as a problem of the file", async () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...["b", "c", "d", "e"].map((key, index) => `${key}: &${key} [${Array(9).fill(`*${"abcd"[index]}`).join(", ")}]`),
    ].join("\n");
    expect(await problems(`- name: Ada\n  bio: Writes.\n  extra:\n    ${bomb.replace(/\n/g, "\n    ")}\n`)).toEqual([
      expect.stringMatching(/^data\/authors\.yaml:\d+: YAML: malformed: Excessive alias count/),
    ]);
  });

  it("reports an unknown field with the field probably meant", async () => {
    expect(await problems("- name: Ada\n  bio: Writes.\n  ulr: https://ada.example/\n")).toEqual([
      'data/authors.yaml:3: entry 1, ulr: unknown field; did you mean "url"?',
    ]);
  });

  it("accepts only http(s) author URLs", async () => {
    expect(await problems("- name: Ada\n  bio: Writes.\n  url: javascript:alert(1)\n")).toEqual([
      'data/authors.yaml:3: entry 1, url: "javascript:alert(1)" is not an http:// or https:// URL; write the full address, e.g. https://example.org/jane',
    ]);
  });

  it("reports two authors whose names give the same page, naming both", async () => {
    expect(
      await problems("- name: José García\n  bio: Writes.\n- name: Ben\n  bio: Edits.\n- name: Jose Garcia\n  bio: Writes too.\n"),
    ).toEqual([
      'data/authors.yaml:5: entry 3, name: "Jose Garcia" has the same page /authors/jose-garcia/ as "José García" (entry 1, line 1), so the two would be merged; use one spelling',
    ]);
  });

  it("reports a name listed twice", async () => {
    expect(await problems("- name: Ada\n  bio: Writes.\n- name: Ada\n  bio: Writes.\n")).toEqual([
      'data/authors.yaml:3: entry 2, name: "Ada" is listed twice (also entry 1, line 1); keep one entry',
    ]);
  });

  it("reports sections that give the same page", async () => {
    expect(await problems("[]\n", "- name: C++\n  description: One.\n- name: C\n  description: Two.\n")).toEqual([
      'data/sections.yaml:3: entry 2, name: "C" has the same page /sections/c/ as "C++" (entry 1, line 1), so the two would be merged; use one spelling',
    ]);
  });

  it("reports a name whose page would have a file name too long for the file system", async () => {
    const name = "記".repeat(90);
    expect(await problems(`- name: ${name}\n  bio: Writes.\n`)).toEqual([
      `data/authors.yaml:1: entry 1, name: "${name}" gives a URL segment of 270 bytes, more than a file name may safely have (200); shorten the name`,
    ]);
  });
});
