import type { Db } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import { type LoadedDefinition, loadDefinitionFile, parseDefinition } from "../scoring/load-definition.ts";
import { preflightOrThrow } from "../scoring/preflight.ts";
import { buildScoreQuery } from "../scoring/score-query.ts";
import { auc, wilson } from "../stats/index.ts";
import { fitLogistic, predictLogit } from "../stats/logistic.ts";
import { carryOver } from "./carry-over.ts";
import { type Candidate, prepareCandidates, withCandidates } from "./discover.ts";
import { selectCandidates } from "./discover-select.ts";
import { writeDraft } from "./draft.ts";
import { driftRows } from "./drift.ts";
import { buildFeatures, type FeatureSet, PART, readFeatures, scoreFeatures } from "./features.ts";
import { columnCounts, type FittedModel, fitModel, trainMask } from "./fit.ts";
import { assignHoldout, parseHoldout } from "./holdout.ts";
import { compare, measure } from "./measure.ts";
import { linearScores, type ScaledModel, scaleModel } from "./points.ts";
import { type Among, buildPopulation, populationReasons, type Target } from "./population.ts";
import { readColumns } from "./read-columns.ts";
import { dataFingerprint, ensureChampion, nextVersion, registerVersion } from "./registry.ts";
import type { CalibrationReport, DiscoveredRow, LeftOut, PointsRow, WindowInfo } from "./report.ts";

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
  /** Progress and notes, as they happen (stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface CalibrateResult {
  version: string;
  draft: string;
  report: CalibrationReport;
  warnings: string[];
}

const MAX_ROUNDING_COST = 0.002;

/**
 * The calibration run: the point-in-time population, an out-of-time (or stratified) holdout, the
 * champion's features, a penalised logistic fit on the training window, integer points on the
 * scorecard scale, the draft definition, both definitions measured on the same holdout (the draft
 * through the real scorer), drift, and the registry entry. Nothing lead-level leaves this function.
 */
