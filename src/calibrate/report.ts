/**
 * The record of one calibration run: everything the command prints, the Model page shows and the
 * registry keeps (model_versions.report, as JSON). Aggregates only: no lead id, name or contact ever
 * goes in here, so the whole object can be published.
 *
 * Numbers are plain JSON numbers (no NaN: a value that cannot be computed is null, with a note).
 */

import type { LiftRow } from "../stats/lift.ts";
import type { ReliabilityBin as StatsReliabilityBin } from "../stats/reliability.ts";

/** Metrics of one scoring on the holdout. */
export interface HoldoutMetrics {
  /** Leads in the holdout and how many reached the outcome. */
  leads: number;
  conversions: number;
  /** Area under the ROC curve, with a stratified bootstrap 95% interval. */
  auc: number;
  aucLow: number;
  aucHigh: number;
  /** 2 * auc - 1. */
  gini: number;
  /** Kolmogorov-Smirnov: the largest gap between the cumulative score distributions of converters and the rest. */
  ks: number;
  /** Mean squared error of the probability (null when the definition carries no probability). */
  brier: number | null;
  logLoss: number | null;
  /** Expected calibration error over the reliability bins (null without probabilities). */
  ece: number | null;
  hosmerLemeshow: { statistic: number; df: number; pValue: number } | null;
  /** 10 bins of equal lead count by predicted probability. */
  reliability: ReliabilityBin[];
  /** Lift and capture in the top 10, 20, 30% by score. */
  lift: LiftRow[];
  /** ROC and gains curves, at most about 101 points each (thinned, aggregated). */
  roc: { fpr: number; tpr: number }[];
  gains: { share: number; capture: number }[];
}

/** A reliability bin as published (src/stats/reliability.ts, without its probability range). */
export type ReliabilityBin = Omit<StatsReliabilityBin, "low" | "high">;

/** Lift and capture in a top share by score (src/stats/lift.ts). */
export type { LiftRow };

/** DeLong's test for two correlated AUCs on the same holdout (challenger minus champion). */
export interface Comparison {
  aucChampion: number;
  aucChallenger: number;
  difference: number;
  /** 95% interval of the difference. */
  low: number;
  high: number;
  z: number;
  pValue: number;
  /** better, worse or not distinguishable at the 5% level. */
  verdict: "better" | "worse" | "not distinguishable";
  /** The verdict in one plain sentence. */
  sentence: string;
}

/** One case (band, value list, missing, other; or an engagement or negative criterion) and its points. */
export interface PointsRow {
  criterion: string;
  criterionLabel: string;
  section: "fit" | "situational" | "engagement" | "negative";
  /** The case in words: "1,000 to 4,999 employees", "missing", "other", "per event", "when it holds". */
  case: string;
  oldPoints: number | null;
  newPoints: number;
  /** Training leads in this case (for engagement: leads with at least one event) and their conversion rate. */
  leads: number;
  rate: number | null;
  /** Set when the new points run against the case's own conversion rate (see calibrate/fit). */
  flag?: string;
}

/** A column or activity type looked at by --discover. */
export interface DiscoveredRow {
  name: string;
  kind: "numeric" | "categorical" | "activity";
  informationValue: number;
  /** Out-of-fold AUC of this candidate alone. */
  singleAuc: number | null;
  bands: number;
  /** kept (added to the draft), not kept (did not improve the cross-validated fit), left out (leak guard or --exclude). */
  decision: "kept" | "not kept" | "left out";
  reason: string;
}

export interface LeftOut {
  name: string;
  /** leak guard, excluded by --exclude, changed after the scoring moment, constant, ... */
  reason: string;
}

export interface PsiRow {
  /** "score" for the total, else a criterion name. */
  name: string;
  label: string;
  psi: number;
  /** stable (< 0.10), look (0.10-0.25), shifted (> 0.25). */
  band: "stable" | "look" | "shifted";
}

export interface WindowInfo {
  /** First and last scoring moment (YYYY-MM-DD) of the set, null without dates. */
  from: string | null;
  to: string | null;
  leads: number;
  conversions: number;
}

/** A part of the population read as a seeded sample (../calibrate/sample.ts): leads read of all of it. */
export interface SampleInfo {
  /** At most this many leads of each part are read (--max-leads). */
  maxLeads: number;
  seed: number;
  training: { leads: number; of: number };
  holdout: { leads: number; of: number };
  recent: { leads: number; of: number };
}

export interface CalibrationReport {
  version: string;
  championVersion: string;
  /** The last day of the training window (YYYY-MM-DD; empty without dates): the data the run saw. When
   * the run was made is the registry's created_at, kept out of here so the same data gives the same report. */
  createdAt: string;
  target: { stage: string; horizonDays: number; among?: string };
  /** How the holdout was chosen: out of time (newest complete cohort, or a date) or stratified. */
  holdout: { rule: string; outOfTime: boolean; description: string };
  /** True when the data had the dates to score each lead at its own moment. */
  pointInTimeChecked: boolean;
  training: WindowInfo;
  holdoutWindow: WindowInfo;
  /** The newest population for PSI (leads scored whose outcome is not known yet, or the holdout). */
  recent: WindowInfo & { description: string };
  /** Why leads were left out of training, with counts. */
  population: { reason: string; leads: number }[];
  champion: HoldoutMetrics;
  challenger: HoldoutMetrics;
  /** The challenger's AUC before rounding its points to integers. */
  challengerUnroundedAuc: number;
  comparison: Comparison;
  scaling: { base_score: number; base_odds: number; points_to_double_odds: number };
  /** The L2 penalty chosen by cross-validation, and the grid it was chosen from. */
  penalty: { chosen: number; folds: number; grid: { l2: number; cvLogLoss: number }[] };
  points: PointsRow[];
  discovered: DiscoveredRow[];
  leftOut: LeftOut[];
  psi: PsiRow[];
  /** Present only when a part had more leads than --max-leads: the fit, the holdout metrics and the PSI
   * are then of a seeded sample of it, while the windows and population counts are of every lead. */
  sample?: SampleInfo;
  /** Everything a reader must know: warnings, what could not be checked. */
  notes: string[];
}
