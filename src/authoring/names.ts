// Author and section names given on the command line, checked against the newsroom directory with suggestions.
import didYouMean, { ReturnTypeEnums } from "didyoumean2";

/** How many of the closest known names a message lists. */
const CLOSEST = 3;

/** What kind of name is checked, and where the known ones are listed. */
export interface NameKind {
  /** The command-line flag, e.g. `--section`. */
  flag: string;
  /** `author` or `section`. */
  kind: string;
  /** The directory file listing the known names, e.g. `_data/sections.yaml`. */
  file: string;
}

const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(", ");

/**
 * A one-line message for a name that is not in `known` (names must match exactly, as `npm run check` wants),
 * or undefined when it is known. Suggests the closest known name if one is near (ignoring case and spacing)
 * and lists the few closest, nearest first.
 */
export function unknownNameMessage(what: NameKind, name: string, known: readonly string[]): string | undefined {
  if (known.includes(name)) return undefined;
  const { flag, kind, file } = what;
  if (known.length === 0) return `${flag} "${name}": ${file} lists no ${kind}s yet; add "${name}" there first, or leave out ${flag}`;
  const best = didYouMean(name, known);
  const closest = didYouMean(name, known, { returnType: ReturnTypeEnums.ALL_SORTED_MATCHES, threshold: 0 }).slice(0, CLOSEST);
  const guess = best === null ? "" : ` did you mean "${best}"?`;
  return `${flag} "${name}" is not a known ${kind};${guess} the closest in ${file} are ${quoted(closest)}; fix the spelling or add it to ${file}`;
}
