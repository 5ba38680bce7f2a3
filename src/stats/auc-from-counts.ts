/**
 * **Area under the ROC curve from cell counts**: given, for each distinct score in ascending order,
 * the (possibly weighted) count of converted and non-converted leads, the Mann-Whitney probability
 * that a random converted lead outscores a random non-converted one, ties counting one half:
 *
 *   AUC = sum_c pos_c * (neg below c + neg_c / 2) / (P * N)
 *
 * The bootstrap calls this once per replicate with resampled counts. Cost O(cells).
 * Returns NaN when either class total is 0: callers check before (auc throws a RangeError, the
 * bootstrap redraws the replicate).
 *
 * @example aucFromCounts([1, 0], [0, 1]) // 0 (the converted lead has the lower score)
 */
export function aucFromCounts(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  let negativesBelow = 0;
  let totalPositives = 0;
  let concordant = 0;
  for (let c = 0; c < positives.length; c++) {
    const p = positives[c] as number;
    const q = negatives[c] as number;
    concordant += p * (negativesBelow + q / 2);
    negativesBelow += q;
    totalPositives += p;
  }
  return concordant / (totalPositives * negativesBelow);
}
