import { countPositives } from "./check-inputs.ts";

/** Leads aggregated by distinct score: one cell per distinct value, ascending. */
export interface ScoreCells {
  /** The distinct scores, ascending. */
  values: Float64Array;
  /** How many converted leads (label 1) have each score. */
  positives: Float64Array;
  /** How many non-converted leads (label 0) have each score. */
  negatives: Float64Array;
  totalPositives: number;
  totalNegatives: number;
}

/**
 * **Score cells**: the leads counted by (distinct score x class), ascending by score. Every rank
 * statistic here (AUC, ROC, gains, KS, lift, the bootstrap) is a walk over these cells, so ties are
 * handled once, in one place, and a holdout scored in integer points shrinks from a million rows
 * to a few hundred cells.
 *
 * Each class's scores are copied to a Float64Array and sorted natively (numeric, no comparator),
 * then the two sorted runs are merged. Cost O(n log n) time, O(n) memory.
 *
 * Throws a RangeError when the lengths differ, the arrays are empty, a score is not finite or a
 * label is not 0/1 (see check-inputs.ts). A single class is allowed here; callers that need both
 * check for it.
 *
 * @example scoreCells([3, 1, 3], [1, 0, 0]) // values [1, 3], positives [0, 1], negatives [1, 1]
 */
export function scoreCells(fn: string, scores: ArrayLike<number>, labels: ArrayLike<number>): ScoreCells {
  const n = scores.length;
  const totalPositives = countPositives(fn, scores, labels);
  const totalNegatives = n - totalPositives;
  const pos = new Float64Array(totalPositives);
  const neg = new Float64Array(totalNegatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i] as number;
    else neg[q++] = scores[i] as number;
  }
  pos.sort();
  neg.sort();
  const values = new Float64Array(n);
  const positives = new Float64Array(n);
  const negatives = new Float64Array(n);
  let i = 0;
  let j = 0;
  let c = 0;
  while (i < totalPositives || j < totalNegatives) {
    const v =
      j >= totalNegatives || (i < totalPositives && (pos[i] as number) <= (neg[j] as number))
        ? pos[i]
        : neg[j];
    let p = 0;
    while (i < totalPositives && pos[i] === v) {
      p++;
      i++;
    }
    let q = 0;
    while (j < totalNegatives && neg[j] === v) {
      q++;
      j++;
    }
    values[c] = v as number;
    positives[c] = p;
    negatives[c] = q;
    c++;
  }
  return {
    values: values.slice(0, c),
    positives: positives.slice(0, c),
    negatives: negatives.slice(0, c),
    totalPositives,
    totalNegatives,
  };
}
