import type { Db } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import { type OnProgress, within } from "../progress.ts";
import { type LoadedDefinition, loadDefinitionFile, parseDefinition } from "../scoring/load-definition.ts";
import { preflightOrThrow } from "../scoring/preflight.ts";
import { carryOver } from "./carry-over.ts";
import type { Candidate } from "./discover.ts";
import { discoverCriteria } from "./discover-run.ts";
import { writeDraft } from "./draft.ts";
import { driftRows } from "./drift.ts";
import { buildFeatures, type FeatureSet, PART } from "./features.ts";
import { type FittedModel, fitModel, trainMask } from "./fit.ts";
import { assignHoldout, parseHoldout } from "./holdout.ts";
import { compareOnHoldout } from "./holdout-compare.ts";
import { describeWindow, partMask, windowOf } from "./holdout-scores.ts";
import { pointsRows, pointsRowsUnseen, scaledRowsCount } from "./points-rows.ts";
import {
  type Among,
  buildPopulation,
  checkPopulation,
  populationReasons,
  type Target,
} from "./population.ts";
import { dataFingerprint, ensureChampion, nextVersion, registerVersion } from "./registry.ts";
import type { CalibrationReport, DiscoveredRow, LeftOut } from "./report.ts";
import { checkMaxLeads, describeSample, MAX_LEADS, sampleLeads } from "./sample.ts";
import { wholePoints } from "./whole-points.ts";

export interface CalibrateOptions {
  definitionFile: string;
  definition?: LoadedDefinition;
  target?: Target;
  horizonDays?: number;
  /** Only leads that had reached this stage by their scoring moment (the MQL-to-SQL question). */
  among?: Among;
  /** latest, a date, or stratified:F (see ./holdout.ts). */
  holdout?: string;
  seed?: number;
  /** Points that double the odds (default: the champion's, else 20). */
  pdo?: number;
  /** Odds at base_score (default: the champion's, else 1, even odds). */
  baseOdds?: number;
  /** Bootstrap replicates for the AUC intervals (default 1000). */
  replicates?: number;
  /** Look for new criteria among the other lead columns and activity types (see ./discover.ts). */
  discover?: boolean;
  /** Columns or activity types --discover leaves out. */
  exclude?: string[];
  /** Columns or activity types --discover lets in although the leak guard would leave them out. */
  include?: string[];
  /** At most this many leads of each part (training, holdout, recent) are read, a seeded sample of a
   * larger part (./sample.ts; default MAX_LEADS, at least MIN_MAX_LEADS). */
  maxLeads?: number;
  /** Notes on the run as it goes, each a line (stderr in the CLI, always). */
  progress?: (line: string) => void;
  /** The steps as they start, counted where they can be (a bar or lines in the CLI, when asked). */
  onProgress?: OnProgress;
}

export interface CalibrateResult {
  version: string;
  draft: string;
  report: CalibrationReport;
  warnings: string[];
}

/**
 * The calibration run: the point-in-time population, an out-of-time (or stratified) holdout, the
 * champion's features, a penalised logistic fit on the training window, integer points on the
 * scorecard scale, the draft definition, both definitions measured on the same holdout (the draft
 * through the real scorer), drift, and the registry entry. Nothing lead-level leaves this function.
 */
