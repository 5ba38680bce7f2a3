import { requireBothClasses } from "./check-inputs.ts";
import { scoreCells } from "./score-cells.ts";

/**
 * **Kolmogorov-Smirnov statistic** of a scorer: the largest gap between the score distributions of
 * converted (F1) and non-converted (F0) leads, max over thresholds t of |F1(t) - F0(t)| with
 * F(t) = share scoring <= t, and the score `at` where it is first reached going up. The two-sample
 * KS statistic of scipy.stats.ks_2samp(positive scores, negative scores), whose statistic_location
 * is the same score. Identical distributions (e.g. all scores tied) give 0, at the lowest score.
 *
 * Cost O(n log n). Throws a RangeError for an empty class, mismatched or empty arrays, a score that
 * is not finite or a label other than 0/1.
 *
 * @example ks([1, 2, 3, 4], [0, 0, 1, 1]) // { statistic: 1, at: 2 }
 */
export function ks(scores: ArrayLike<number>, labels: ArrayLike<number>): { statistic: number; at: number } {
  const cells = scoreCells("ks", scores, labels);
  requireBothClasses("ks", cells.totalPositives, scores.length);
  let positivesAtOrBelow = 0;
  let negativesAtOrBelow = 0;
  let statistic = 0;
  let at = cells.values[0] as number;
  for (let c = 0; c < cells.values.length; c++) {
    positivesAtOrBelow += cells.positives[c] as number;
    negativesAtOrBelow += cells.negatives[c] as number;
    const gap = Math.abs(
      positivesAtOrBelow / cells.totalPositives - negativesAtOrBelow / cells.totalNegatives,
    );
    if (gap > statistic) {
      statistic = gap;
      at = cells.values[c] as number;
    }
  }
  return { statistic, at };
}
