// Synthetic archives for benchmarks and the demo: seeded, so the same options always give byte-identical files.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Faker, base, en } from "@faker-js/faker";
import { slugOf } from "../../../src/articles/permalink.ts";
import { DEMO_PICTURE_FOLDER, demoPictureFor, demoPictureName, writeDemoPictures } from "./pictures.ts";

/** Bumped whenever the generated files change shape, so archives cached by an older generator are rebuilt. */
export const GENERATOR_VERSION = 2;

/** The site settings every generated archive re-exports (Broadsheet's own). */
export const PROJECT_SITE_MODULE = path.resolve(import.meta.dirname, "../../../_data/site.ts");

/** Every article is dated before this moment, so a build at or after it publishes them all. */
export const DEFAULT_END_DATE = "2026-01-01T00:00:00Z";

/** What to generate. Articles depend only on `seed` and their position, so a smaller archive is a prefix of a larger one. */
export interface GeneratorOptions {
  articles: number;
  seed: number;
  /** Articles are dated in the `years` years before this ISO instant (default {@link DEFAULT_END_DATE}). */
  endDate?: string;
  /** Span of the archive in years (default 25). */
  years?: number;
}

/** Shape constants of a generated archive, exported so tests can check against them. */
export const SHAPE = {
  minWords: 400,
  maxWords: 1200,
  topics: 300,
  authors: 100,
  minSections: 5,
  maxSections: 8,
  maxTopicsPerArticle: 4,
  maxAuthorsPerArticle: 2,
  imageShare: 1 / 3,
  years: 25,
} as const;

/** A known author, as written to `authors.yaml`. */
export interface GeneratedAuthor {
  name: string;
  bio: string;
  url?: string;
}

/** A section, as written to `sections.yaml`. */
export interface GeneratedSection {
  name: string;
  description: string;
}

/** The newsroom of a generated archive: who writes, in which sections, about what. */
export interface GeneratedDirectory {
  authors: GeneratedAuthor[];
  sections: GeneratedSection[];
  /** Topic names, most used first (rank 1 is the most common). */
  topics: string[];
  /** Body vocabulary, most frequent first. */
  vocabulary: string[];
  /** Proper nouns (surnames, cities) mixed into the text. */
  names: string[];
}

/** One generated article, before it is written as markdown. */
export interface GeneratedArticle {
  /** Path inside the archive's `articles/` folder: `YYYY/slug.md`. */
  file: string;
  slug: string;
  title: string;
  dek: string;
  /** ISO instant in UTC, to the minute. */
  date: string;
  updated?: string;
  authors: string[];
  section: string;
  topics: string[];
  image?: { src: string; alt: string; caption: string; credit: string };
  corrections?: { date: string; text: string }[];
  paragraphs: string[];
  /** Words in the body (sum over paragraphs). */
  words: number;
}

/** Words that make generated prose read like English and keep the most frequent words realistic. */
const FUNCTION_WORDS = [
  "the",
  "of",
  "and",
  "to",
  "a",
  "in",
  "that",
  "is",
  "was",
  "for",
  "on",
  "with",
  "as",
  "said",
  "by",
  "at",
  "from",
  "his",
  "her",
  "it",
  "their",
  "an",
  "be",
  "has",
  "had",
  "were",
  "have",
  "not",
  "but",
  "they",
  "which",
  "who",
  "this",
  "after",
  "would",
  "also",
  "been",
  "more",
  "its",
  "will",
  "than",
  "over",
  "new",
  "officials",
  "government",
  "year",
];

const SECTION_CATALOGUE: readonly GeneratedSection[] = [
  { name: "World", description: "International news." },
  { name: "Politics", description: "Government, parliament and elections." },
  { name: "Business", description: "Companies, markets and the economy." },
  { name: "Science", description: "Research, health and the environment." },
  { name: "Culture", description: "Books, film, music and the arts." },
  { name: "Sport", description: "Results, profiles and analysis." },
  { name: "Technology", description: "Computing, the internet and telecoms." },
  { name: "Opinion", description: "Columns and editorials." },
];

const AGENCIES = ["Flash90", "Reuters", "AP", "AFP", "Getty Images", "Staff"];

