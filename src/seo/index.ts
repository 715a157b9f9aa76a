// Article metadata for search engines and link previews: Open Graph locale and schema.org NewsArticle JSON-LD, escaped for a <script>.
import type { UserConfig } from "@11ty/eleventy";
import { authorUrl } from "../archive/model.ts";
import { formatIsoDate } from "../dates/index.ts";

/** The site settings the metadata needs (a subset of `_data/site.ts`). */
export interface SeoSite {
  /** Absolute base URL with no trailing slash. */
  url: string;
  title: string;
  language: string;
  timezone: string;
}

/** What an article page's JSON-LD is made of: its front matter, its path and its topics' display names. */
export interface SeoArticle {
  /** Site path of the article, e.g. `/2013/08/04/story/`. */
  url: string;
  title: string;
  dek?: string | undefined;
  date: string;
  updated?: string | undefined;
  authors?: readonly string[] | undefined;
  section?: string | undefined;
  /** Topics as the archive spells them (see the `topicName` filter). */
  topics?: readonly string[] | undefined;
  image?:
    | {
        src?: string | undefined;
        alt?: string | undefined;
        caption?: string | undefined;
        credit?: string | undefined;
        /** Crops of a local picture (site paths with their sizes), e.g. 16:9, 4:3 and 1:1; listed instead of `src`. */
        crops?: readonly { url: string; width: number; height: number }[] | undefined;
      }
    | undefined;
  corrections?: readonly { date: string; text: string }[] | undefined;
}

/** A schema.org JSON-LD object: plain JSON values only. */
export type JsonLd = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Open Graph's locale form (`language_TERRITORY`) of a BCP 47 tag: `en-GB` → `en_GB`. A bare
 * language stays as it is, since guessing a territory would claim something the site never said.
 */
export function ogLocale(language: string): string {
  return language.replace("-", "_");
}

/** `path` (or a relative or absolute URL) resolved against `base` and percent-encoded, e.g. Hebrew slugs. */
export function absoluteUrl(path: string, base: string): string {
  return new URL(path, base).href;
}

/** The absolute URL of the site's home page, with its trailing slash. */
function homeUrl(site: SeoSite): string {
  return absoluteUrl("/", site.url);
}

/**
 * The schema.org `NewsArticle` of an article page. Image URLs resolve against the article's own
 * URL (so `src: photo.jpg` beside the article works); dates carry the site time zone's offset.
 */
export function newsArticleJsonLd(article: SeoArticle, site: SeoSite): JsonLd {
  const url = absoluteUrl(article.url, site.url);
  const publisher: JsonLd = {
    "@type": "Organization",
    name: site.title,
    url: homeUrl(site),
    logo: { "@type": "ImageObject", url: absoluteUrl("/favicon.svg", site.url) },
  };
  const authors = article.authors ?? [];
  const topics = article.topics ?? [];
  const corrections = article.corrections ?? [];
  const imageSrc = article.image?.src;
  const credits = {
    ...(article.image?.caption !== undefined && { caption: article.image.caption }),
    ...(article.image?.credit !== undefined && { creditText: article.image.credit }),
  };
  const crops = article.image?.crops ?? [];
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: article.title,
    ...(article.dek !== undefined && { description: article.dek }),
    url,
    mainEntityOfPage: { "@type": "WebPage", "@id": url },
    datePublished: formatIsoDate(article.date, site.timezone),
    dateModified: formatIsoDate(article.updated ?? article.date, site.timezone),
    inLanguage: site.language,
    ...(article.section !== undefined && { articleSection: article.section }),
    ...(topics.length > 0 && { keywords: [...topics] }),
    // Google recommends several crops (16:9, 4:3, 1:1) of at least 50,000 pixels each for large previews.
    ...(crops.length > 0
      ? {
          image: crops.map((crop) => ({
            "@type": "ImageObject",
            url: absoluteUrl(crop.url, url),
            width: crop.width,
            height: crop.height,
            ...credits,
          })),
        }
      : imageSrc !== undefined && { image: { "@type": "ImageObject", url: absoluteUrl(imageSrc, url), ...credits } }),
    // An unsigned article is the newsroom's own, as in the Atom feed.
    author:
      authors.length > 0 ? authors.map((name) => ({ "@type": "Person", name, url: absoluteUrl(authorUrl(name), site.url) })) : [publisher],
    publisher,
    ...(corrections.length > 0 && {
      correction: corrections.map((correction) => ({
        "@type": "CorrectionComment",
        text: correction.text,
        datePublished: formatIsoDate(correction.date, site.timezone),
      })),
    }),
  };
}

/**
 * JSON that can sit inside `<script>` as raw text whatever the strings hold: `<`, `>` and `&` become
 * `\u003c`, `\u003e` and `\u0026` (so no `</script>` or `<!--` can end or derail the element), and
 * U+2028/U+2029 become `\u2028`/`\u2029` (line terminators to older JavaScript parsers). These
 * characters only ever occur inside JSON strings, where the escapes mean the same characters, so
 * `JSON.parse` gives back exactly `value`.
 */
export function scriptSafeJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error("cannot write undefined as JSON");
  return json.replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A complete `<script type="application/ld+json">` element holding `jsonLd`. */
export function jsonLdScript(jsonLd: JsonLd): string {
  return `<script type="application/ld+json">${scriptSafeJson(jsonLd)}</script>`;
}

/**
 * Adds the `ogLocale` filter and the `newsArticleJsonLd` shortcode. A shortcode because Nunjucks
 * would HTML-escape a filter's quotes, and script content is raw text where `&quot;` is not JSON;
 * shortcode output is not escaped, which is safe here only because {@link scriptSafeJson} leaves
 * no `<`, `>` or `&` in it.
 */
export function registerSeo(eleventyConfig: UserConfig, options: { topicName: (topic: string) => string }): void {
  const { topicName } = options;
  eleventyConfig.addFilter("ogLocale", ogLocale);
  eleventyConfig.addShortcode("newsArticleJsonLd", (article: SeoArticle, site: SeoSite) => {
    const topics = article.topics && [...new Set(article.topics.map((topic) => topicName(topic)))];
    return jsonLdScript(newsArticleJsonLd({ ...article, topics }, site));
  });
}
