// The article front matter schema: the single source of truth for what an article may say.
import { DateTime } from "luxon";
import { z } from "zod";

/** Date-only (`2013-08-04`) or date-time with an explicit offset (`2013-08-04T09:30:00+03:00`). */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a front matter date in the site's time zone. Date-only values mean midnight there;
 * date-times keep their own offset. Returns null for anything else or an impossible date.
 */
export function parseArticleDate(value: string, timezone: string): DateTime | null {
  if (DATE_ONLY.test(value)) {
    const date = DateTime.fromISO(value, { zone: timezone });
    return date.isValid ? date : null;
  }
  if (DATE_TIME_WITH_OFFSET.test(value)) {
    const date = DateTime.fromISO(value, { setZone: true });
    return date.isValid ? date : null;
  }
  return null;
}

const dateField = z
  .string({ error: "must be a date like 2013-08-04 or 2013-08-04T09:30:00+03:00 (quote it if in doubt)" })
  .refine((value) => parseArticleDate(value, "UTC") !== null, {
    error: (issue) =>
      `"${String(issue.input)}" is not a real date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM with an offset`,
  });

const text = (what: string) =>
  z.string({ error: `must be text (${what}); quote it in YAML if it starts with a special character` }).trim().min(1, {
    error: `must not be empty (${what})`,
  });

/** A URL slug: lower-case letters (any script) or digits, in words joined by single hyphens. */
const SLUG = /^[\p{Ll}\p{Lo}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Nd}]+)*$/u;

/** A site path an article used to live at, e.g. `/2013/08/04/old-headline/`. */
const SITE_PATH = /^\/(?:[^\s?#]*\/)?$/;

/** Front matter schema for one article. Unknown keys are errors so a typo never passes silently. */
export const articleSchema = z.strictObject({
  title: text("the headline"),
  slug: z
    .string({ error: "must be text such as hamas-patches-up-ties" })
    .regex(SLUG, { error: "must be lower-case words joined by single hyphens, e.g. hamas-patches-up-ties" })
    .optional(),
  dek: text("the standfirst under the headline").optional(),
  date: dateField,
  updated: dateField.optional(),
  authors: z.array(text("an author's name"), { error: "must be a list of names, e.g. [Jane Doe]" }).optional(),
  section: text("the section name, e.g. World").optional(),
  topics: z.array(text("a topic"), { error: "must be a list of topics, e.g. [Hamas, Iran]" }).optional(),
  image: z
    .strictObject(
      {
        src: text("a path beside the article or an absolute URL").optional(),
        alt: text("a description of the picture for readers who cannot see it").optional(),
        caption: text("the photo caption").optional(),
        credit: text("the photographer and agency").optional(),
      },
      { error: "must be a mapping with src, alt, caption and credit" },
    )
    .refine((image) => image.src === undefined || image.alt !== undefined, {
      error: "has a src but no alt; describe the picture in image.alt for readers who cannot see it",
      path: ["alt"],
    })
    .optional(),
  source: z
    .strictObject(
      {
        name: text("the publication, e.g. The Times of Israel"),
        url: z.url({ error: "must be an absolute URL such as https://example.com/story" }).optional(),
      },
      { error: "must be a mapping with name and url" },
    )
    .optional(),
  corrections: z
    .array(
      z.strictObject(
        { date: dateField, text: text("what was wrong and what is right now") },
        { error: "must be a mapping with date and text" },
      ),
      { error: "must be a list of {date, text} entries" },
    )
    .optional(),
  aliases: z
    .array(
      z.string({ error: "must be a site path" }).regex(SITE_PATH, { error: "must be a site path that starts and ends with /, e.g. /2013/08/04/old-headline/" }),
      { error: "must be a list of old paths, e.g. [/2013/08/04/old-headline/]" },
    )
    .optional(),
  draft: z.boolean({ error: "must be true or false" }).optional(),
});

/** Validated front matter of an article, inferred from {@link articleSchema}. */
export type ArticleFrontMatter = z.infer<typeof articleSchema>;
