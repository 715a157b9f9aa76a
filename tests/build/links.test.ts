// A link checker over the built site: every internal link and asset reference resolves to a built file.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, fixtureBuild } from "../helpers/build.ts";

let build: BuildResult;
let htmlFiles: string[];

beforeAll(async () => {
  build = fixtureBuild();
  if (build.exitCode !== 0) throw new Error(`build failed:\n${build.stderr}`);
  htmlFiles = (await readdir(build.outputDir, { recursive: true }))
    .map(String)
    .filter((file) => file.endsWith(".html") && !file.startsWith("pagefind"));
});

/** Every URL a page refers to: links, scripts, styles, images (with srcset), sources and icons. */
function referencesOf(html: string): string[] {
  const { document } = parseHTML(html);
  const urls: string[] = [];
  for (const element of document.querySelectorAll("a[href], link[href], script[src], img[src], source[srcset], img[srcset]")) {
    for (const attribute of ["href", "src"]) {
      const value = element.getAttribute(attribute);
      if (value) urls.push(value);
    }
    const srcset = element.getAttribute("srcset");
    if (srcset) urls.push(...srcset.split(",").map((candidate) => candidate.trim().split(/\s+/)[0] ?? ""));
  }
  return urls;
}

/** The built file a site URL is served from, or undefined when it is external or a fragment. */
function fileFor(url: string, fromFile: string, origin: string): string | undefined {
  const base = new URL(`/${fromFile.replace(/index\.html$/, "")}`, origin);
  const resolved = new URL(url, base);
  if (resolved.origin !== origin) return undefined;
  const pathname = decodeURIComponent(resolved.pathname);
  return pathname.endsWith("/") ? `${pathname}index.html` : pathname;
}

describe("link checker", () => {
  it("finds pages to check", () => {
    expect(htmlFiles.length).toBeGreaterThan(100);
  });

  it("every internal link and asset in every page resolves to a built file", async () => {
    const origins = ["https://news.test"];
    const broken: string[] = [];
    const checked = new Map<string, boolean>();
    for (const file of htmlFiles) {
      for (const url of referencesOf(await readFile(path.join(build.outputDir, file), "utf8"))) {
        if (url.startsWith("#") || url.startsWith("mailto:")) continue;
        const origin = origins.find((candidate) => url.startsWith(candidate)) ?? "https://news.test";
        if (/^[a-z]+:/i.test(url) && !url.startsWith(origin)) continue;
        const target = fileFor(url, file, origin);
        if (target === undefined) continue;
        if (!checked.has(target))
          checked.set(
            target,
            await stat(path.join(build.outputDir, target)).then(
              (s) => s.isFile(),
              () => false,
            ),
          );
        if (!checked.get(target)) broken.push(`${file}: ${url}`);
      }
    }
    expect(checked.size).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });
});
