import { scoreCells } from "./score-cells.ts";
import { capturedAt, topDownTotals } from "./top-down-totals.ts";

/**
 * **Cumulative gains curve**: taking leads from the top score down, the share of leads taken
 * against the share of all conversions captured. Leads tied on a score are taken together and
 * their conversions are shared out in proportion, so between two distinct scores the curve is the
 * straight line — the expected capture under a random order of the tied leads, independent of row
 * order. Starts at (0, 0) and ends at (1, 1).
 *
 * With at most maxPoints vertices (distinct scores + 1) the vertices are returned; with more, the
 * curve is read at maxPoints evenly spaced shares 0, 1/(maxPoints-1), ..., 1 (exact, since it is
 * linear between vertices).
 *
 * Cost O(n log n). Throws a RangeError when no lead converted (capture is undefined), for
 * mismatched or empty arrays, a score that is not finite, a label other than 0/1, or maxPoints < 2.
 *
 * @example gainsCurve([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])
 * // [{share:0,capture:0}, {share:0.25,capture:0.5}, {share:0.75,capture:1}, {share:1,capture:1}]
 */
export function gainsCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  maxPoints = 101,
): { share: number; capture: number }[] {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2))
    throw new RangeError(`gainsCurve: maxPoints must be an integer >= 2, got ${maxPoints}`);
  const cells = scoreCells("gainsCurve", scores, labels);
  const n = scores.length;
  const totalPositives = cells.totalPositives;
  if (totalPositives === 0)
    throw new RangeError(
      `gainsCurve: no converted leads (label 1) among the ${n} leads; capture is undefined`,
    );
  const cellCount = cells.values.length;
  const { taken, captured } = topDownTotals(cells);
  const out: { share: number; capture: number }[] = [];
  if (cellCount + 1 <= maxPoints) {
    for (let v = 0; v <= cellCount; v++)
      out.push({ share: (taken[v] as number) / n, capture: (captured[v] as number) / totalPositives });
    return out;
  }
  let v = 0;
  for (let j = 0; j < maxPoints; j++) {
    const k = (j * n) / (maxPoints - 1);
    while (v < cellCount && (taken[v + 1] as number) < k) v++;
    out.push({ share: k / n, capture: capturedAt(taken, captured, v, k) / totalPositives });
  }
  return out;
}
