import { equalCountGroups } from "./equal-count-groups.ts";
import { psi } from "./psi.ts";

/** One bin of a score stability comparison. */
export interface ScorePsiBin {
  /** Lowest and highest training score in the bin. */
  low: number;
  high: number;
  /** Share of training scores in the bin. */
  expected: number;
  /** Share of recent scores in the bin. */
  actual: number;
}

/**
 * **Score population stability**: the PSI (see psi) of recent scores against training scores, over
 * bins cut at the training scores' deciles (or `bins` quantiles), ties kept in one bin (see
 * equalCountGroups; fewer bins when the training scores have few distinct values). A recent score
 * falls in the last bin whose lowest training score is <= it, so recent scores below the training
 * range count in the first bin and above it in the last.
 *
 * Cost O((n + m) log(n + m)). Throws a RangeError when either array is empty, a score is not
 * finite, or bins is not an integer >= 1.
 *
 * @example scorePsi([1, 2, 3, 4], [1, 1, 3, 4], 2).psi // 0 (the two halves hold 2 and 2)
 */
export function scorePsi(
  trainScores: ArrayLike<number>,
  recentScores: ArrayLike<number>,
  bins = 10,
): { psi: number; bins: ScorePsiBin[] } {
  const train = sortedFinite("training", trainScores);
  const recent = sortedFinite("recent", recentScores);
  // Distinct training values and their counts.
  const values = new Float64Array(train.length);
  const counts = new Float64Array(train.length);
  let cellCount = 0;
  for (let i = 0; i < train.length; i++) {
    if (cellCount > 0 && train[i] === values[cellCount - 1])
      counts[cellCount - 1] = (counts[cellCount - 1] as number) + 1;
    else {
      values[cellCount] = train[i] as number;
      counts[cellCount++] = 1;
    }
  }
  const { group, count } = equalCountGroups(counts.subarray(0, cellCount), bins);
  const low = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  const expected = new Float64Array(count);
  for (let c = 0; c < cellCount; c++) {
    const g = group[c] as number;
    const v = values[c] as number;
    if (v < (low[g] as number)) low[g] = v;
    if (v > (high[g] as number)) high[g] = v;
    expected[g] = (expected[g] as number) + (counts[c] as number);
  }
  const actual = new Float64Array(count);
  let g = 0;
  for (let i = 0; i < recent.length; i++) {
    const v = recent[i] as number;
    while (g + 1 < count && (low[g + 1] as number) <= v) g++;
    actual[g] = (actual[g] as number) + 1;
  }
  const out: ScorePsiBin[] = [];
  for (let b = 0; b < count; b++)
    out.push({
      low: low[b] as number,
      high: high[b] as number,
      expected: (expected[b] as number) / train.length,
      actual: (actual[b] as number) / recent.length,
    });
  return { psi: psi(expected, actual), bins: out };
}

function sortedFinite(name: string, scores: ArrayLike<number>): Float64Array {
  if (scores.length === 0) throw new RangeError(`scorePsi: no ${name} scores (the array is empty)`);
  const out = Float64Array.from(scores);
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i] as number))
      throw new RangeError(
        `scorePsi: ${name} score at index ${i} is ${out[i]}; scores must be finite numbers`,
      );
  return out.sort();
}
