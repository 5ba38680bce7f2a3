import { probabilityGroups } from "./probability-groups.ts";

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** 1 = the lowest predicted probabilities. */
  bin: number;
  leads: number;
  conversions: number;
  meanPredicted: number;
  observedRate: number;
  /** Lowest and highest predicted probability in the bin. */
  low: number;
  high: number;
}

/**
 * **Reliability diagram** (calibration curve) and **expected calibration error**: leads in bins of
 * (as near as possible) equal count by predicted probability, each bin's mean predicted probability
 * against its observed conversion rate, and ECE = sum_b (n_b / N) |observedRate_b - meanPredicted_b|
 * (Naeini, Cooper & Hauskrecht, "Obtaining well calibrated probabilities using Bayesian binning",
 * AAAI 2015). Tied probabilities never split across bins, so with fewer distinct probabilities than
 * bins (or heavy ties) there are fewer bins; `bins.length` says how many. Without ties and with N a
 * multiple of `bins`, the bins are those of sklearn.calibration.calibration_curve(strategy="quantile").
 *
 * Cost O(n log n). Throws a RangeError for mismatched or empty arrays, a probability outside
 * [0, 1], a label other than 0/1, or bins not an integer >= 1.
 *
 * @example reliability([0.1, 0.2, 0.7, 0.9], [0, 1, 1, 1], 2).ece // 0.275 = (0.35 + 0.2) / 2
 */
export function reliability(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): { bins: ReliabilityBin[]; ece: number } {
  const groups = probabilityGroups("reliability", probabilities, labels, bins);
  const n = probabilities.length;
  let ece = 0;
  const out = groups.map((g, i) => {
    const meanPredicted = g.expected / g.leads;
    const observedRate = g.conversions / g.leads;
    ece += (g.leads / n) * Math.abs(observedRate - meanPredicted);
    return {
      bin: i + 1,
      leads: g.leads,
      conversions: g.conversions,
      meanPredicted,
      observedRate,
      low: g.low,
      high: g.high,
    };
  });
  return { bins: out, ece };
}
