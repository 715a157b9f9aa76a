import { describe, expect, it } from "vitest";
import { MANIFEST_HEADER, brokenUrls, formatManifest, mergeManifest, parseManifest } from "../../src/redirects/manifest.ts";

const header = MANIFEST_HEADER.join("\n");

describe("formatManifest", () => {
  it("writes the header, then one URL<TAB>file line per URL in code-point order", () => {
    const text = formatManifest([
      { url: "/2024/01/02/b/", file: "articles/2024/b.md" },
      { url: "/2013/08/04/a/", file: "articles/2013/a.md" },
      { url: "/2013/08/04/Z/", file: "" },
    ]);
    expect(text).toBe(`${header}\n/2013/08/04/Z/\n/2013/08/04/a/\tarticles/2013/a.md\n/2024/01/02/b/\tarticles/2024/b.md\n`);
  });

  it("writes only the header for an empty manifest", () => {
    expect(formatManifest([])).toBe(`${header}\n`);
  });
});

describe("parseManifest", () => {
  it("reads what formatManifest writes", () => {
    const entries = [
      { url: "/2013/08/04/a/", file: "articles/2013/a.md" },
      { url: "/2023/05/01/חמאס/", file: "articles/2023/hebrew.md" },
    ];
    expect(parseManifest(formatManifest(entries)).entries.map(({ url, file }) => ({ url, file }))).toEqual(entries);
  });

  it("skips comments and blank lines, accepts lines without a file and records line numbers", () => {
    const { entries, errors } = parseManifest("# comment\n\n/a/\n/b/\tarticles/b.md\r\n");
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { url: "/a/", file: "", line: 3 },
      { url: "/b/", file: "articles/b.md", line: 4 },
    ]);
  });

  it("reports a line that is not a site path", () => {
    expect(parseManifest("/a/\nhttps://x.test/b/\n").errors).toEqual([
      {
        line: 2,
        message:
          '"https://x.test/b/" is not a site path (starting with /), optionally followed by a tab and a file name, and a tab and an identity',
      },
    ]);
  });
});

describe("mergeManifest", () => {
  it("keeps every listed URL and adds the live ones, each with its current file", () => {
    const merged = mergeManifest(
      [
        { url: "/old/", file: "articles/a.md" },
        { url: "/kept/", file: "articles/old-name.md" },
      ],
      [
        { url: "/kept/", file: "articles/new-name.md" },
        { url: "/new/", file: "articles/a.md" },
      ],
    );
    expect(merged).toEqual([
      { url: "/kept/", file: "articles/new-name.md" },
      { url: "/new/", file: "articles/a.md" },
      { url: "/old/", file: "articles/a.md" },
    ]);
  });
});

describe("brokenUrls", () => {
  it("lists the URLs nothing serves any more", () => {
    const manifest = [
      { url: "/a/", file: "a.md" },
      { url: "/b/", file: "b.md" },
      { url: "/c/", file: "" },
    ];
    expect(brokenUrls(manifest, new Set(["/a/"]))).toEqual([
      { url: "/b/", file: "b.md" },
      { url: "/c/", file: "" },
    ]);
  });

  it("lists nothing when every URL is served", () => {
    expect(brokenUrls([{ url: "/a/", file: "a.md" }], new Set(["/a/", "/z/"]))).toEqual([]);
  });
});

describe("manifest identities", () => {
  it("are read from a third column and written back", () => {
    const text = `${MANIFEST_HEADER.join("\n")}\n/a/\tarticles/a.md\t2013-08-04:/a/\n/b/\tarticles/b.md\n`;
    const { entries, errors } = parseManifest(text);
    expect(errors).toEqual([]);
    expect(entries.map(({ url, identity }) => [url, identity])).toEqual([
      ["/a/", "2013-08-04:/a/"],
      ["/b/", undefined],
    ]);
    expect(formatManifest(entries)).toBe(text);
  });

  it("stay with their URL when a redirect now serves it", () => {
    const merged = mergeManifest(
      [{ url: "/a/", file: "articles/a.md", identity: "2013-08-04:/a/" }],
      [{ url: "/a/", file: "_data/redirects.yaml" }],
    );
    expect(merged).toEqual([{ url: "/a/", file: "_data/redirects.yaml", identity: "2013-08-04:/a/" }]);
  });
});
