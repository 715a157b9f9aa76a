// Inputs of one import run that would be written to the same article file (same headline and year).

/** One input and the article file it would become. */
export interface PlannedImport {
  input: string;
  target: string;
}

/**
 * For each input sharing its target with another input of the same run, a message naming the others, keyed by
 * input. Neither is written: which one is the article the editor wants is theirs to decide, and writing one
 * would make the other look like an existing article next time.
 */
export function findTargetClashes(planned: readonly PlannedImport[]): Map<string, string> {
  const inputsByTarget = new Map<string, string[]>();
  for (const { input, target } of planned) {
    const inputs = inputsByTarget.get(target);
    if (inputs) inputs.push(input);
    else inputsByTarget.set(target, [input]);
  }
  const clashes = new Map<string, string>();
  for (const [target, inputs] of inputsByTarget) {
    if (inputs.length < 2) continue;
    for (const input of inputs) {
      const others = inputs.filter((other) => other !== input).join(", ");
      clashes.set(
        input,
        `would be written to ${target}, as would ${others} (same headline and year); neither was written: change the headline of one of them and import again`,
      );
    }
  }
  return clashes;
}