/** A seeded faker with the English locale, private to one generation so nothing else can disturb its sequence. */
function seededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

/** Cumulative Zipf weights (1/rank^s) for `count` ranks, normalised to end at 1. */
export function zipfCumulative(count: number, exponent = 1.05): Float64Array {
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let rank = 1; rank <= count; rank += 1) {
    total += 1 / rank ** exponent;
    cumulative[rank - 1] = total;
  }
  for (let i = 0; i < count; i += 1) cumulative[i] = (cumulative[i] ?? 0) / total;
  return cumulative;
}

/** The 0-based rank a uniform number `u` in [0, 1) falls on in a cumulative distribution. */
export function rankOf(cumulative: Float64Array, u: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] ?? 1) <= u) low = mid + 1;
    else high = mid;
  }
  return low;
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const isPlainWord = (word: string): boolean => /^[a-z]+$/.test(word);
const isPlainName = (word: string): boolean => /^[A-Z][a-z]+$/.test(word);

/** Adds `make()` results until `count` distinct slugs are collected (faker lists are finite, so give up after many tries). */
function distinct<T>(count: number, make: () => T, key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const items: T[] = [];
  for (let tries = 0; items.length < count && tries < count * 50; tries += 1) {
    const item = make();
    const slug = key(item);
    if (slug === "" || seen.has(slug)) continue;
    seen.add(slug);
    items.push(item);
  }
  if (items.length < count) throw new Error(`could only generate ${items.length} of ${count} distinct values`);
  return items;
}

/** Generates the newsroom (authors, sections, topics, vocabulary) from the seed alone. */
export function generateDirectory(seed: number): GeneratedDirectory {
  const faker = seededFaker(seed);
  const words = faker.definitions.word;
  const pool = [
    ...new Set([
      ...(words.noun ?? []),
      ...(words.verb ?? []),
      ...(words.adjective ?? []),
      ...(words.adverb ?? []),
      ...(words.preposition ?? []),
      ...(words.conjunction ?? []),
    ]),
  ]
    .filter(isPlainWord)
    .sort();
  const contentWords = faker.helpers.shuffle(pool.filter((word) => !FUNCTION_WORDS.includes(word)));
  const vocabulary = [...FUNCTION_WORDS, ...contentWords];

  const names = faker.helpers.shuffle(
    [...new Set([...(faker.definitions.person.last_name?.generic ?? []), ...(faker.definitions.location.city_name ?? [])])]
      .filter(isPlainName)
      .sort(),
  );

  const topics = distinct(
    SHAPE.topics,
    () =>
      faker.helpers.arrayElement([
        () => faker.location.country(),
        () => faker.location.city(),
        () => capitalise(faker.word.noun()),
        () => `${capitalise(faker.word.adjective())} ${faker.word.noun()}`,
        () => faker.company.name(),
      ])(),
    slugOf,
  );

  const authors = distinct(
    SHAPE.authors,
    (): GeneratedAuthor => {
      const name = `${faker.person.firstName()} ${faker.person.lastName()}`;
      const bio = `${faker.person.jobTitle()}; writes about ${faker.helpers.arrayElement(topics)}.`;
      return faker.datatype.boolean({ probability: 0.3 })
        ? { name, bio, url: `https://people.example.org/${slugOf(name)}` }
        : { name, bio };
    },
    (author) => slugOf(author.name),
  );

  const sectionCount = faker.number.int({ min: SHAPE.minSections, max: SHAPE.maxSections });
  const sections = SECTION_CATALOGUE.slice(0, sectionCount);
  return { authors, sections, topics, vocabulary, names };
}

/** Draws articles one by one; the slugs seen so far are kept so every title and URL is unique. */
export class ArticleStream {
  readonly #faker: Faker;
  readonly #directory: GeneratedDirectory;
  readonly #words: Float64Array;
  readonly #content: readonly string[];
  readonly #contentWords: Float64Array;
  readonly #topics: Float64Array;
  readonly #authors: Float64Array;
  readonly #slugs = new Set<string>();
  readonly #end: number;
  readonly #span: number;
  #index = 0;

