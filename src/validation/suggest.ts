// Did-you-mean suggestions and short lists of choices for messages, so one typo never prints a whole directory.
import didYouMean, { ReturnTypeEnums, ThresholdTypeEnums } from "didyoumean2";

/** Choices listed in a message at most: the closest ones to what was written. */
export const CHOICES_SHOWN = 5;

/**
 * The known name closest to `input`, if one is close enough to be what was meant (case and accents aside):
 * similar enough as a whole, or, for short words such as field names (`ulr` for `url`), two edits away.
 */
export function closestName(input: string, known: readonly string[]): string | undefined {
  const similar = didYouMean(input, known);
  if (similar !== null) return similar;
  return input.length >= 3
    ? (didYouMean(input, known, { thresholdType: ThresholdTypeEnums.EDIT_DISTANCE, threshold: 2 }) ?? undefined)
    : undefined;
}

/**
 * The {@link CHOICES_SHOWN} known names closest to `input` (all of them when there are no more), in
 * alphabetical order so that a reader can scan them.
 */
export function closestNames(input: string, known: readonly string[]): string[] {
  return didYouMean(input, known, { returnType: ReturnTypeEnums.ALL_SORTED_MATCHES, threshold: 0 })
    .slice(0, CHOICES_SHOWN)
    .sort((a, b) => a.localeCompare(b, "en"));
}

/** Formats choices for a message: `"A", "B" or "C"`. */
export function listChoices(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length === 0) return "(none yet)";
  return quoted.length === 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1) ?? ""}`;
}

/**
 * What to say after `"X" is not a known author`: the likely meant name, or else the closest few of all, then
 * `orElse` (e.g. `add them to _data/authors.yaml`): `did you mean "Ada Reporter"? If not, add them to …` or
 * `use one of "A", "B" or "C" (the closest of 80), or add them to …`.
 */
export function suggestion(input: string, known: readonly string[], orElse: string): string {
  if (known.length === 0) return orElse;
  const meant = closestName(input, known);
  if (meant !== undefined) return `did you mean "${meant}"? If not, ${orElse}`;
  const closest = closestNames(input, known);
  const of = known.length > closest.length ? ` (the closest of ${known.length})` : "";
  return `use one of ${listChoices(closest)}${of}, or ${orElse}`;
}
