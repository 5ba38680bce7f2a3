import { scoreCells } from "./score-cells.ts";
import { capturedAt, topDownTotals } from "./top-down-totals.ts";

/** Lift of the top share of leads by score. */
export interface LiftRow {
  /** The share of leads taken from the top, as asked. */
  fraction: number;
  /** fraction * n: may be fractional when n * fraction is not a whole number. */
  leads: number;
  /** Conversions expected among them (ties at the cut shared in proportion). */
  conversions: number;
  /** conversions / leads. */
  rate: number;
  /** rate / overall conversion rate: how many times better than taking leads at random. */
  lift: number;
  /** conversions / all conversions: the gains curve at this share. */
  capture: number;
}

/**
 * **Lift at the top fraction** of leads by score (the "top-decile lift" of direct marketing; Ling &
 * Li, "Data mining for direct marketing: problems and solutions", KDD 1998): the conversion rate
 * among the top fraction * n leads divided by the overall rate. Leads tied on the score at the cut
 * count in proportion — the expected value under a random order of the tied leads — so the answer
 * does not depend on row order. lift = capture / fraction.
 *
 * Cost O(n log n + fractions). Throws a RangeError when no lead converted (lift is undefined), a
 * fraction is outside (0, 1], for mismatched or empty arrays, a score that is not finite or a label
 * other than 0/1.
 *
 * @example lift([4, 3, 2, 1], [1, 0, 1, 0], [0.5]) // [{fraction:0.5, leads:2, conversions:1, rate:0.5, lift:1, capture:0.5}]
 */
export function lift(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  fractions: readonly number[] = [0.1, 0.2, 0.3],
): LiftRow[] {
  for (const f of fractions)
    if (!(f > 0 && f <= 1)) throw new RangeError(`lift: fractions must be in (0, 1], got ${f}`);
  const cells = scoreCells("lift", scores, labels);
  const n = scores.length;
  const totalPositives = cells.totalPositives;
  if (totalPositives === 0)
    throw new RangeError(`lift: no converted leads (label 1) among the ${n} leads; lift is undefined`);
  const cellCount = cells.values.length;
  const { taken, captured } = topDownTotals(cells);
  const overallRate = totalPositives / n;
  return fractions.map((fraction) => {
    const leads = fraction * n;
    let v = 0;
    while (v < cellCount && (taken[v + 1] as number) <= leads) v++;
    const conversions = capturedAt(taken, captured, v, leads);
    const rate = conversions / leads;
    return {
      fraction,
      leads,
      conversions,
      rate,
      lift: rate / overallRate,
      capture: conversions / totalPositives,
    };
  });
}