export async function calibrate(db: Db, opts: CalibrateOptions): Promise<CalibrateResult> {
  const say = opts.progress ?? (() => {});
  const step: OnProgress = opts.onProgress ?? (() => {});
  const conn = db.conn;
  const loaded = opts.definition ?? loadDefinitionFile(opts.definitionFile);
  const champion = loaded.def;
  step("checking the definition against the data");
  await preflightOrThrow(conn, loaded);
  const target = opts.target ?? champion.outcome.stage;
  const horizonDays = opts.horizonDays ?? champion.outcome.horizon_days;
  const seed = opts.seed ?? 1;
  const maxLeads = checkMaxLeads(opts.maxLeads ?? MAX_LEADS);
  const warnings: string[] = [];
  const notes: string[] = [];

  const among = opts.among;
  step("population: each lead's scoring moment and outcome");
  const pop = await buildPopulation(conn, champion, { target, horizonDays, among });
  notes.push(...pop.notes);
  warnings.push(...checkPopulation(pop, { target, horizonDays, among }));
  step("holdout");
  const holdout = await assignHoldout(conn, pop, parseHoldout(opts.holdout, pop.dated), {
    seed,
    horizonDays,
  });
  notes.push(...holdout.notes);
  const fitOn = await windowOf(conn, "train");
  if (pop.used >= 1000 && pop.conversions >= 100 && (fitOn.leads < 1000 || fitOn.conversions < 100)) {
    warnings.push(
      `the training window holds only ${fitOn.leads} leads and ${fitOn.conversions} conversions (the holdout takes the rest): points fitted on fewer than about 1,000 leads or 100 conversions are noisy; an earlier --holdout date or stratified:0.25 leaves more to learn from`,
    );
  }
  say(
    `population: ${pop.used} leads with a known outcome, ${pop.conversions} converted; holdout ${holdout.description}`,
  );
  // At most maxLeads leads of each part are read into JavaScript, chosen in DuckDB (./sample.ts).
  const sample = await sampleLeads(conn, { maxLeads, seed });
  const sampled = describeSample(sample.info);
  if (sampled) {
    notes.push(sampled);
    say(`sampled: ${sampled}`);
  }

  if (!opts.discover && (opts.exclude?.length || opts.include?.length))
    throw new UserError("--exclude and --include choose what --discover looks at: add --discover");
  let fs: FeatureSet;
  let kept: Candidate[] = [];
  const discovered: DiscoveredRow[] = [];
  const leftOut: LeftOut[] = [];
  if (opts.discover) {
    const found = await discoverCriteria(conn, champion, {
      exclude: opts.exclude ?? [],
      include: opts.include ?? [],
      seed,
      say,
      onProgress: within(opts.onProgress, "discovery"),
      sample,
    });
    ({ fs, kept } = found);
    discovered.push(...found.discovered);
    leftOut.push(...found.leftOut);
    notes.push(...found.notes);
  } else {
    step("features: every lead scored at its moment, criterion by criterion");
    fs = await buildFeatures(conn, champion, sample);
  }
  const isNew = new Set(kept.map((c) => c.criterion.name));
  const train = trainMask(fs);
  const hold = partMask(fs, PART.holdout);
  const recentMask = partMask(fs, PART.recent);
  const model: FittedModel = fitModel(fs, { seed, onProgress: opts.onProgress });
  notes.push(...model.notes);
  say(`fitted: L2 penalty ${model.l2} chosen by ${model.folds}-fold cross-validation`);

  // Integer points, refined until rounding costs at most MAX_ROUNDING_COST of holdout AUC (./whole-points.ts).
  step("points: whole points on the scorecard scale");
  const baseOdds = opts.baseOdds ?? champion.calibration?.base_odds ?? 1;
  const startPdo = opts.pdo ?? champion.calibration?.points_to_double_odds ?? 20;
  const { scaled, lin, counts, unrounded, pdo, ...whole } = wholePoints(
    fs,
    model,
    train,
    hold,
    { pdo: startPdo, baseOdds },
    say,
  );
  warnings.push(...whole.warnings);

  const version = await nextVersion(conn, champion.version);
  const carried = carryOver(
    champion,
    train,
    { total: fs.championTotal, fit: fs.championFit, engagement: fs.championEngagement },
    { total: lin.total, fit: lin.fitPart, engagement: lin.engagementPart },
  );
  const trainingWindow = await windowOf(conn, "train");
  const holdoutWindow = await windowOf(conn, "holdout");
  const draftText = writeDraft({
    championText: loaded.text,
    champion,
    version,
    model: scaled,
    outcome: { stage: target, horizon_days: horizonDays },
    thresholds: carried.thresholds,
    grades: carried.grades,
    discovered: kept.map((c) => ({
      section: c.section,
      criterion: c.criterion,
      comment: ` Discovered by calibration (--discover) from the ${c.kind === "activity" ? "activity type" : "lead column"} ${c.source}: review it before approving.`,
    })),
    notes: [
      `Calibrated by leadcal from version ${champion.version}: points fitted to whether a lead reached ${target} within ${horizonDays} days of its scoring moment${among ? `, among leads that had reached ${among} by then (so its probabilities are for those leads)` : ""}.`,
      `Trained on ${describeWindow(trainingWindow)}; holdout ${holdout.description}: ${describeWindow(holdoutWindow)}.`,
      ...(sampled ? [`${sampled.charAt(0).toUpperCase()}${sampled.slice(1)}.`] : []),
      "Thresholds and grade bands are carried over at the same share of leads as before; review them with `leadcal thresholds`.",
      ...(pop.dated ? [] : ["The data had no dates: point-in-time could not be checked."]),
    ],
    calibrationInfo: {
      target: { stage: target, horizon_days: horizonDays, ...(among ? { among } : {}) },
      trained_on: {
        from: trainingWindow.from,
        to: trainingWindow.to,
        leads: trainingWindow.leads,
        conversions: trainingWindow.conversions,
      },
      holdout: {
        rule: holdout.rule,
        out_of_time: holdout.outOfTime,
        leads: holdoutWindow.leads,
        conversions: holdoutWindow.conversions,
      },
      l2_penalty: model.l2,
      seed,
    },
  });
  const draft = parseDefinition(draftText, "the calibrated draft");

  // Both definitions on the same holdout: the champion from its own scoring, the draft through the real scorer.
  const holdoutResult = await compareOnHoldout(db, {
    ...{ fs, lin, train, hold, draft, sample, seed, say, step },
    versions: { champion: champion.version, challenger: version },
    replicates: opts.replicates,
  });
  notes.push(...holdoutResult.notes);
  const recentDescription = recentMask.some((x) => x === 1)
    ? "leads scored recently whose outcome window is still open"
    : "the holdout (no lead with an open outcome window)";
  step("drift since training");
  const psiRows = driftRows(fs, lin.total, train, recentMask.some((x) => x === 1) ? recentMask : hold);
  for (const r of psiRows)
    if (r.band === "shifted")
      warnings.push(`${r.label}: PSI ${r.psi.toFixed(2)}, the population has shifted since training`);

  const unseen = pointsRowsUnseen(scaledRowsCount(scaled, counts));
  if (unseen) notes.push(unseen);
  const report: CalibrationReport = {
    version,
    championVersion: champion.version,
    createdAt: trainingWindow.to ?? "",
    target: { stage: target, horizonDays, ...(among ? { among } : {}) },
    holdout: { rule: holdout.rule, outOfTime: holdout.outOfTime, description: holdout.description },
    pointInTimeChecked: pop.dated,
    training: trainingWindow,
    holdoutWindow,
    recent: { ...(await windowOf(conn, "recent")), description: recentDescription },
    population: populationReasons(pop, horizonDays, among),
    champion: holdoutResult.champion,
    challenger: holdoutResult.challenger,
    challengerUnroundedAuc: unrounded,
    comparison: holdoutResult.comparison,
    scaling: scaled.scaling,
    penalty: { chosen: model.l2, folds: model.folds, grid: model.grid },
    points: pointsRows(scaled, counts, isNew),
    discovered,
    leftOut,
    psi: psiRows,
    ...(sample.info ? { sample: sample.info } : {}),
    notes: [...notes, ...warnings],
  };
  step("writing the model registry");
  const fingerprint = await dataFingerprint(conn);
  await ensureChampion(conn, loaded);
  await registerVersion(conn, {
    version,
    status: "draft",
    origin: "calibrated",
    parent: champion.version,
    file: null,
    yaml: draftText,
    target,
    horizonDays,
    holdoutRule: holdout.rule,
    seed,
    fingerprint,
    settings: {
      definition: loaded.origin,
      target,
      horizonDays,
      among: among ?? null,
      holdout: opts.holdout ?? null,
      seed,
      pdo,
      baseOdds,
      discover: opts.discover ?? false,
      exclude: opts.exclude ?? [],
      include: opts.include ?? [],
    },
    report,
  });
  await conn.run(
    "drop table if exists cal_feat; drop table if exists cal_moments; drop table if exists cal_sample; drop table if exists cal_pop;",
  );
  return { version, draft: draftText, report, warnings };
}
