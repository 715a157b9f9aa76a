// The page cache: article pages, listing pages and feed files are kept in `.cache/broadsheet/pages/` under a key made of
// everything they show, so a build renders again only the pages whose inputs changed and takes the rest from the cache.
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArticleItem } from "../articles/item.ts";
import type { PublishedArchive } from "../archive/published.ts";
import type { BroadsheetConfig } from "../config/index.ts";
import { isAbsoluteUrl, localImagePath } from "../images/source.ts";
import { type FileIdentity, exists, filesUnder, linkOrCopy, removeFiles } from "../shared/fs.ts";
import { codeVersionKey, sha256 } from "../shared/hash.ts";
import { sitemapFileUrls } from "../sitemaps/sitemap.ts";
import { type CheckedArticle, articleHashOf } from "../validation/index.ts";

/** One cacheable file of the output. */
export interface PageEntry {
  /** Its URL: a page (`/2013/08/04/slug/`, `/topics/iran/`) or a file (`/feed.xml`). */
  url: string;
  /** Hash of everything the file shows. */
  key: string;
  /**
   * Of an article page, the hash of what the search index reads of it: {@link key} without the stylesheet and the
   * scripts, which the page only links to by their fingerprinted URLs, and without its related articles and
   * previous/next links, which sit outside what Pagefind indexes. A change to them re-renders pages but leaves their
   * search bundles as they were.
   */
  searchKey?: string | undefined;
  /** The article file it is rendered from, for article pages. */
  file?: string | undefined;
  /**
   * What rendering it holds in memory, in article pages (1 when absent): a feed holds each of its entries in full, and
   * a monthly archive feed of 300 articles weighs as much as 300 article pages.
   */
  weight?: number | undefined;
  /**
   * A site-wide file (a sitemap): rendered only by the run that writes the site-wide files, never shared out between
   * render runs and processes like the pages.
   */
  siteWide?: true | undefined;
}

