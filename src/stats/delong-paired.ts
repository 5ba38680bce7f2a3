import { countPositives, requireBothClasses } from "./check-inputs.ts";
import { chiSquareUpperTail } from "./chi-square-upper-tail.ts";

/** DeLong's test of two correlated AUCs. */
export interface DelongPaired {
  aucA: number;
  aucB: number;
  /** aucB - aucA. */
  difference: number;
  /** Standard error of the difference. */
  se: number;
  z: number;
  /** Two-sided p-value of "the two AUCs are equal". */
  pValue: number;
  /** 95% confidence interval of the difference (normal, difference +- 1.96 se). */
  low: number;
  high: number;
}

const Z_975 = 1.959963984540054; // scipy.stats.norm.ppf(0.975)

/**
 * **DeLong's test for two correlated ROC curves**: two scorers on the same leads, the difference of
 * their AUCs with its standard error from the structural components (placement values) of each AUC
 * (DeLong, DeLong & Clarke-Pearson, "Comparing the areas under two or more correlated receiver
 * operating characteristic curves: a nonparametric approach", Biometrics 44, 1988), computed in the
 * O(n log n) midrank form of Sun & Xu ("Fast implementation of DeLong's algorithm for comparing the
 * areas under correlated receiver operating characteristic curves", IEEE Signal Processing Letters
 * 21, 2014).
 *
 * For a converted lead i, V10_i = share of non-converted leads it outscores (ties one half); for a
 * non-converted lead j, V01_j = share of converted leads that outscore it. AUC = mean V10 = mean
 * V01, and with d = V(B) - V(A) per lead,
 *
 *   Var(AUC_B - AUC_A) = var(d10) / P + var(d01) / N     (sample variances, divisor P - 1, N - 1)
 *
 * z = difference / se, p-value = P(|Z| >= |z|) = chiSquareUpperTail(z^2, 1). The placements come
 * from binary searches in each class's sorted scores (each class sorted once natively), which is
 * the midrank difference of Sun & Xu without sorting indices.
 *
 * Scorers that rank the leads identically (se = 0 and difference 0) give z 0, pValue 1 and the
 * interval [0, 0]. A nonzero difference with se = 0 (every lead's placement moves by the same
 * amount) gives z = +-Infinity and pValue 0. Never NaN.
 *
 * Cost O(n log n). Throws a RangeError when fewer than 2 leads are in either class (the variances
 * need 2), the three arrays differ in length, are empty, hold a score that is not finite or a label
 * other than 0/1.
 *
 * @example delongPaired([1, 2, 3, 4], [1, 3, 2, 4], [0, 1, 0, 1]) // { aucA: 0.75, aucB: 1, ... }
 */
export function delongPaired(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  labels: ArrayLike<number>,
): DelongPaired {
  const n = labels.length;
  const totalPositives = countPositives("delongPaired", scoresA, labels);
  countPositives("delongPaired", scoresB, labels);
  requireBothClasses("delongPaired", totalPositives, n);
  const totalNegatives = n - totalPositives;
  if (totalPositives < 2 || totalNegatives < 2)
    throw new RangeError(
      `delongPaired: needs at least 2 converted and 2 non-converted leads, got ${totalPositives} and ${totalNegatives}`,
    );
  const a = placements(scoresA, labels, totalPositives, totalNegatives);
  const b = placements(scoresB, labels, totalPositives, totalNegatives);
  const aucA = mean(a.v10);
  const aucB = mean(b.v10);
  const difference = aucB - aucA;
  const variance =
    varianceOfDifference(a.v10, b.v10) / totalPositives + varianceOfDifference(a.v01, b.v01) / totalNegatives;
  const se = Math.sqrt(variance);
  if (se === 0) {
    const z = difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
    return {
      aucA,
      aucB,
      difference,
      se,
      z,
      pValue: difference === 0 ? 1 : 0,
      low: difference,
      high: difference,
    };
  }
  const z = difference / se;
  return {
    aucA,
    aucB,
    difference,
    se,
    z,
    pValue: chiSquareUpperTail(z * z, 1),
    low: difference - Z_975 * se,
    high: difference + Z_975 * se,
  };
}

/**
 * Placement values, in the order the leads of each class appear (so A's and B's line up):
 * v10 for converted leads, v01 for non-converted ones.
 */
function placements(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  totalPositives: number,
  totalNegatives: number,
): { v10: Float64Array; v01: Float64Array } {
  const pos = new Float64Array(totalPositives);
  const neg = new Float64Array(totalNegatives);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] === 1) pos[p++] = scores[i] as number;
    else neg[q++] = scores[i] as number;
  }
  const sortedPos = pos.slice().sort();
  const sortedNeg = neg.slice().sort();
  const v10 = new Float64Array(totalPositives);
  const v01 = new Float64Array(totalNegatives);
  for (let i = 0; i < totalPositives; i++) {
    const x = pos[i] as number;
    const below = lowerBound(sortedNeg, x);
    const atOrBelow = upperBound(sortedNeg, x);
    v10[i] = (below + (atOrBelow - below) / 2) / totalNegatives;
  }
  for (let j = 0; j < totalNegatives; j++) {
    const x = neg[j] as number;
    const below = lowerBound(sortedPos, x);
    const atOrBelow = upperBound(sortedPos, x);
    v01[j] = (totalPositives - atOrBelow + (atOrBelow - below) / 2) / totalPositives;
  }
  return { v10, v01 };
}

/** Number of entries < x in ascending `sorted`. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries <= x in ascending `sorted`. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/** Sample variance (divisor m - 1) of b_i - a_i, two-pass. */
function varianceOfDifference(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (b[i] as number) - (a[i] as number);
  const centre = sum / a.length;
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (b[i] as number) - (a[i] as number) - centre;
    squares += d * d;
  }
  return squares / (a.length - 1);
}
