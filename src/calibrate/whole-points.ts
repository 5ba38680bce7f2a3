import { auc } from "../stats/index.ts";
import type { FeatureSet } from "./features.ts";
import { columnCounts, type FittedModel } from "./fit.ts";
import { pick } from "./holdout-scores.ts";
import { linearScores, type ScaledModel, scaleModel } from "./points.ts";

/** The most holdout AUC that rounding the fitted points to whole numbers may cost. */
export const MAX_ROUNDING_COST = 0.002;

export interface WholePoints {
  scaled: ScaledModel;
  lin: ReturnType<typeof linearScores>;
  counts: ReturnType<typeof columnCounts>;
  /** Holdout AUC of the fitted log-odds, and of the whole points. */
  unrounded: number;
  rounded: number;
  /** Points that double the odds, after any doubling of the scale. */
  pdo: number;
  warnings: string[];
}

/**
 * The fit as whole points on the scorecard scale (base odds at the base score, `pdo` points per doubling
 * of the odds). When rounding to whole points costs more than MAX_ROUNDING_COST of holdout AUC, the scale
 * is doubled (finer points), up to three times; a cost still above it is a warning.
 */
export function wholePoints(
  fs: FeatureSet,
  model: FittedModel,
  train: Uint8Array,
  hold: Uint8Array,
  scale: { pdo: number; baseOdds: number },
  say: (line: string) => void,
): WholePoints {
  const counts = columnCounts(fs, train);
  const holdLabels = pick(fs.labels, hold);
  let pdo = scale.pdo;
  for (let attempt = 0; ; attempt++) {
    const scaled = scaleModel(fs.terms, model.fit, counts.leads, { pdo, baseOdds: scale.baseOdds });
    const lin = linearScores(scaled, model.fit, fs.design, fs.terms);
    const unrounded = auc(pick(lin.logit, hold), holdLabels);
    const rounded = auc(pick(lin.total, hold), holdLabels);
    const cost = unrounded - rounded;
    if (cost <= MAX_ROUNDING_COST || attempt >= 3) {
      const warnings =
        cost > MAX_ROUNDING_COST
          ? [
              `rounding to whole points costs ${cost.toFixed(4)} of holdout AUC, more than ${MAX_ROUNDING_COST}`,
            ]
          : [];
      return { scaled, lin, counts, unrounded, rounded, pdo, warnings };
    }
    say(
      `rounding to whole points at ${pdo} points per doubling cost ${cost.toFixed(4)} AUC: doubling the scale`,
    );
    pdo *= 2;
  }
}
