import { checkCounts } from "./binning-woe.ts";
import { chiSquareUpperTail } from "./chi-square-upper-tail.ts";

/**
 * **Whether two neighbouring bins differ in event rate**: Pearson's chi-square of their 2 x 2 table
 * (bin by event or not) without continuity correction, and its p-value on 1 degree of freedom. The
 * statistic is the square of the pooled two-proportion Z, so the p-value is the two-sided Z-test's
 * (optbinning's max_pvalue constrains consecutive bins by a Z-test); ChiMerge merges the neighbours
 * whose chi-square is below the critical value (Kerber, "ChiMerge: discretization of numeric
 * attributes", AAAI 1992).
 *
 * Cost O(1). A bin with no lead, or a table with no event or no non-event at all, gives chi-square 0
 * and p 1 (nothing tells the two apart). Throws a RangeError on counts with events outside [0, leads].
 *
 * @example pairTest({ leads: 50, events: 5 }, { leads: 50, events: 20 })
 * // { chiSquare: 12, p: 0.000532 } (scipy.stats.chi2_contingency([[5, 45], [20, 30]], correction=False))
 */
export function pairTest(
  a: { leads: number; events: number },
  b: { leads: number; events: number },
): { chiSquare: number; p: number } {
  checkCounts(a, "a");
  checkCounts(b, "b");
  const n = a.leads + b.leads;
  const e = a.events + b.events;
  if (a.leads === 0 || b.leads === 0 || e === 0 || e === n) return { chiSquare: 0, p: 1 };
  let chiSquare = 0;
  for (const g of [a, b])
    for (const [observed, share] of [
      [g.events, e / n],
      [g.leads - g.events, (n - e) / n],
    ] as const) {
      const expected = g.leads * share;
      chiSquare += (observed - expected) ** 2 / expected;
    }
  return { chiSquare, p: chiSquareUpperTail(chiSquare, 1) };
}