  constructor(directory: GeneratedDirectory, options: GeneratorOptions) {
    // A seed of its own, so the articles do not shift when the directory's generation changes.
    this.#faker = seededFaker(options.seed * 7919 + 1);
    this.#directory = directory;
    this.#words = zipfCumulative(directory.vocabulary.length);
    this.#content = directory.vocabulary.slice(FUNCTION_WORDS.length);
    this.#contentWords = zipfCumulative(this.#content.length);
    this.#topics = zipfCumulative(directory.topics.length, 1.1);
    this.#authors = zipfCumulative(directory.authors.length, 0.8);
    this.#end = Date.parse(options.endDate ?? DEFAULT_END_DATE);
    if (Number.isNaN(this.#end)) throw new Error(`endDate "${options.endDate}" is not an ISO date`);
    this.#span = (options.years ?? SHAPE.years) * 365.25 * 24 * 3600 * 1000;
  }

  #pick<T>(items: readonly T[], cumulative: Float64Array): T {
    const item = items[rankOf(cumulative, this.#faker.number.float())];
    if (item === undefined) throw new Error("empty list");
    return item;
  }

  #word(): string {
    return this.#pick(this.#directory.vocabulary, this.#words);
  }

  /** `count` words, a proper noun now and then, as one capitalised sentence. */
  #sentence(count: number, extraNames: readonly string[]): string {
    const words: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const roll = this.#faker.number.float();
      if (roll < 0.04) words.push(this.#faker.helpers.arrayElement(this.#directory.names));
      else if (roll < 0.05 && extraNames.length > 0) words.push(this.#faker.helpers.arrayElement(extraNames));
      else words.push(this.#word());
      if (i > 2 && i < count - 2 && this.#faker.number.float() < 0.06) words[words.length - 1] += ",";
    }
    return `${capitalise(words.join(" "))}.`;
  }

  #uniqueTitle(): { title: string; slug: string } {
    for (let attempt = 0; ; attempt += 1) {
      const length = this.#faker.number.int({ min: 5, max: 11 });
      const topicWord = this.#pick(this.#directory.topics, this.#topics);
      // Headlines are mostly content words ("Refinery output rises"), not "the of and".
      const words = Array.from({ length }, () => this.#pick(this.#content, this.#contentWords));
      words.splice(this.#faker.number.int({ min: 1, max: length - 1 }), 0, topicWord);
      // After a few clashes the position in the stream (unique by construction) settles it.
      const title = capitalise(words.join(" ")) + (attempt >= 3 ? ` ${this.#index + 1}` : "");
      const slug = slugOf(title);
      if (!this.#slugs.has(slug)) {
        this.#slugs.add(slug);
        return { title, slug };
      }
    }
  }

  /** The next article. */
  next(): GeneratedArticle {
    const faker = this.#faker;
    this.#index += 1;
    const { title, slug } = this.#uniqueTitle();
    const dateMillis = Math.floor((this.#end - 60_000 - faker.number.float() * this.#span) / 60_000) * 60_000;
    const date = new Date(dateMillis).toISOString().replace(".000Z", "Z");
    const year = date.slice(0, 4);

    const topicCount = faker.number.int({ min: 1, max: SHAPE.maxTopicsPerArticle });
    const topics: string[] = [];
    while (topics.length < topicCount) {
      const topic = this.#pick(this.#directory.topics, this.#topics);
      if (!topics.includes(topic)) topics.push(topic);
    }
    const authors = [this.#pick(this.#directory.authors, this.#authors).name];
    if (faker.number.float() < 0.2) {
      const second = this.#pick(this.#directory.authors, this.#authors).name;
      if (second !== authors[0]) authors.push(second);
    }
    const section = faker.helpers.arrayElement(this.#directory.sections).name;

    const words = faker.number.int({ min: SHAPE.minWords, max: SHAPE.maxWords });
    const topicNames = topics.flatMap((topic) => topic.split(" ").filter(isPlainName));
    const paragraphs: string[] = [];
    for (let left = words; left > 0;) {
      const sentences: string[] = [];
      const paragraphWords = Math.min(left, faker.number.int({ min: 40, max: 120 }));
      for (let inParagraph = paragraphWords; inParagraph > 0;) {
        const length = Math.min(inParagraph, faker.number.int({ min: 6, max: 26 }));
        sentences.push(this.#sentence(length, topicNames));
        inParagraph -= length;
      }
      paragraphs.push(sentences.join(" "));
      left -= paragraphWords;
    }

    const article: GeneratedArticle = {
      file: `${year}/${slug}.md`,
      slug,
      title,
      dek: this.#sentence(faker.number.int({ min: 10, max: 24 }), topicNames),
      date,
      authors,
      section,
      topics,
      paragraphs,
      words,
    };
    if (faker.number.float() < 0.1) {
      article.updated = new Date(dateMillis + faker.number.int({ min: 1, max: 48 }) * 3_600_000).toISOString().replace(".000Z", "Z");
    }
    if (faker.number.float() < 0.02) {
      article.corrections = [{ date: date.slice(0, 10), text: this.#sentence(12, topicNames) }];
    }
    if (faker.number.float() < SHAPE.imageShare) {
      article.image = {
        // One of a few local demo pictures (written by writeArchive), so pictures go through the real image pipeline.
        src: `../${DEMO_PICTURE_FOLDER}/${demoPictureName(demoPictureFor(slug))}`,
        alt: this.#sentence(faker.number.int({ min: 6, max: 14 }), []),
        caption: this.#sentence(faker.number.int({ min: 8, max: 18 }), topicNames),
        credit: `${faker.person.firstName()} ${faker.person.lastName()}/${faker.helpers.arrayElement(AGENCIES)}`,
      };
    }
    return article;
  }
}

/** The articles of an archive, in generation order. */
export function* generateArticles(directory: GeneratedDirectory, options: GeneratorOptions): Generator<GeneratedArticle> {
  const stream = new ArticleStream(directory, options);
  for (let i = 0; i < options.articles; i += 1) yield stream.next();
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML, so any text is written safely. */
const q = (value: string): string => JSON.stringify(value);

/** The markdown file of an article: YAML front matter, then the body's paragraphs. */
export function renderArticle(article: GeneratedArticle): string {
  const lines = ["---", `title: ${q(article.title)}`, `dek: ${q(article.dek)}`, `date: ${article.date}`];
  if (article.updated) lines.push(`updated: ${article.updated}`);
  lines.push(
    `authors: [${article.authors.map(q).join(", ")}]`,
    `section: ${q(article.section)}`,
    `topics: [${article.topics.map(q).join(", ")}]`,
  );
  if (article.image) {
    const { src, alt, caption, credit } = article.image;
    lines.push("image:", `  src: ${q(src)}`, `  alt: ${q(alt)}`, `  caption: ${q(caption)}`, `  credit: ${q(credit)}`);
  }
  if (article.corrections) {
    lines.push("corrections:");
    for (const correction of article.corrections) lines.push(`  - date: ${correction.date}`, `    text: ${q(correction.text)}`);
  }
  lines.push("---", "", article.paragraphs.join("\n\n"), "");
  return lines.join("\n");
}

/** `authors.yaml` of a generated archive. */
export function renderAuthorsYaml(authors: readonly GeneratedAuthor[]): string {
  const entries = authors.map((author) =>
    [`- name: ${q(author.name)}`, `  bio: ${q(author.bio)}`, ...(author.url ? [`  url: ${q(author.url)}`] : [])].join("\n"),
  );
  return `# Authors of a generated archive.\n${entries.join("\n")}\n`;
}

/** `sections.yaml` of a generated archive. */
export function renderSectionsYaml(sections: readonly GeneratedSection[]): string {
  const entries = sections.map((section) => `- name: ${q(section.name)}\n  description: ${q(section.description)}`);
  return `# Sections of a generated archive.\n${entries.join("\n")}\n`;
}

/** `site.ts` of a generated archive: the project's own settings, imported by absolute path since the archive lives elsewhere. */
export function renderSiteModule(siteModule: string): string {
  return `// A generated archive uses the project's site settings.\nexport { default } from ${q(siteModule)};\n`;
}

/** What `writeArchive` leaves in `manifest.json`: the options it was generated with and what it holds. */
export interface ArchiveManifest {
  generator: number;
  articles: number;
  seed: number;
  endDate: string;
  years: number;
  siteModule: string;
  words: number;
  images: number;
}

/** Where a generated archive lives in a folder. */
export interface ArchiveLayout {
  root: string;
  /** `ARTICLES_DIR` for a build. */
  articlesDir: string;
  /** `DATA_DIR` for a build. */
  dataDir: string;
  manifestFile: string;
}

/** The folders of an archive rooted at `root`. */
export function archiveLayout(root: string): ArchiveLayout {
  return {
    root,
    articlesDir: path.join(root, "articles"),
    dataDir: path.join(root, "data"),
    manifestFile: path.join(root, "manifest.json"),
  };
}

/** The cache folder of a benchmark archive: `<tmp>/broadsheet-bench/<articles>-<seed>/`, outside the repository. */
export function benchArchiveRoot(articles: number, seed: number, cacheDir = path.join(tmpdir(), "broadsheet-bench")): string {
  return path.join(cacheDir, `${articles}-${seed}`);
}

/** Settings for writing an archive. */
export interface WriteOptions extends GeneratorOptions {
  /** The site settings module re-exported by `data/site.ts` (default: the project's `_data/site.ts`). */
  siteModule?: string;
}

function manifestFor(options: WriteOptions): Omit<ArchiveManifest, "words" | "images"> {
  return {
    generator: GENERATOR_VERSION,
    articles: options.articles,
    seed: options.seed,
    endDate: options.endDate ?? DEFAULT_END_DATE,
    years: options.years ?? SHAPE.years,
    siteModule: options.siteModule ?? PROJECT_SITE_MODULE,
  };
}

/** The manifest of the archive at `root` if it was generated with exactly these options, else undefined. */
export async function readMatchingManifest(root: string, options: WriteOptions): Promise<ArchiveManifest | undefined> {
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(await readFile(archiveLayout(root).manifestFile, "utf8")) as ArchiveManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const wanted = manifestFor(options);
  const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => manifest[key] === wanted[key]);
  return same ? manifest : undefined;
}

/**
 * Writes an archive into `root` (emptied first): `articles/YYYY/slug.md`, `data/` (authors, sections, site)
 * and, last, `manifest.json`, so an interrupted run is never mistaken for a finished archive.
 */
export async function writeArchive(root: string, options: WriteOptions): Promise<ArchiveManifest> {
  const layout = archiveLayout(root);
  await rm(root, { recursive: true, force: true });
  await mkdir(layout.dataDir, { recursive: true });
  const directory = generateDirectory(options.seed);
  await writeFile(path.join(layout.dataDir, "authors.yaml"), renderAuthorsYaml(directory.authors));
  await writeFile(path.join(layout.dataDir, "sections.yaml"), renderSectionsYaml(directory.sections));
  await writeFile(path.join(layout.dataDir, "site.ts"), renderSiteModule(options.siteModule ?? PROJECT_SITE_MODULE));
  await writeDemoPictures(layout.articlesDir, options.seed);

  const years = new Set<string>();
  let words = 0;
  let images = 0;
  let pending: Promise<void>[] = [];
  for (const article of generateArticles(directory, options)) {
    const year = article.file.slice(0, 4);
    if (!years.has(year)) {
      years.add(year);
      await mkdir(path.join(layout.articlesDir, year), { recursive: true });
    }
    words += article.words;
    if (article.image) images += 1;
    pending.push(writeFile(path.join(layout.articlesDir, article.file), renderArticle(article)));
    // A bounded number of writes in flight keeps memory flat for any archive size.
    if (pending.length >= 64) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  const manifest: ArchiveManifest = { ...manifestFor(options), words, images };
  await writeFile(layout.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reuses the archive at `root` when it was generated with the same options, else writes it. */
export async function ensureArchive(root: string, options: WriteOptions): Promise<{ manifest: ArchiveManifest; reused: boolean }> {
  const existing = await readMatchingManifest(root, options);
  if (existing) return { manifest: existing, reused: true };
  return { manifest: await writeArchive(root, options), reused: false };
}

/** A one-word query that occurs in many articles but not all (a common content word), for search benchmarks. */
export function searchWord(directory: GeneratedDirectory): string {
  const word = directory.vocabulary[FUNCTION_WORDS.length + 40];
  if (word === undefined) throw new Error("the vocabulary is too small");
  return word;
}
