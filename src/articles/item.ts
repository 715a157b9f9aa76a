// One published article as every plugin reads it: an Eleventy collection item whose data is the validated front matter.
import type { ArticleFrontMatter } from "./schema.ts";

/**
 * A published article as Eleventy's collections hold it: its page URL, its source file, its rendered body and its
 * front matter, which is exactly what validation accepted (Eleventy takes article data from the archive's one read,
 * `src/archive/source.ts`), so its type is the schema's.
 */
export interface ArticleItem {
  url: string;
  inputPath: string;
  /** The rendered body (HTML) as feeds carry it: its links and pictures absolute against the article's own address. */
  content: string;
  data: ArticleFrontMatter;
}

/**
 * The part of {@link ArticleItem} a module reads: the item fields `Item` and the front matter fields `Field`. Pure
 * functions take views, so their tests build only what they read, and every view stays the article's own type.
 */
export type ArticleView<Field extends keyof ArticleFrontMatter, Item extends Exclude<keyof ArticleItem, "data"> = "url"> = Pick<
  ArticleItem,
  Item
> & {
  data: Pick<ArticleFrontMatter, Field>;
};
