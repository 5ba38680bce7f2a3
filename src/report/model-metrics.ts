import type { HoldoutMetrics } from "../calibrate/report.ts";

/**
 * The Model page's metrics table: each holdout metric of the champion and the challenger side by
 * side, what it says in one line, how to print it, and which version it favours.
 */

export interface MetricRow {
  key: string;
  label: string;
  /** One line for a manager: what the metric says. */
  explain: string;
  /** How to print it: an AUC-like score, a share, a ratio ("2.1x"), a p-value, a plain number. */
  kind: "score" | "share" | "ratio" | "pvalue" | "number";
  champion: number | null;
  challenger: number | null;
  /** For AUC: the 95% intervals. */
  championLow?: number | null;
  championHigh?: number | null;
  challengerLow?: number | null;
  challengerHigh?: number | null;
  /** Which one the metric favours (null: a tie, not comparable, or a p-value). */
  better: "champion" | "challenger" | null;
}

/** True when the metrics include the probability ones (a definition may carry points only). */
export function hasProbabilities(m: HoldoutMetrics): boolean {
  return m.brier !== null && m.reliability.length > 0;
}

interface MetricSpec {
  key: string;
  label: string;
  explain: string;
  kind: MetricRow["kind"];
  higherIsBetter: boolean | null;
  get: (m: HoldoutMetrics) => number | null;
}

const LIFT_SHARES = [0.1, 0.2, 0.3];
/** The lift and capture at the best-scored share `f` of the leads (null: not measured there). */
export const liftAt = (m: HoldoutMetrics, f: number) =>
  m.lift.find((l) => Math.abs(l.fraction - f) < 1e-9) ?? null;

const METRICS: MetricSpec[] = [
  {
    key: "auc",
    label: "AUC (95% interval)",
    explain:
      "The chance a lead that converted scores above one that did not: 0.5 is a coin toss, 1 is a perfect ranking.",
    kind: "score",
    higherIsBetter: true,
    get: (m) => m.auc,
  },
  {
    key: "gini",
    label: "Gini",
    explain: "2 × AUC − 1: the same ranking power on a scale from 0 (none) to 1 (perfect).",
    kind: "score",
    higherIsBetter: true,
    get: (m) => m.gini,
  },
  {
    key: "ks",
    label: "KS",
    explain:
      "The widest gap between the score distributions of leads that converted and leads that did not; higher separates them better.",
    kind: "score",
    higherIsBetter: true,
    get: (m) => m.ks,
  },
  {
    key: "brier",
    label: "Brier score",
    explain: "The mean squared gap between the predicted chance and what happened; lower is better.",
    kind: "number",
    higherIsBetter: false,
    get: (m) => m.brier,
  },
  {
    key: "logLoss",
    label: "Log loss",
    explain: "Like the Brier score, but punishes confident wrong predictions harder; lower is better.",
    kind: "number",
    higherIsBetter: false,
    get: (m) => m.logLoss,
  },
  {
    key: "ece",
    label: "Expected calibration error",
    explain:
      "How far, on average over the ten bins, the predicted conversion rate is from the rate observed; lower is better.",
    kind: "share",
    higherIsBetter: false,
    get: (m) => m.ece,
  },
  {
    key: "hlStatistic",
    label: "Hosmer-Lemeshow statistic",
    explain: "Sums the gaps between predicted and observed conversions per bin; lower is better.",
    kind: "number",
    higherIsBetter: false,
    get: (m) => m.hosmerLemeshow?.statistic ?? null,
  },
  {
    key: "hlPValue",
    label: "Hosmer-Lemeshow p-value",
    explain:
      "Below 0.05 the predicted chances are measurably off the observed ones; above it they cannot be told apart.",
    kind: "pvalue",
    higherIsBetter: null,
    get: (m) => m.hosmerLemeshow?.pValue ?? null,
  },
  ...LIFT_SHARES.flatMap((f): MetricSpec[] => {
    const pct = `${Math.round(f * 100)}%`;
    return [
      {
        key: `lift${pct}`,
        label: `Lift, top ${pct}`,
        explain: `How many times the average conversion rate the ${pct} best-scored leads reach.`,
        kind: "ratio",
        higherIsBetter: true,
        get: (m) => liftAt(m, f)?.lift ?? null,
      },
      {
        key: `capture${pct}`,
        label: `Capture, top ${pct}`,
        explain: `The share of all conversions found among the ${pct} best-scored leads.`,
        kind: "share",
        higherIsBetter: true,
        get: (m) => liftAt(m, f)?.capture ?? null,
      },
    ];
  }),
];

/** The metrics table: every metric for both versions side by side, with which one it favours. */
export function metricRows(champion: HoldoutMetrics, challenger: HoldoutMetrics): MetricRow[] {
  return METRICS.map((s) => {
    const a = s.get(champion);
    const b = s.get(challenger);
    const better =
      a === null || b === null || s.higherIsBetter === null || a === b
        ? null
        : b > a === s.higherIsBetter
          ? "challenger"
          : "champion";
    return {
      key: s.key,
      label: s.label,
      explain: s.explain,
      kind: s.kind,
      champion: a,
      challenger: b,
      ...(s.key === "auc"
        ? {
            championLow: champion.aucLow,
            championHigh: champion.aucHigh,
            challengerLow: challenger.aucLow,
            challengerHigh: challenger.aucHigh,
          }
        : {}),
      better,
    };
  });
}
