import {
  auc,
  bootstrapAuc,
  brier,
  delongPaired,
  gainsCurve,
  gini,
  hosmerLemeshow,
  ks,
  lift,
  logLoss,
  reliability,
  rocCurve,
} from "../stats/index.ts";
import type { Comparison, HoldoutMetrics } from "./report.ts";

/**
 * The holdout metrics of one scoring: how well its points rank converters above the rest (AUC with a
 * bootstrap interval, Gini, KS, lift, capture) and, where it has probabilities, how true they are
 * (Brier, log loss, expected calibration error, Hosmer-Lemeshow, the reliability table).
 */
export function measure(
  scores: ArrayLike<number>,
  probabilities: ArrayLike<number> | null,
  labels: Uint8Array,
  opts: { seed: number; replicates?: number },
): HoldoutMetrics {
  let conversions = 0;
  for (let i = 0; i < labels.length; i++) conversions += labels[i] as number;
  const a = auc(scores, labels);
  const ci = bootstrapAuc(scores, labels, { seed: opts.seed, replicates: opts.replicates ?? 1000 });
  const rel = probabilities ? reliability(probabilities, labels, 10) : null;
  const hl = probabilities ? hosmerLemeshowOrNull(probabilities, labels) : null;
  return {
    leads: labels.length,
    conversions,
    auc: a,
    aucLow: ci.low,
    aucHigh: ci.high,
    gini: gini(a),
    ks: ks(scores, labels).statistic,
    brier: probabilities ? brier(probabilities, labels) : null,
    logLoss: probabilities ? logLoss(probabilities, labels) : null,
    ece: rel ? rel.ece : null,
    hosmerLemeshow: hl ? { statistic: hl.statistic, df: hl.df, pValue: hl.pValue } : null,
    reliability: rel
      ? rel.bins.map((b) => ({
          bin: b.bin,
          leads: b.leads,
          conversions: b.conversions,
          meanPredicted: b.meanPredicted,
          observedRate: b.observedRate,
        }))
      : [],
    lift: lift(scores, labels, [0.1, 0.2, 0.3]),
    roc: rocCurve(scores, labels, 101),
    gains: gainsCurve(scores, labels, 101),
  };
}

/** DeLong's paired test of the challenger's AUC against the champion's, with the verdict in words. */
export function compare(
  champion: ArrayLike<number>,
  challenger: ArrayLike<number>,
  labels: Uint8Array,
  names: { champion: string; challenger: string },
): Comparison {
  const d = delongPaired(champion, challenger, labels);
  const verdict: Comparison["verdict"] =
    d.pValue < 0.05 ? (d.difference > 0 ? "better" : "worse") : "not distinguishable";
  const f = (x: number) => x.toFixed(3);
  const diff = `${d.difference >= 0 ? "+" : ""}${f(d.difference)} (95% interval ${f(d.low)} to ${f(d.high)}, DeLong ${d.pValue < 0.001 ? "p < 0.001" : `p = ${d.pValue.toFixed(3)}`})`;
  const sentence =
    verdict === "better"
      ? `The new points (${names.challenger}) rank leads better than the points in use (${names.champion}): holdout AUC ${f(d.aucB)} against ${f(d.aucA)}, a difference of ${diff}.`
      : verdict === "worse"
        ? `The new points (${names.challenger}) rank leads worse than the points in use (${names.champion}): holdout AUC ${f(d.aucB)} against ${f(d.aucA)}, a difference of ${diff}. Keep the points in use.`
        : `The new points (${names.challenger}) and the points in use (${names.champion}) cannot be told apart on this holdout: AUC ${f(d.aucB)} against ${f(d.aucA)}, a difference of ${diff}.`;
  return {
    aucChampion: d.aucA,
    aucChallenger: d.aucB,
    difference: d.difference,
    low: d.low,
    high: d.high,
    z: d.z,
    pValue: d.pValue,
    verdict,
    sentence,
  };
}

/** The Hosmer-Lemeshow test needs at least 3 groups of distinct probability; with fewer it is not defined (null). */
function hosmerLemeshowOrNull(
  probabilities: ArrayLike<number>,
  labels: Uint8Array,
): ReturnType<typeof hosmerLemeshow> | null {
  try {
    return hosmerLemeshow(probabilities, labels, 10);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
