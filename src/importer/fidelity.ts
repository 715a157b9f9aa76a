// Checks that every sentence of the input's body made it into the output, word for word.
import { normaliseText } from "./parse.ts";

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Splits text into sentences at `.`, `!` or `?` (plus closing quotes/brackets) followed by a space. */
export function sentencesOf(text: string): string[] {
  return collapse(text)
    .split(/(?<=[.!?…]["”’)\]]*) +/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
}

/**
 * Returns the input sentences missing from the output body (empty when nothing was lost).
 * `skipLines` are input lines expected elsewhere: headline, standfirst, caption, dropped boilerplate.
 */
export function checkFidelity(inputText: string, outputBody: string, skipLines: readonly string[] = []): string[] {
  const skip = new Set(skipLines.map(collapse));
  const bodyLines = normaliseText(inputText)
    .split("\n")
    .filter((line) => line !== "" && !skip.has(collapse(line)));
  const output = collapse(outputBody);
  return sentencesOf(bodyLines.join("\n")).filter((sentence) => !output.includes(sentence));
}
