// The article front matter schema: the single source of truth for what an article may say.
import { z } from "zod";
import { CONTROL_CHARACTER, controlCode, imageSourceError, isWebUrl } from "../images/source.ts";
import { dateError } from "../dates/parse.ts";
import { MAX_SEGMENT_BYTES, byteLength } from "./permalink.ts";

const dateField = z
  .string({ error: "must be a date like 2013-08-04 or 2013-08-04T09:30:00+03:00 (quote it if in doubt)" })
  .check((ctx) => {
    const error = dateError(ctx.value);
    if (error !== undefined) ctx.issues.push({ code: "custom", message: error, input: ctx.value });
  });

/** An http(s) URL: the only kind a reader may be sent to (a `javascript:` link would run when clicked). */
export const webUrl = (example: string) =>
  z.string({ error: `must be a URL such as ${example}` }).refine(isWebUrl, {
    error: (issue) => `"${String(issue.input)}" is not an http:// or https:// URL; write the full address, e.g. ${example}`,
  });

/** A site path an article used to live at, e.g. `/2013/08/04/old-headline/`. */
const SITE_PATH = /^\/(?:[^\s?#]*\/)?$/;

/**
 * Why a path cannot be written as a page of the site (a redirect page is written at every old path), or undefined:
 * a control character, a `.` or `..` segment (which would climb out of the output folder) or a segment longer than a
 * file name may be.
 */
export function writablePathError(sitePath: string): string | undefined {
  if (CONTROL_CHARACTER.test(sitePath)) return `"${JSON.stringify(sitePath).slice(1, -1)}" contains a control character (U+${controlCode(sitePath)}); remove it`;
  const segments = sitePath.split("/").filter((segment) => segment !== "");
  if (segments.some((segment) => segment === "." || segment === "..")) return `"${sitePath}" has a . or .. segment; write the path in full, e.g. /2013/08/04/old-headline/`;
  const long = segments.find((segment) => byteLength(segment) > MAX_SEGMENT_BYTES);
  if (long !== undefined) return `"${sitePath}" has a segment of ${byteLength(long)} bytes, more than a file name may safely have (${MAX_SEGMENT_BYTES}); retire the path or shorten it`;
  return undefined;
}

/** Why an alias cannot be a path of the site, or undefined: each segment becomes a folder name when the redirect is written. */
export function aliasError(alias: string): string | undefined {
  if (CONTROL_CHARACTER.test(alias)) return writablePathError(alias);
  if (!SITE_PATH.test(alias)) return `"${alias}" must be a site path that starts and ends with /, e.g. /2013/08/04/old-headline/`;
  return writablePathError(alias);
}

const text = (what: string) =>
  z.string({ error: `must be text (${what}); quote it in YAML if it starts with a special character` }).trim().min(1, {
    error: `must not be empty (${what})`,
  });

/** A URL slug: lower-case letters (any script) or digits, in words joined by single hyphens. */
const SLUG = /^[\p{Ll}\p{Lo}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Nd}]+)*$/u;

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
        src: text("a path beside the article or an absolute URL")
          .check((ctx) => {
            const error = imageSourceError(ctx.value);
            if (error !== undefined) ctx.issues.push({ code: "custom", message: `"${ctx.value}" ${error}`, input: ctx.value });
          })
          .optional(),
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
        url: webUrl("https://example.com/story").optional(),
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
      z.string({ error: "must be a site path" }).check((ctx) => {
        const error = aliasError(ctx.value);
        if (error !== undefined) ctx.issues.push({ code: "custom", message: error, input: ctx.value });
      }),
      { error: "must be a list of old paths, e.g. [/2013/08/04/old-headline/]" },
    )
    .optional(),
  draft: z.boolean({ error: "must be true or false" }).optional(),
});

/**
 * The fields each mapping of the front matter may have, by the field that holds it ("" for the top level),
 * for did-you-mean on an unknown one.
 */
export const FIELDS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(articleSchema.shape),
  image: Object.keys(articleSchema.shape.image.unwrap().shape),
  source: Object.keys(articleSchema.shape.source.unwrap().shape),
  corrections: Object.keys(articleSchema.shape.corrections.unwrap().element.shape),
};

/** Validated front matter of an article, inferred from {@link articleSchema}. */
export type ArticleFrontMatter = z.infer<typeof articleSchema>;
