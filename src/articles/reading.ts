// Word count and reading time of an article body, for the byline.

/** Average silent-reading speed for news prose, in words per minute. */
export const WORDS_PER_MINUTE = 230;

/** Words and whole minutes (at least 1) to read a text. */
export interface ReadingStats {
  words: number;
  minutes: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/**
 * Counts words with the platform's Unicode word segmenter, so punctuation and markdown syntax are not
 * words and text without spaces (Chinese, Japanese) is still counted word by word.
 */
export function countWords(text: string): number {
  let words = 0;
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) words += 1;
  return words;
}

/** Reading statistics of a markdown body. */
export function readingStats(markdown: string): ReadingStats {
  const words = countWords(markdown);
  return { words, minutes: Math.max(1, Math.round(words / WORDS_PER_MINUTE)) };
}
