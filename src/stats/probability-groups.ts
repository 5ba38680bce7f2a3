import { checkProbabilities } from "./check-inputs.ts";
import { equalCountGroups } from "./equal-count-groups.ts";
import { scoreCells } from "./score-cells.ts";

/** One group of leads by predicted probability. */
export interface ProbabilityGroup {
  leads: number;
  conversions: number;
  /** Sum of the predicted probabilities: the conversions the model expects. */
  expected: number;
  /** Lowest and highest predicted probability in the group. */
  low: number;
  high: number;
}

/**
 * Leads grouped by predicted probability into (about) `groups` equal-count groups, ascending,
 * tied probabilities never split (see equalCountGroups): the grouping of reliability and
 * hosmerLemeshow. Cost O(n log n). Throws a RangeError on invalid input.
 */
export function probabilityGroups(
  fn: string,
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: number,
): ProbabilityGroup[] {
  const cells = scoreCells(fn, probabilities, labels);
  checkProbabilities(fn, probabilities);
  const cellCount = cells.values.length;
  const counts = new Float64Array(cellCount);
  for (let c = 0; c < cellCount; c++)
    counts[c] = (cells.positives[c] as number) + (cells.negatives[c] as number);
  const { group, count } = equalCountGroups(counts, groups);
  const out: ProbabilityGroup[] = [];
  for (let g = 0; g < count; g++) out.push({ leads: 0, conversions: 0, expected: 0, low: 1, high: 0 });
  for (let c = 0; c < cellCount; c++) {
    const row = out[group[c] as number] as ProbabilityGroup;
    const p = cells.values[c] as number;
    row.leads += counts[c] as number;
    row.conversions += cells.positives[c] as number;
    row.expected += p * (counts[c] as number);
    if (p < row.low) row.low = p;
    if (p > row.high) row.high = p;
  }
  return out;
}