export async function calibrate(db: Db, opts: CalibrateOptions): Promise<CalibrateResult> {
  const say = opts.progress ?? (() => {});
  const conn = db.conn;
  const loaded = opts.definition ?? loadDefinitionFile(opts.definitionFile);
  const champion = loaded.def;
  await preflightOrThrow(conn, loaded);
  const target = opts.target ?? champion.outcome.stage;
  const horizonDays = opts.horizonDays ?? champion.outcome.horizon_days;
  const seed = opts.seed ?? 1;
  const warnings: string[] = [];
  const notes: string[] = [];

  const among = opts.among;
  const pop = await buildPopulation(conn, champion, { target, horizonDays, among });
  notes.push(...pop.notes);
  if (pop.used === 0) {
    throw new UserError(
      `no lead can be used for calibration: ${populationReasons(pop, horizonDays, among)
        .map((r) => `${r.leads} ${r.reason}`)
        .join("; ")}`,
    );
  }
  if (pop.conversions === 0 || pop.conversions === pop.used) {
    throw new UserError(
      `of the ${pop.used} leads whose outcome is known, ${pop.conversions === 0 ? "none" : "all"} reached ${target} within ${horizonDays} days: a fit needs both converters and non-converters`,
    );
  }
  if (pop.used < 1000 || pop.conversions < 100) {
    warnings.push(
      `only ${pop.used} leads and ${pop.conversions} conversions: points fitted on fewer than about 1,000 leads or 100 conversions are noisy (the intervals below say how noisy)`,
    );
  }
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

  if (!opts.discover && (opts.exclude?.length || opts.include?.length))
    throw new UserError("--exclude and --include choose what --discover looks at: add --discover");
  let fs: FeatureSet;
  let kept: Candidate[] = [];
  const discovered: DiscoveredRow[] = [];
  const leftOut: LeftOut[] = [];
  if (opts.discover) {
    say("discovering: binning the other lead columns and activity types on the training leads");
    const prep = await prepareCandidates(conn, champion, {
      exclude: opts.exclude ?? [],
      include: opts.include ?? [],
    });
    notes.push(...prep.notes);
    for (const l of prep.leftOut) {
      leftOut.push({ name: l.name, reason: l.reason });
      if (l.kind)
        discovered.push({
          name: l.name,
          kind: l.kind,
          informationValue: 0,
          singleAuc: null,
          bands: 0,
          decision: "left out",
          reason: l.reason,
        });
    }
    // Every candidate scored once, at zero points (so totals are the champion's); the design of the
    // champion plus the kept ones is then read from the same scored table.
    const extended = withCandidates(champion, prep.candidates);
    await scoreFeatures(conn, extended);
    if (prep.candidates.length) {
      const all = await readFeatures(conn, extended);
      say(`discovering: ${prep.candidates.length} candidates, forward selection by cross-validation`);
      const sel = selectCandidates(all, prep.candidates, { seed });
      kept = sel.kept;
      discovered.push(...sel.discovered);
      leftOut.push(...sel.leftOut);
      notes.push(...sel.notes);
    }
    notes.push(
      "lead columns carry no history: whether a column's value was already known at a lead's scoring moment cannot be checked; --discover leaves out what predicts the outcome almost perfectly or fills in later in a lead's life, and no more",
    );
    fs = await readFeatures(conn, withCandidates(champion, kept));
  } else {
    fs = await buildFeatures(conn, champion);
  }
  const isNew = new Set(kept.map((c) => c.criterion.name));
  const train = trainMask(fs);
  const hold = partMask(fs, PART.holdout);
  const recentMask = partMask(fs, PART.recent);
  const model: FittedModel = fitModel(fs, { seed });
  notes.push(...model.notes);
  say(`fitted: L2 penalty ${model.l2} chosen by ${model.folds}-fold cross-validation`);

  // Integer points, refined until rounding costs at most MAX_ROUNDING_COST of holdout AUC.
  const counts = columnCounts(fs, train);
  let pdo = opts.pdo ?? champion.calibration?.points_to_double_odds ?? 20;
  const baseOdds = opts.baseOdds ?? champion.calibration?.base_odds ?? 1;
  let scaled: ScaledModel;
  let lin: ReturnType<typeof linearScores>;
  let unrounded: number;
  let rounded: number;
  for (let attempt = 0; ; attempt++) {
    scaled = scaleModel(fs.terms, model.fit, counts.leads, { pdo, baseOdds });
    lin = linearScores(scaled, model.fit, fs.design, fs.terms);
    unrounded = auc(pick(lin.logit, hold), pick(fs.labels, hold));
    rounded = auc(pick(lin.total, hold), pick(fs.labels, hold));
    if (unrounded - rounded <= MAX_ROUNDING_COST || attempt >= 3) break;
    say(
      `rounding to whole points at ${pdo} points per doubling cost ${(unrounded - rounded).toFixed(4)} AUC: doubling the scale`,
    );
    pdo *= 2;
  }
  if (unrounded - rounded > MAX_ROUNDING_COST) {
    warnings.push(
      `rounding to whole points costs ${(unrounded - rounded).toFixed(4)} of holdout AUC, more than ${MAX_ROUNDING_COST}`,
    );
  }

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
  const holdLabels = pick(fs.labels, hold) as Uint8Array;
  const championScores = pick(fs.championTotal, hold);
  let championProb: Float64Array | null = pick(fs.championProbability, hold) as Float64Array;
  if (championProb.some((p) => Number.isNaN(p))) {
    championProb = mapPointsToProbability(fs.championTotal, train, fs.labels, hold);
    notes.push(
      `the points in use (${champion.version}) carry no probability: for Brier, log loss and calibration they are mapped to one by a logistic fit on the training window`,
    );
  }
  const draftScores = await scoreHoldout(db, draft);
  const mismatches = countMismatch(draftScores.total, pick(lin.total, hold) as Int32Array);
  if (mismatches > 0)
    notes.push(
      `${mismatches} holdout leads scored differently by the scorer than by the fitted points (the engagement cap)`,
    );
  say("measuring both definitions on the holdout");
  const championMetrics = measure(championScores, championProb, holdLabels, {
    seed,
    replicates: opts.replicates,
  });
  const challengerMetrics = measure(draftScores.total, draftScores.probability, holdLabels, {
    seed,
    replicates: opts.replicates,
  });
  const comparison = compare(championScores, draftScores.total, holdLabels, {
    champion: champion.version,
    challenger: version,
  });
  const recentDescription = recentMask.some((x) => x === 1)
    ? "leads scored recently whose outcome window is still open"
    : "the holdout (no lead with an open outcome window)";
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
    champion: championMetrics,
    challenger: challengerMetrics,
    challengerUnroundedAuc: unrounded,
    comparison,
    scaling: scaled.scaling,
    penalty: { chosen: model.l2, folds: model.folds, grid: model.grid },
    points: pointsRows(scaled, counts, isNew),
    discovered,
    leftOut,
    psi: psiRows,
    notes: [...notes, ...warnings],
  };
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
    "drop table if exists cal_feat; drop table if exists cal_moments; drop table if exists cal_pop;",
  );
  return { version, draft: draftText, report, warnings };
}

