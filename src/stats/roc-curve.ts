import { requireBothClasses } from "./check-inputs.ts";
import { evenlySpacedIndices } from "./evenly-spaced-indices.ts";
import { scoreCells } from "./score-cells.ts";

/**
 * **Receiver operating characteristic (ROC) curve**: for each distinct score threshold t from high
 * to low, the false-positive rate (share of non-converted leads scoring >= t) against the
 * true-positive rate (share of converted leads scoring >= t). Starts at (0, 0) (nothing taken) and
 * ends at (1, 1) (everything taken); tied scores move as one step, a diagonal segment (Fawcett,
 * "An introduction to ROC analysis", Pattern Recognition Letters 27, 2006, algorithm 1). The
 * vertices are those of sklearn.metrics.roc_curve(drop_intermediate=False) with (0, 0) in front.
 *
 * With more than maxPoints vertices, evenly spaced vertices are kept (always the two ends), so a
 * chart gets about maxPoints points whatever the holdout size.
 *
 * Cost O(n log n). Throws a RangeError for an empty class, mismatched or empty arrays, a score that
 * is not finite, a label other than 0/1, or maxPoints < 2.
 *
 * @example rocCurve([0.1, 0.4, 0.35, 0.8], [0, 1, 1, 0])
 * // [{fpr:0,tpr:0}, {fpr:0.5,tpr:0}, {fpr:0.5,tpr:0.5}, {fpr:0.5,tpr:1}, {fpr:1,tpr:1}]
 */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  maxPoints = 101,
): { fpr: number; tpr: number }[] {
  const cells = scoreCells("rocCurve", scores, labels);
  requireBothClasses("rocCurve", cells.totalPositives, scores.length);
  const m = cells.values.length + 1;
  const keep = evenlySpacedIndices(m, maxPoints);
  const out: { fpr: number; tpr: number }[] = [];
  // Vertex v takes the v highest distinct scores; walk the cells from the top.
  let v = 0;
  let truePositives = 0;
  let falsePositives = 0;
  for (const target of keep) {
    while (v < target) {
      const c = cells.values.length - 1 - v;
      truePositives += cells.positives[c] as number;
      falsePositives += cells.negatives[c] as number;
      v++;
    }
    out.push({ fpr: falsePositives / cells.totalNegatives, tpr: truePositives / cells.totalPositives });
  }
  return out;
}
