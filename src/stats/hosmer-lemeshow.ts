import { chiSquareUpperTail } from "./chi-square-upper-tail.ts";
import { probabilityGroups } from "./probability-groups.ts";

/** One risk group of the Hosmer-Lemeshow test. */
export interface HosmerLemeshowGroup {
  /** 1 = the lowest predicted probabilities. */
  group: number;
  leads: number;
  conversions: number;
  /** Conversions the model expects: the sum of the predicted probabilities. */
  expected: number;
  meanPredicted: number;
  observedRate: number;
  /** Lowest and highest predicted probability in the group. */
  low: number;
  high: number;
}

/**
 * **Hosmer-Lemeshow goodness-of-fit test** over groups of predicted risk (Hosmer & Lemeshow,
 * Applied Logistic Regression, 2nd ed., 2000, section 5.2.2):
 *
 *   C = sum_g (O_g - E_g)^2 / (E_g (1 - E_g / n_g))
 *
 * with O_g the conversions, E_g the sum of predicted probabilities and n_g the leads of group g,
 * compared with chi-square(G - 2). The groups are (about) equal-count groups by predicted
 * probability with ties never split (the bins of reliability), so with fewer distinct probabilities
 * than `groups`, or heavy ties, G is smaller and df = G - 2 follows it. A group whose expected
 * count is 0 (all p = 0) or n_g (all p = 1) adds 0 when it agrees with its outcomes and makes the
 * statistic Infinity (p-value 0) when it does not: a certainty contradicted by the data.
 *
 * Cost O(n log n). Throws a RangeError when fewer than 3 groups can be formed (df would be < 1),
 * for mismatched or empty arrays, a probability outside [0, 1] or a label other than 0/1.
 *
 * @example hosmerLemeshow([0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.5, 0.55, 0.7, 0.9], [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], 5)
 * // { statistic: 2.4095804358962..., df: 3, pValue: 0.49185371928..., groups: [...] }
 */
export function hosmerLemeshow(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups = 10,
): { statistic: number; df: number; pValue: number; groups: HosmerLemeshowGroup[] } {
  const formed = probabilityGroups("hosmerLemeshow", probabilities, labels, groups);
  if (formed.length < 3)
    throw new RangeError(
      `hosmerLemeshow: only ${formed.length} group(s) of distinct predicted probability could be formed; the test needs at least 3 (df = groups - 2)`,
    );
  let statistic = 0;
  const out = formed.map((g, i) => {
    const o = g.conversions;
    const e = g.expected;
    const variance = e * (1 - e / g.leads);
    if (variance > 0) statistic += ((o - e) * (o - e)) / variance;
    else if (Math.abs(o - e) > 1e-9) statistic = Number.POSITIVE_INFINITY;
    return {
      group: i + 1,
      leads: g.leads,
      conversions: o,
      expected: e,
      meanPredicted: e / g.leads,
      observedRate: o / g.leads,
      low: g.low,
      high: g.high,
    };
  });
  const df = formed.length - 2;
  return { statistic, df, pValue: chiSquareUpperTail(statistic, df), groups: out };
}
