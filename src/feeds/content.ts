// What a feed entry carries besides the body: the lead picture with its caption and credit, and the corrections,
// as HTML with absolute URLs, so a feed reader shows the story as the article page does.

/** The lead picture as a feed carries it: an absolute JPEG URL with its size. */
export interface EntryPicture {
  url: string;
  width: number;
  height: number;
  alt: string;
  caption?: string | undefined;
  credit?: string | undefined;
}

/** A correction as the article page shows it: the dateline and the text. */
export interface EntryCorrection {
  /** Machine-readable date with offset, for `<time datetime>`. */
  iso: string;
  /** Human dateline, e.g. "December 3, 2022". */
  label: string;
  text: string;
}

/** Escapes text for HTML content or a double-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The caption line under a picture: caption, then the credit in brackets, as on the article page. */
function captionHtml(caption: string | undefined, credit: string | undefined): string {
  const parts = [
    caption !== undefined && caption !== "" ? escapeHtml(caption) : "",
    credit !== undefined && credit !== "" ? `(Photo: ${escapeHtml(credit)})` : "",
  ].filter(Boolean);
  return parts.length > 0 ? `<figcaption>${parts.join(" ")}</figcaption>` : "";
}

/**
 * The HTML of a feed entry: the picture (a `<figure>` with width, height, alt, caption and credit), the
 * body as given (already with absolute URLs) and a "Corrections" section. Every front matter string is
 * escaped; only `body`, which is rendered markdown, is trusted as HTML.
 */
export function entryHtml(body: string, picture: EntryPicture | undefined, corrections: readonly EntryCorrection[]): string {
  const parts: string[] = [];
  if (picture !== undefined) {
    parts.push(
      `<figure><img src="${escapeHtml(picture.url)}" width="${picture.width}" height="${picture.height}" alt="${escapeHtml(picture.alt)}">${captionHtml(picture.caption, picture.credit)}</figure>`,
    );
  }
  parts.push(body);
  if (corrections.length > 0) {
    const items = corrections.map(
      (correction) =>
        `<li><time datetime="${escapeHtml(correction.iso)}">${escapeHtml(correction.label)}</time>: ${escapeHtml(correction.text)}</li>`,
    );
    parts.push(`<section><h2>Corrections</h2><ul>${items.join("")}</ul></section>`);
  }
  return parts.join("\n");
}
