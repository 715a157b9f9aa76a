// Scaffolding of new articles: a valid front matter block with every optional field explained.
import { type DateTime } from "luxon";
import { slugOf } from "../articles/permalink.ts";

/** A new article: where it goes (relative to the articles folder) and its text. */
export interface ScaffoldedArticle {
  relativePath: string;
  text: string;
}

/**
 * Builds a new article dated today in the site's time zone. Required fields are filled in; every
 * optional field is present as a comment with an example, so authors see all they can say.
 * With `slug`, the article's URL and file name use it instead of a slug made from the headline.
 */
export function scaffoldArticle(title: string, now: DateTime, timezone: string, slug?: string): ScaffoldedArticle {
  const fileSlug = slug ?? slugOf(title);
  if (fileSlug === "") throw new Error(`the headline "${title}" gives an empty slug; use words with letters or digits`);
  const today = now.setZone(timezone);
  const date = today.toISODate();
  if (date === null) throw new Error(`cannot date a new article in time zone "${timezone}"`);
  const text = `---
title: ${JSON.stringify(title)}
${slug === undefined ? "" : `slug: ${JSON.stringify(slug)}\n`}# dek: "One or two sentences under the headline"
date: ${date}
# updated: ${date}T18:00:00${today.toFormat("ZZ")}
# authors: [Jane Doe]
# section: World
# topics: [Topic one, Topic two]
# image:
#   src: photo.jpg            # a file beside this article, or an absolute URL
#   alt: "What the picture shows"
#   caption: "The photo caption"
#   credit: "Photographer/Agency"
# source:
#   name: The Publication
#   url: https://www.example.com/original-story
draft: true                   # remove this line to publish
---

Write the article here.
`;
  return { relativePath: `${today.toFormat("yyyy")}/${fileSlug}.md`, text };
}