/** The output file of a URL, relative to the output folder: a page's `index.html`, or the file itself. */
export function outputFile(url: string): string {
  const relative = url.replace(/^\//, "");
  return url.endsWith("/") ? `${relative}index.html` : relative;
}

/**
 * The data files whose effect on a page is already in its own key: the directory files reach pages only through the
 * archive model (an author's bio is in their listing's view), redirects only through the redirect pages (rendered by
 * every build) and the permalink manifest only through feed ids (in each entry's view).
 */
const DATA_FILES_IN_VIEWS = new Set(["authors.yaml", "sections.yaml", "redirects.yaml"]);

/**
 * The stylesheets (`_includes/css/`) and the search page's scripts (`_includes/js/`): pages link to them by
 * content-hashed URLs and show nothing of them. Other files of `_includes/`, layouts in any language among them, can
 * change what a page shows.
 */
const LINKED_ASSET = /^(css\/[^/]+\.css|js\/[^/]+\.js)$/;

/** The keys every cached page's key starts from: see {@link sharedInputKeys}. */
export interface SharedKeys {
  /** Of what every page shows. */
  pages: string;
  /** Of what the search index reads of every article page: the same inputs but the stylesheets and scripts. */
  search: string;
}

/**
 * The inputs every cached page shares: Broadsheet's code, its patches and locked dependencies, the layouts, stylesheet
 * and scripts, the site settings, any other file of the data folder (a newsroom's own layouts may read it), and the
 * Node version. Any change to them renders every page again; all but a change to the stylesheets and scripts also
 * indexes every article again.
 */
export async function sharedInputKeys(config: BroadsheetConfig, manifestFile: string | undefined): Promise<SharedKeys> {
  const pages = createHash("sha256");
  const search = createHash("sha256");
  const manifest = manifestFile === undefined ? undefined : path.resolve(config.cwd, manifestFile);
  const code = await codeVersionKey();
  pages.update(code);
  search.update(code);
  for (const folder of ["_includes", config.dataDir]) {
    for (const file of await filesUnder(path.resolve(config.cwd, folder))) {
      const absolute = path.resolve(config.cwd, folder, file);
      if (absolute === manifest || (folder === config.dataDir && DATA_FILES_IN_VIEWS.has(file))) continue;
      const bytes = await readFile(absolute);
      const hashes = folder === "_includes" && LINKED_ASSET.test(file) ? [pages] : [pages, search];
      for (const hash of hashes) hash.update(`${folder}/${file}\0`).update(bytes).update("\0");
    }
  }
  // Every setting that can change what a page shows; not the build time (which articles are published is in each
  // page's own key) nor where the cache, the timings or the project are.
  const settings = {
    site: config.site,
    input: config.input,
    dataDir: config.dataDir,
    preview: config.preview,
    searchShardSize: config.searchShardSize,
    sitemapUrlLimit: config.sitemapUrlLimit,
  };
  const rest = JSON.stringify({ settings, node: process.version });
  return { pages: pages.update(rest).digest("hex"), search: search.update(rest).digest("hex") };
}

/**
 * The key of every cacheable page of `published`: article pages, listing pages, and the Atom and JSON feed files. Each
 * key hashes the page's view, as its template reads it: the articles it shows stand for their front matter and a hash
 * of their local picture's bytes, and where they are shown in full (their own page, feeds) also of their body, so an
 * edit to one article changes exactly the keys of the pages that show what changed. With `sitemapUrlLimit` (a build's
 * URLs per sitemap file), also the sitemap files, {@link PageEntry.siteWide}. Pages not listed here (indexes, redirects,
 * the search page, the news sitemap) are rendered by every build.
 */
export async function pageEntries(
  published: PublishedArchive,
  options: { cwd: string; shared: SharedKeys; sitemapUrlLimit?: number | undefined },
): Promise<PageEntry[]> {
  const { model, articles, read } = published;
  // An article's item holds the checked front matter object itself (`publishedItems`): found by it, without a path.
  const checkedOf = new Map<object, CheckedArticle>(
    read.checked.flatMap((checked) => (checked.article ? [[checked.article, checked]] : [])),
  );
  const pictures = new Map<string, Promise<string>>();
  const pictureKey = (item: ArticleItem): Promise<string> | undefined => {
    const src = item.data.image?.src;
    if (src === undefined || isAbsoluteUrl(src)) return undefined;
    const file = path.resolve(options.cwd, localImagePath(src, item.inputPath));
    let key = pictures.get(file);
    if (!key) {
      key = readFile(file).then(sha256);
      pictures.set(file, key);
    }
    return key;
  };
  // What an article stands for where it is shown: in a listing or a link (its front matter and picture), or in full
  // (on its own page and in feeds: also its body and its feed identity). Each is a hash, so a page's key hashes a few
  // bytes per article it shows.
  const cards = new Map<object, string>();
  const full = new Map<object, string>();
  // Only articles with a picture of their own wait for a file read; the rest are hashed in one loop.
  const pictured = articles.flatMap((item) => {
    const key = pictureKey(item);
    return key ? [{ item, key }] : [];
  });
  const pictureKeys = new Map(await Promise.all(pictured.map(async ({ item, key }) => [item, await key] as const)));
  for (const item of articles) {
    const checked = checkedOf.get(item.data);
    if (!checked) throw new Error(`page cache: ${item.inputPath} is published but was not read`);
    const data = checked.articleHash ?? articleHashOf(item.data);
    // Fields joined by NUL, which no URL, path or hash holds: as unambiguous as JSON, at a fraction of its cost.
    const card = sha256(`${item.url}\0${item.inputPath}\0${data}\0${pictureKeys.get(item) ?? ""}`);
    cards.set(item, card);
    // The file's digest stands for its body: every change to the body changes it. The identity is JSON: it may be absent.
    full.set(item, sha256(`${card}\0${checked.digest}\0${JSON.stringify(read.plan.identities.get(item.url) ?? null)}`));
  }
  // The site navigation on every page shows each section's name and link (not its count, which every article changes):
  // hashed once into what every key starts with.
  const nav = sha256(JSON.stringify(model.navSections.map(({ name, url }) => ({ name, url }))));
  const prefix = `${options.shared.pages}\0${nav}\0`;
  const searchPrefix = `${options.shared.search}\0${nav}\0`;
  const key = (kind: string, url: string, view: unknown, views?: Map<object, string>): string =>
    sha256(
      `${prefix}${kind}\0${url}\0${
        views
          ? JSON.stringify(view, (_name, value: unknown) =>
              typeof value === "object" && value !== null && views.has(value) ? views.get(value) : value,
            )
          : JSON.stringify(view)
      }`,
    );
  const topicNames = (items: readonly ArticleItem[]) =>
    [...new Set(items.flatMap((item) => item.data.topics ?? []))].sort().map((topic) => [topic, model.topicName(topic)]);
  // An article page's topics with their display names, as JSON: articles share a few hundred sets of topics, each
  // worked out once.
  const topicsJson = new Map<string, string>();
  const articleTopics = (item: ArticleItem): string => {
    // As JSON, which keeps apart any two lists of topics, whatever characters they hold.
    const set = JSON.stringify(item.data.topics ?? []);
    let json = topicsJson.get(set);
    if (json === undefined) {
      json = JSON.stringify(topicNames([item]));
      topicsJson.set(set, json);
    }
    return json;
  };
  const card = (item: ArticleItem | undefined): string | undefined => (item === undefined ? undefined : cards.get(item));

  // Article pages, most of the site, hash their view as its parts joined by NUL: the article, its related articles and
  // previous/next links as their hashes (an absent link as an empty field), and its topics. JSON.stringify of the same
  // view took about 1.5 s at 100,000 articles.
  const entries: PageEntry[] = articles.map((item) => {
    const { newer, older } = model.neighbours(item.url);
    const shown = `${full.get(item)}\0${articleTopics(item)}`;
    const related = model.related(item.url).map(card).join(",");
    const page = `article\0${item.url}\0${shown}\0${related}\0${card(newer) ?? ""}\0${card(older) ?? ""}`;
    // The search key leaves out the related articles and the previous/next links: they sit outside the page's
    // `data-pagefind-body` and carry no Pagefind attribute, so Pagefind writes the same bundle whatever they show
    // (checked: 419 pages with every related list and article link replaced gave byte-identical bundles). With them
    // in, a new article on a rare topic entered the related lists of articles years older and re-indexed their sealed
    // bundles: 10,002 articles for one new one at 10,000.
    const searched = `article\0${item.url}\0${shown}`;
    return { url: item.url, file: item.inputPath, key: sha256(`${prefix}${page}`), searchKey: sha256(`${searchPrefix}${searched}`) };
  });
  // Listing pages and feeds hold their articles in `items` alone (the home page's front page holds more): swapped the
  // same way, the replacer is left to the few pages that need it.
  const listingKeys: string[] = [];
  for (const page of model.listings) {
    const view = { page: { ...page, items: page.items.map(card) }, front: undefined };
    const listingKey = page.url === "/" ? key("listing", page.url, { page, front: model.front }, cards) : key("listing", page.url, view);
    entries.push({ url: page.url, key: listingKey });
    listingKeys.push(`${page.url}\0${listingKey}`);
  }
  if (options.sitemapUrlLimit !== undefined) {
    // The sitemap files list every article (its URL and dates, in its card) in archive order and every listing page,
    // dated by its articles (in its key): one key for the set, so an edit to a body or a layout's look leaves them
    // as they were, and an article added, retitled or redated renders them all again.
    const limit = options.sitemapUrlLimit;
    const listed = sha256(`${prefix}sitemaps\0${limit}\0${articles.map(card).join(",")}\0${listingKeys.join("\n")}`);
    for (const url of sitemapFileUrls(articles.length, model.listings.length, limit))
      entries.push({ url, key: sha256(`${listed}\0${url}`), siteWide: true });
  }
  for (const feed of model.feeds) {
    if (feed.url === "/feed.xml") continue;
    const view = { feed: { ...feed, items: feed.items.map((item) => full.get(item)) }, topics: topicNames(feed.items) };
    entries.push({ url: feed.url, key: key("feed", feed.url, view), weight: 1 + feed.items.length });
  }
  for (const document of published.mainFeed) {
    const view = { document, topics: topicNames(document.items) };
    const weight = 1 + document.items.length;
    entries.push({ url: document.url, key: key("atom", document.url, view, full), weight });
    entries.push({ url: document.jsonUrl, key: key("json", document.jsonUrl, view, full), weight });
  }
  return entries;
}

/** The length of a page key: a sha256 in hex. */
const KEY_LENGTH = 64;

/**
 * The file a build writes into the page cache before it stores its first page and removes once the index names them
 * all: found by the next build, it means pages may be stored that no index names.
 */
const UNFINISHED = "unfinished";

/** What the cache knows of one stored page. */
interface StoredPage {
  /**
   * The encoded pictures the page uses (absolute paths in the picture cache). Pages that use the same pictures share
   * one array, so callers can take each set once (a site has few pictures, shown on many pages).
   */
  pictures: readonly string[];
  /** The number of the last build that used it. */
  build: number;
  /** The inode of its stored file, looked at when the file was stored. */
  ino: number;
}

/**
 * The cache's index file: which keys are stored, and the last build's number. Each page names its set of pictures by
 * its place in `sets`, not by the paths themselves: at 100,000 articles the paths made the file 116 MB, for 96
 * pictures.
 */
interface CacheIndexFile {
  build: number;
  /** The distinct sets of pictures pages use. */
  sets: string[][];
  /** Of each stored page's key, `[last build that used it, its set of pictures in sets, its file's inode]`. */
  pages: Record<string, [number, number, number]>;
}

/** The index as the cache holds it. */
interface CacheIndex {
  build: number;
  pages: Map<string, StoredPage>;
}

/** The index of a parsed index file, or undefined if it is not one (broken, or written by other code). */
function indexOf(parsed: unknown): CacheIndex | undefined {
  const file = parsed as Partial<CacheIndexFile> | null;
  if (typeof file?.build !== "number" || !Array.isArray(file.sets) || typeof file.pages !== "object" || file.pages === null)
    return undefined;
  const sets = file.sets;
  const pages = new Map<string, StoredPage>();
  for (const key in file.pages) {
    const [build, set, ino] = file.pages[key] as [number, number, number];
    const pictures = sets[set];
    if (typeof build !== "number" || !Array.isArray(pictures) || typeof ino !== "number") return undefined;
    pages.set(key, { pictures, build, ino });
  }
  return { build: file.build, pages };
}

/**
 * The stored pages of earlier builds. A page is stored under its key as a whole file (written, then renamed), and the
 * index naming it is replaced whole after the build, so a killed build never leaves a page that looks stored but is
 * not. Pages no build used in the last two builds are removed, so the cache stays the size of about one site.
 */
export class PageCache {
  readonly #dir: string;
  /** The device of the cache folder, and so of every stored file. */
  readonly #dev: number;
  readonly #index: CacheIndex;
  readonly #used = new Map<string, StoredPage>();
  /** How many times a page was kept or stored: the index {@link prepareCommit} works out holds so many. */
  #changes = 0;
  /** The index {@link prepareCommit} worked out, and {@link #changes} then. */
  #prepared: { changes: number; pages: Map<string, StoredPage>; text: string } | undefined;
  /** The sets of pictures of stored pages, by their paths joined: each set is one array, however many pages use it. */
  readonly #sets = new Map<string, readonly string[]>();
  /**
   * Whether the folder may hold files its index does not name, so that {@link commit} must look at every file: the
   * index was missing or broken, or a build stored pages and then failed or was killed before it committed (it
   * leaves {@link UNFINISHED} behind). Otherwise only the pages the index drops are removed.
   */
  readonly #unknownFiles: boolean;
  #marked = false;
  /**
   * The cache's sub-folders this build made or found: a page is stored in one of 256, and looking for it again for
   * every page (an `mkdir` that fails, and the `stat` that checks it) was, with the removal of a half-stored file
   * that is nearly never there, a fifth to a third of the time stores took. The cache never removes a sub-folder,
   * only files.
   */
  readonly #folders = new Set<string>();
  /** The removal {@link commit} started, if any. */
  #removing: Promise<void> = Promise.resolve();

  private constructor(dir: string, dev: number, index: CacheIndex, unknownFiles: boolean) {
    this.#dir = path.resolve(dir);
    this.#dev = dev;
    this.#index = index;
    this.#unknownFiles = unknownFiles;
    const seen = new Set<readonly string[]>();
    for (const { pictures } of index.pages.values()) {
      if (seen.has(pictures)) continue;
      seen.add(pictures);
      this.#sets.set(pictures.join("\n"), pictures);
    }
  }

  /** Opens the cache in `dir`; a missing or unreadable index is an empty cache (its files are removed at the end). */
  static async open(dir: string): Promise<PageCache> {
    await mkdir(dir, { recursive: true });
    let index: CacheIndex | undefined;
    try {
      index = indexOf(JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")));
    } catch (error) {
      // No index yet (a first build) or a broken one: both mean nothing is stored.
      if (!(error instanceof SyntaxError) && (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const unfinished = await exists(path.join(dir, UNFINISHED));
    const { dev } = await stat(dir);
    return new PageCache(dir, dev, index ?? { build: 0, pages: new Map() }, index === undefined || unfinished);
  }

  /** The file a page is stored in under `key`. */
  fileOf(key: string): string {
    // Joined by hand: called for every page of every build, where path.join's normalising shows in the profile.
    return `${this.#dir}${path.sep}${key.slice(0, 2)}${path.sep}${key}`;
  }

  /**
   * The identity of `file` if it is a stored page's file ({@link fileOf}) whose inode the cache recorded, so that a
   * hard link of it is known by one look at the link (see `pruneStaging`). A stored file is never changed in place
   * nor replaced under its key while the index names it.
   */
  identityOf(file: string): FileIdentity | undefined {
    const key = file.slice(-KEY_LENGTH);
    if (file !== this.fileOf(key)) return undefined;
    const ino = this.#index.pages.get(key)?.ino;
    return ino === undefined ? undefined : { dev: this.#dev, ino };
  }

  /** The stored page of `key`, if any. */
  stored(key: string): StoredPage | undefined {
    return this.#index.pages.get(key);
  }

  /** The pictures the page stored under `key` uses, whether this build or an earlier one stored it. */
  picturesOf(key: string): readonly string[] | undefined {
    return (this.#used.get(key) ?? this.#index.pages.get(key))?.pictures;
  }

  /**
   * Whether `file` is a stored page's file ({@link fileOf}) that the last build that committed used: the files a copy
   * made from that build's record of its site holds (`RecordedSite`).
   */
  inLastBuild(file: string): boolean {
    const key = file.slice(-KEY_LENGTH);
    return file === this.fileOf(key) && this.#index.pages.get(key)?.build === this.#index.build;
  }

  /** Puts the stored page of `entry` into `outputDir`, and returns the pictures it uses (shared, see StoredPage). */
  async restore(entry: PageEntry, outputDir: string): Promise<readonly string[]> {
    const target = path.join(outputDir, outputFile(entry.url));
    const pictures = this.keep(entry);
    await mkdir(path.dirname(target), { recursive: true });
    await linkOrCopy(this.fileOf(entry.key), target);
    return pictures;
  }

  /**
   * Counts the stored page of `entry` as this build's where the output already holds its stored file (a staging folder
   * started from an earlier site, see `pruneStaging`), and returns the pictures it uses (shared, see StoredPage). No
   * promise a page: a build that changed little keeps nearly every page this way (139,000 at 100,000 articles).
   */
  keep(entry: PageEntry): readonly string[] {
    const stored = this.#index.pages.get(entry.key);
    if (!stored) throw new Error(`page cache: ${entry.url} is not stored`);
    this.#used.set(entry.key, stored);
    this.#changes += 1;
    return stored.pictures;
  }

  /**
   * Resolves once the removal {@link commit} started is over (at once if none) and the folder's mark is cleared: await
   * it before the cache is released.
   */
  removal(): Promise<void> {
    return this.#removing;
  }

  /** Stores the page of `entry` that this build wrote into `outputDir`, with the pictures it uses. */
  async store(entry: PageEntry, outputDir: string, pictures: readonly string[]): Promise<void> {
    if (!this.#marked) {
      this.#marked = true;
      await writeFile(path.join(this.#dir, UNFINISHED), "");
    }
    const file = this.fileOf(entry.key);
    const folder = path.dirname(file);
    if (!this.#folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.#folders.add(folder);
    }
    const temporary = `${file}.${process.pid}.tmp`;
    const written = path.join(outputDir, outputFile(entry.url));
    await linkOrCopy(written, temporary).catch(async (error: NodeJS.ErrnoException) => {
      // Left by a killed build that had this process id: looked for only when it is there.
      if (error.code !== "EEXIST") throw error;
      await rm(temporary, { force: true });
      await linkOrCopy(written, temporary);
    });
    await rename(temporary, file);
    const { ino } = await stat(file);
    const set = pictures.join("\n");
    let shared = this.#sets.get(set);
    if (shared === undefined) this.#sets.set(set, (shared = pictures));
    this.#used.set(entry.key, { pictures: shared, build: 0, ino });
    this.#changes += 1;
  }

  /**
   * Works out the index {@link commit} writes, from the pages used so far, so that the build can have it done while it
   * waits for Pagefind (an edit at 100,000 articles: 0.3 s it otherwise spent after the search index). A page used or
   * stored after this makes {@link commit} work it out again.
   */
  prepareCommit(): void {
    this.#prepared = { changes: this.#changes, ...this.#nextIndex() };
  }

  /** The index of this build's pages, as the text of its file, and the pages it names. */
  #nextIndex(): { pages: Map<string, StoredPage>; text: string } {
    const build = this.#index.build + 1;
    const pages = new Map<string, StoredPage>();
    for (const [key, stored] of this.#index.pages) {
      if (stored.build >= build - 1) pages.set(key, stored);
    }
    for (const [key, stored] of this.#used) pages.set(key, { ...stored, build });
    const sets = new Map<readonly string[], number>();
    const file: CacheIndexFile = { build, sets: [], pages: {} };
    for (const [key, stored] of pages) {
      let set = sets.get(stored.pictures);
      if (set === undefined) {
        set = file.sets.push([...stored.pictures]) - 1;
        sets.set(stored.pictures, set);
      }
      file.pages[key] = [stored.build, set, stored.ino];
    }
    return { pages, text: JSON.stringify(file) };
  }

  /**
   * Records this build's pages in the index and starts removing what neither this build nor the one before used; the
   * build publishes meanwhile and waits for {@link removal} before it releases the cache (another build could store
   * one of those pages again). After a change that renders every page again, that is a whole site of files: 139,147
   * at 100,000 articles, about 24 s, which the site waited for before it was published. Called after the build
   * succeeded; a failed build leaves the index as it was (the pages it stored are removed by a later build).
   */
  async commit(): Promise<void> {
    const prepared = this.#prepared;
    const { pages, text } = prepared !== undefined && prepared.changes === this.#changes ? prepared : this.#nextIndex();
    this.#prepared = undefined;
    const indexFile = path.join(this.#dir, "index.json");
    await writeFile(`${indexFile}.${process.pid}.tmp`, text);
    await rename(`${indexFile}.${process.pid}.tmp`, indexFile);
    let dropped: string[];
    if (this.#unknownFiles) {
      const folders = (await readdir(this.#dir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
      const names = await Promise.all(folders.map(async (folder) => await readdir(path.join(this.#dir, folder.name))));
      dropped = names.flat().filter((name) => !pages.has(name));
    } else {
      dropped = [...this.#index.pages.keys()].filter((key) => !pages.has(key));
    }
    this.#removing = (async () => {
      // Sorted: one folder of the cache after another.
      await removeFiles(dropped.sort().map((key) => this.fileOf(key)));
      // Every page this build stored is in the index now, and no file it does not name is left.
      await rm(path.join(this.#dir, UNFINISHED), { force: true });
    })();
    // Awaited by removal(), which every build calls; until then a failure must not count as unhandled.
    this.#removing.catch(() => undefined);
  }
}
