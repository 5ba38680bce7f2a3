import type { Db } from "../db/connection.ts";
import type { OnProgress } from "../progress.ts";
import type { LoadedDefinition } from "../scoring/load-definition.ts";
import type { FeatureSet } from "./features.ts";
import { countMismatch, mapPointsToProbability, pick, scoreHoldout } from "./holdout-scores.ts";
import { compare, measure } from "./measure.ts";
import type { linearScores } from "./points.ts";
import type { Comparison, HoldoutMetrics } from "./report.ts";
import type { Sample } from "./sample.ts";

/**
 * Both definitions on the same holdout leads (those sampled, when the holdout was over the cap): the
 * champion from its own scoring (cal_feat), the draft through the real scorer, aligned row for row
 * by lead id; their metrics and DeLong's comparison.
 */
export async function compareOnHoldout(
  db: Db,
  o: {
    fs: FeatureSet;
    lin: ReturnType<typeof linearScores>;
    train: Uint8Array;
    hold: Uint8Array;
    draft: LoadedDefinition;
    sample: Sample;
    versions: { champion: string; challenger: string };
    seed: number;
    replicates?: number;
    say: (line: string) => void;
    step: OnProgress;
  },
): Promise<{
  champion: HoldoutMetrics;
  challenger: HoldoutMetrics;
  comparison: Comparison;
  notes: string[];
}> {
  const { fs, hold, step } = o;
  const notes: string[] = [];
  const holdLabels = pick(fs.labels, hold) as Uint8Array;
  const championScores = pick(fs.championTotal, hold);
  let championProb: Float64Array | null = pick(fs.championProbability, hold) as Float64Array;
  if (championProb.some((p) => Number.isNaN(p))) {
    championProb = mapPointsToProbability(fs.championTotal, o.train, fs.labels, hold);
    notes.push(
      `the points in use (${o.versions.champion}) carry no probability: for Brier, log loss and calibration they are mapped to one by a logistic fit on the training window`,
    );
  }
  step("holdout: scoring it with the draft");
  const draftScores = await scoreHoldout(db, o.draft, o.sample);
  const mismatches = countMismatch(draftScores.total, pick(o.lin.total, hold) as Int32Array);
  if (mismatches > 0)
    notes.push(
      `${mismatches} holdout leads scored differently by the scorer than by the fitted points (the engagement cap)`,
    );
  o.say("measuring both definitions on the holdout");
  step("holdout metrics: the points in use", 0, 2);
  const champion = measure(championScores, championProb, holdLabels, {
    seed: o.seed,
    replicates: o.replicates,
  });
  step("holdout metrics: the draft", 1, 2);
  const challenger = measure(draftScores.total, draftScores.probability, holdLabels, {
    seed: o.seed,
    replicates: o.replicates,
  });
  const comparison = compare(championScores, draftScores.total, holdLabels, o.versions);
  return { champion, challenger, comparison, notes };
}
