import { describe, expect, it } from "vitest";
import { combinePeerRuns, eleventyPages, hugoPages, hugoStat, pagefindIndexed } from "../../scripts/bench/peers.ts";

/** Hugo 0.111's summary as it prints it after a build. */
const HUGO_SUMMARY = `Start building sites …
hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16T08:41:31Z VendorInfo=debian:0.111.3-1

                   |  EN
-------------------+-------
  Pages            | 1544
  Paginator pages  |  108
  Non-page files   |    8
  Static files     |    0
  Aliases          |  284

Total in 6822 ms
`;

/** The Pagefind CLI's closing summary. */
const PAGEFIND_SUMMARY = `[Building search indexes]
Total:
  Indexed 1 language
  Indexed 1000 pages
  Indexed 5066 words
  Indexed 0 filters

Finished in 9.349 seconds
`;

describe("Hugo's summary", () => {
  it("gives each line's number", () => {
    expect(hugoStat(HUGO_SUMMARY, "Pages")).toBe(1544);
    expect(hugoStat(HUGO_SUMMARY, "Paginator pages")).toBe(108);
    expect(hugoStat(HUGO_SUMMARY, "Processed images")).toBeUndefined();
  });

  it("counts rendered pages as pages plus paginator pages", () => {
    expect(hugoPages(HUGO_SUMMARY)).toBe(1652);
    expect(hugoPages("Error: no summary")).toBeNull();
  });
});

describe("eleventyPages", () => {
  it("reads the files Eleventy wrote, not those it copied", () => {
    expect(eleventyPages("[11ty] Copied 9 Wrote 1704 files in 2.55 seconds (1.5ms each, v3.1.8)")).toBe(1704);
    expect(eleventyPages("[11ty] Wrote 1 file in 0.02 seconds (v3.1.8)")).toBe(1);
    expect(eleventyPages("[11ty] Problem writing Eleventy templates")).toBeNull();
  });
});

describe("pagefindIndexed", () => {
  it("reads the pages indexed, not the words or languages", () => {
    expect(pagefindIndexed(PAGEFIND_SUMMARY)).toBe(1000);
    expect(pagefindIndexed("")).toBeNull();
  });
});

describe("combinePeerRuns", () => {
  const hugo = { wallMs: 5000, cpuMs: 1500, peakTreeRssBytes: 200e6, stdout: HUGO_SUMMARY };
  const pagefind = { wallMs: 9000, cpuMs: 8000, peakTreeRssBytes: 350e6, stdout: PAGEFIND_SUMMARY };

  it("adds the times and keeps the higher peak of two runs that never overlap", () => {
    expect(combinePeerRuns(hugo, hugoPages(hugo.stdout), pagefind)).toEqual({
      wallMs: 14_000,
      siteMs: 5000,
      pagefindMs: 9000,
      cpuMs: 9500,
      peakRssBytes: 350e6,
      pages: 1652,
      indexed: 1000,
      error: undefined,
    });
  });

  it("has no CPU time or peak when either is unknown", () => {
    const combined = combinePeerRuns(hugo, 1652, { ...pagefind, cpuMs: null, peakTreeRssBytes: null });
    expect(combined.cpuMs).toBeNull();
    expect(combined.peakRssBytes).toBeNull();
  });

  it("keeps the generator's figures and the error when Pagefind never ran", () => {
    const combined = combinePeerRuns(hugo, null, undefined, "hugo exited with 1");
    expect(combined).toMatchObject({ wallMs: 5000, pagefindMs: 0, pages: null, indexed: null, error: "hugo exited with 1" });
  });
});