function partMask(fs: FeatureSet, code: number): Uint8Array {
  const m = new Uint8Array(fs.rows);
  for (let i = 0; i < fs.rows; i++) m[i] = fs.part[i] === code ? 1 : 0;
  return m;
}

function pick<T extends Int32Array | Float64Array | Uint8Array>(values: T, mask: Uint8Array): T {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] as number;
  const out = new (values.constructor as new (n: number) => T)(n);
  let j = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[j++] = values[i] as number;
  return out;
}

function countMismatch(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** A one-column logistic fit of points on the training window, applied to the holdout. */
function mapPointsToProbability(
  total: Int32Array,
  train: Uint8Array,
  labels: Uint8Array,
  hold: Uint8Array,
): Float64Array {
  const values = Float64Array.from(total);
  const design = { rows: total.length, columns: 1, categorical: [], numeric: [{ column: 0, values }] };
  const f = fitLogistic(design, labels, { l2: 1e-6, rowMask: train });
  const logit = predictLogit(design, f);
  const p = new Float64Array(logit.length);
  for (let i = 0; i < p.length; i++) p[i] = 1 / (1 + Math.exp(-(logit[i] as number)));
  return pick(p, hold);
}

/** The draft's scores of the holdout leads, in the order of the feature rows (lead_id). */
async function scoreHoldout(
  db: Db,
  draft: LoadedDefinition,
): Promise<{ total: Int32Array; probability: Float64Array }> {
  const conn = db.conn;
  await conn.run(
    "create or replace temp table cal_hold as select lead_id, as_of from cal_pop where part = 'holdout'",
  );
  const q = buildScoreQuery(draft.def, { scope: { kind: "table", table: "cal_hold" } });
  const n = Number(
    (await conn.runAndReadAll("select count(*)::integer as n from cal_hold")).getRowObjectsJson()[0]?.n ?? 0,
  );
  const [total, probability] = await readColumns(
    conn,
    `select total, coalesce(probability, 'NaN'::double) from (${q.sql}) order by lead_id`,
    ["i32", "f64"],
    n,
    q.params,
  );
  await conn.run("drop table cal_hold");
  return { total: total as Int32Array, probability: probability as Float64Array };
}

async function windowOf(conn: Db["conn"], part: "train" | "holdout" | "recent"): Promise<WindowInfo> {
  const where = part === "recent" ? "status = 'open'" : `part = '${part}'`;
  const r = (
    await conn.runAndReadAll(
      `select strftime(min(as_of), '%Y-%m-%d') as f, strftime(max(as_of), '%Y-%m-%d') as t,
         count(*)::integer as n, count(*) filter (where y)::integer as c
       from cal_pop where ${where}`,
    )
  ).getRowObjectsJson()[0];
  const dated = r?.f !== null && r?.f !== undefined && !String(r.f).startsWith("2100");
  return {
    from: dated ? String(r?.f) : null,
    to: dated ? String(r?.t) : null,
    leads: Number(r?.n ?? 0),
    conversions: Number(r?.c ?? 0),
  };
}

function describeWindow(w: WindowInfo): string {
  const when = w.from ? `leads scored ${w.from} to ${w.to}` : "leads";
  return `${w.leads} ${when} (${w.conversions} converted)`;
}

/**
 * The points table for people: per criterion and case, old and new points, training leads and their
 * conversion rate, and a flag where the new points run against the case's own rate: the case
 * converts clearly above its criterion's average (its Wilson interval excludes it) yet gets fewer
 * points than the criterion's average, or the reverse. Such a case is explained by the other
 * criteria (the leads it holds score high or low elsewhere), and deserves a look before approval.
 */
function pointsRows(
  scaled: ScaledModel,
  counts: { leads: Float64Array; events: Float64Array },
  isNew: Set<string>,
): PointsRow[] {
  const rows: PointsRow[] = [];
  for (const tp of scaled.terms) {
    const t = tp.term;
    if (t.kind === "column") {
      const rules = t.criterion.bands ?? t.criterion.values ?? [];
      const old = [t.criterion.missing, ...rules.map((r) => r.points), t.criterion.otherwise];
      let n = 0;
      let e = 0;
      let wp = 0;
      t.cases.forEach((_, k) => {
        const l = counts.leads[t.first + k] as number;
        n += l;
        e += counts.events[t.first + k] as number;
        wp += l * (tp.points[k] as number);
      });
      const overall = n ? e / n : 0;
      const meanPoints = n ? wp / n : 0;
      t.cases.forEach((label, k) => {
        const l = counts.leads[t.first + k] as number;
        const ev = counts.events[t.first + k] as number;
        const points = tp.points[k] as number;
        let flag = tp.flags[k];
        if (!flag && l > 0) {
          const ci = wilson(ev, l);
          const above = ci.low > overall;
          const below = ci.high < overall;
          if ((above && points < meanPoints) || (below && points > meanPoints)) {
            flag = `converts ${above ? "above" : "below"} the criterion's average (${pct(ev / l)} against ${pct(overall)}) but gets ${above ? "fewer" : "more"} points than average: the other criteria explain it`;
          }
        }
        rows.push({
          criterion: t.name,
          criterionLabel: t.label,
          section: t.section,
          case: label,
          oldPoints: isNew.has(t.name) ? null : (old[k] ?? null),
          newPoints: points,
          leads: l,
          rate: l ? ev / l : null,
          ...(flag ? { flag } : {}),
        });
      });
    } else {
      const l = counts.leads[t.column] as number;
      const ev = counts.events[t.column] as number;
      rows.push({
        criterion: t.name,
        criterionLabel: t.label,
        section: t.kind,
        case: t.kind === "engagement" ? "per event" : "when it holds",
        oldPoints: isNew.has(t.name) ? null : t.criterion.points,
        newPoints: tp.points[0] as number,
        leads: l,
        rate: l ? ev / l : null,
        ...(tp.flags[0] ? { flag: tp.flags[0] } : {}),
      });
    }
  }
  return rows;
}

function scaledRowsCount(scaled: ScaledModel, counts: { leads: Float64Array }): number {
  let n = 0;
  for (const tp of scaled.terms) {
    const t = tp.term;
    if (t.kind !== "column") continue;
    for (let k = 0; k < t.cases.length; k++) if ((counts.leads[t.first + k] as number) === 0) n++;
  }
  return n;
}

function pointsRowsUnseen(n: number): string | null {
  return n
    ? `${n} cases had no lead in the training window (no value there, or no "other" value): each gets its criterion's average points`
    : null;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
