import { aucFromCounts } from "./auc-from-counts.ts";
import { requireBothClasses } from "./check-inputs.ts";
import { scoreCells } from "./score-cells.ts";

/**
 * **Area under the ROC curve** (AUC, the concordance or c-statistic): the probability that a random
 * converted lead scores higher than a random non-converted one, ties counting one half — the
 * Mann-Whitney U statistic divided by P * N (Hanley & McNeil, "The meaning and use of the area
 * under a receiver operating characteristic (ROC) curve", Radiology 143, 1982). Equal to
 * sklearn.metrics.roc_auc_score.
 *
 * Cost O(n log n): one native sort per class, then a walk over the distinct scores.
 *
 * Throws a RangeError when the lengths differ, the arrays are empty, a score is not finite, a label
 * is not 0/1, or a class is empty (the message says which).
 *
 * @example auc([0.1, 0.4, 0.35, 0.8], [0, 1, 1, 0]) // 0.5
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const cells = scoreCells("auc", scores, labels);
  requireBothClasses("auc", cells.totalPositives, scores.length);
  return aucFromCounts(cells.positives, cells.negatives);
}
