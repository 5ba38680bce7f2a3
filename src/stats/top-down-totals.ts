import type { ScoreCells } from "./score-cells.ts";

/**
 * **Top-down running totals** over score cells: after taking the v highest distinct scores,
 * `taken[v]` leads and `captured[v]` conversions (v = 0 .. cells). The gains curve and lift read
 * these, and `capturedAt` interpolates between them. Cost O(cells).
 *
 * @example topDownTotals(scoreCells("x", [2, 1, 1], [1, 0, 1])) // taken [0, 1, 3], captured [0, 1, 2]
 */
export function topDownTotals(cells: ScoreCells): { taken: Float64Array; captured: Float64Array } {
  const cellCount = cells.values.length;
  const taken = new Float64Array(cellCount + 1);
  const captured = new Float64Array(cellCount + 1);
  for (let v = 1; v <= cellCount; v++) {
    const c = cellCount - v;
    taken[v] = (taken[v - 1] as number) + (cells.positives[c] as number) + (cells.negatives[c] as number);
    captured[v] = (captured[v - 1] as number) + (cells.positives[c] as number);
  }
  return { taken, captured };
}

/**
 * Conversions expected among the top k leads (k may be fractional), given the vertex v with
 * taken[v] <= k <= taken[v + 1]: the leads of the next cell are tied, so under a random order of
 * them each contributes in proportion, and the answer is the straight line between the vertices.
 */
export function capturedAt(taken: Float64Array, captured: Float64Array, v: number, k: number): number {
  const before = taken[v] as number;
  if (v + 1 >= taken.length || k <= before) return captured[v] as number;
  const width = (taken[v + 1] as number) - before;
  return (
    (captured[v] as number) + (((captured[v + 1] as number) - (captured[v] as number)) * (k - before)) / width
  );
}
