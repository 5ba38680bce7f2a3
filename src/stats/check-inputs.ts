/**
 * The input checks the validation statistics share. Each throws a RangeError whose message starts
 * with the function's name and says what was expected, so a caller can turn it into a user message.
 */

/**
 * Throws unless `values` and `labels` have the same non-zero length, every value is finite and
 * every label is 0 or 1. Returns how many labels are 1 (converted leads). Cost O(n).
 */
export function countPositives(fn: string, values: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = values.length;
  if (labels.length !== n)
    throw new RangeError(`${fn}: ${n} scores but ${labels.length} labels; they must be the same length`);
  if (n === 0) throw new RangeError(`${fn}: no leads (the arrays are empty)`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (y === 1) positives++;
    else if (y !== 0) throw new RangeError(`${fn}: label at index ${i} is ${y}; labels must be 0 or 1`);
    if (!Number.isFinite(values[i] as number))
      throw new RangeError(`${fn}: score at index ${i} is ${values[i]}; scores must be finite numbers`);
  }
  return positives;
}

/** Throws unless every probability is in [0, 1]. Cost O(n). */
export function checkProbabilities(fn: string, probabilities: ArrayLike<number>): void {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`${fn}: probability at index ${i} is ${p}; probabilities must be in [0, 1]`);
  }
}

/** Throws unless both classes are present: `positives` of `n` leads have label 1. */
export function requireBothClasses(fn: string, positives: number, n: number): void {
  if (positives === 0)
    throw new RangeError(`${fn}: no converted leads (label 1) among the ${n} leads; both classes are needed`);
  if (positives === n)
    throw new RangeError(
      `${fn}: no non-converted leads (label 0) among the ${n} leads; both classes are needed`,
    );
}
