import { assignHoldout, parseHoldout } from "../calibrate/holdout.ts";
import { buildPopulation, type Target } from "../calibrate/population.ts";
import type { Db } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import { type OnProgress, within } from "../progress.ts";
import { naiveUtc } from "../scoring/as-of.ts";
import { type LoadedDefinition, loadDefinitionFile, parseDefinition } from "../scoring/load-definition.ts";
import { scoreLeads } from "../scoring/score.ts";
import { type Constraints, type Recommendation, recommend } from "./recommend.ts";
import { type SweepRow, sweep, thrLeadsSql, type WindowFacts, windowFacts } from "./sweep.ts";

/**
 * `leadcal thresholds`: score a definition version at each lead's own moment over its calibration
 * population (the same training window and holdout, rebuilt from the registry's settings), store the
 * scores, sweep every cut-off in DuckDB, recommend under sales capacity, and store the sweep and the
 * recommendation for the site (threshold_runs, threshold_sweeps).
 */
export interface ThresholdOptions {
  /** A version in the model registry (default: the newest draft, else the approved one). */
  version?: string;
  /** Used when the registry has no version at all: the definition file in use. */
  definitionFile: string;
  constraints: Omit<Constraints, "capacityPerWeek"> & {
    reps: number;
    touchesPerRepWeek: number;
    touchesPerSql: number;
  };
  /** The steps as they start: population, scoring, the sweep, storing. */
  onProgress?: OnProgress;
}

export interface ThresholdResult {
  runId: number;
  version: string;
  windows: WindowFacts[];
  recommendation: Recommendation;
  rows: SweepRow[];
  holdoutDescription: string;
  notes: string[];
}

interface Source {
  version: string;
  loaded: LoadedDefinition;
  target: Target;
  horizonDays: number;
  holdout: string | undefined;
  seed: number;
}

async function sourceOf(db: Db, opts: ThresholdOptions): Promise<Source> {
  const rows = (
    await db.conn.runAndReadAll(
      `select version, status, definition_yaml, target_stage, horizon_days, holdout_rule, seed
       from model_versions
       order by case when status = 'draft' then 0 when status = 'approved' then 1 else 2 end, created_at desc`,
    )
  ).getRowObjectsJson();
  const row = opts.version
    ? rows.find((r) => r.version === opts.version)
    : rows.find((r) => r.status !== "retired");
  if (opts.version && !row) {
    throw new UserError(
      `no version ${opts.version} in the model registry${rows.length ? ` (known: ${rows.map((r) => r.version).join(", ")})` : ": run `npx leadcal calibrate` first"}`,
    );
  }
  if (!row) {
    const loaded = loadDefinitionFile(opts.definitionFile);
    return {
      version: loaded.def.version,
      loaded,
      target: loaded.def.outcome.stage,
      horizonDays: loaded.def.outcome.horizon_days,
      holdout: undefined,
      seed: 1,
    };
  }
  const loaded = parseDefinition(String(row.definition_yaml), `registry version ${row.version}`);
  // A version measured as champion has no settings of its own: take the newest calibration's.
  const settings = rows.find((r) => r.holdout_rule !== null) ?? row;
  return {
    version: String(row.version),
    loaded,
    target: (settings.target_stage as Target | null) ?? loaded.def.outcome.stage,
    horizonDays: Number(settings.horizon_days ?? loaded.def.outcome.horizon_days),
    holdout: settings.holdout_rule === null ? undefined : String(settings.holdout_rule),
    seed: Number(settings.seed ?? 1),
  };
}

/** The stage whose threshold hands leads to sales (sql, else the top one), and the MQL stage. */
export function handoverStages(def: LoadedDefinition["def"]): { mql: string | null; sql: string } {
  const stages = def.thresholds.map((t) => t.stage);
  const sql = stages.includes("sql") ? "sql" : (stages[stages.length - 1] as string);
  const below = stages.slice(0, stages.indexOf(sql));
  const mql = below.includes("mql") ? "mql" : (below[below.length - 1] ?? null);
  return { mql, sql };
}

export async function runThresholds(db: Db, opts: ThresholdOptions): Promise<ThresholdResult> {
  const conn = db.conn;
  const src = await sourceOf(db, opts);
  const def = src.loaded.def;
  const notes: string[] = [];
  const step: OnProgress = opts.onProgress ?? (() => {});
  step("population: each lead's scoring moment and outcome");
  const pop = await buildPopulation(conn, def, { target: src.target, horizonDays: src.horizonDays });
  const holdout = await assignHoldout(conn, pop, parseHoldout(src.holdout, pop.dated), {
    seed: src.seed,
    horizonDays: src.horizonDays,
  });
  notes.push(...pop.notes, ...holdout.notes);
  await conn.run(
    "create or replace temp table thr_moments as select lead_id, as_of from cal_pop where part in ('train', 'holdout')",
  );
  const scored = await scoreLeads(db, {
    definition: src.loaded,
    asOfTable: "thr_moments",
    onProgress: within(opts.onProgress, `scoring ${src.version} at each lead's moment`),
  });
  step("sweep: every cut-off of every stage");
  await conn.run(thrLeadsSql(scored.runId));
  let shares: Record<string, number> = {};
  if (!holdout.outOfTime) {
    const n = (
      await conn.runAndReadAll(
        "select count(*) filter (where part = 'train')::integer as t, count(*) filter (where part = 'holdout')::integer as h from thr_leads",
      )
    ).getRowObjectsJson()[0];
    const t = Number(n?.t ?? 0);
    const h = Number(n?.h ?? 0);
    shares = { train: t / (t + h), holdout: h / (t + h) };
    notes.push(
      `the holdout is a ${Math.round(100 * (shares.holdout ?? 0))}% sample of the same period as training: its volumes per week are scaled up by that share, so both read as the whole flow of leads`,
    );
  }
  const windows = await windowFacts(conn, shares);
  const c = opts.constraints;
  const rows = await sweep(conn, def, windows, c.touchesPerSql, notes);
  const stages = handoverStages(def);
  const current = {
    sql: def.thresholds.find((t) => t.stage === stages.sql)?.min_score ?? null,
    mql: stages.mql ? (def.thresholds.find((t) => t.stage === stages.mql)?.min_score ?? null) : null,
  };
  step("recommendation under sales capacity");
  const capacityPerWeek = c.reps * c.touchesPerRepWeek;
  const rec = recommend(rows, stages, current, { ...c, capacityPerWeek });
  if (windows.every((w) => w.conversions === 0))
    notes.push("no lead in either window converted: conversion rates are 0");
  if (windows.every((w) => w.cost === null))
    notes.push("no costs are loaded: cost per SQL cannot be computed");
  if (!rows.some((r) => r.revenue !== null))
    notes.push("no won deal carries an amount: revenue cannot be computed");
  if (!pop.dated)
    notes.push("without dates, volumes per week and per quarter are not defined: read the lead counts");

  const runId =
    Number(
      (
        await conn.runAndReadAll("select coalesce(max(run_id), 0) + 1 as id from threshold_runs")
      ).getRowObjectsJson()[0]?.id ?? 1,
    ) || 1;
  step("storing the sweep");
  await conn.run("begin transaction");
  try {
    await conn.run(
      "insert into threshold_runs values ($id::integer, $version, $at::timestamp, $settings::json, $rec::json)",
      {
        id: String(runId),
        version: src.version,
        at: naiveUtc(new Date()),
        settings: JSON.stringify({
          ...c,
          capacityPerWeek,
          holdout: holdout.description,
          outOfTime: holdout.outOfTime,
          target: { stage: src.target, horizonDays: src.horizonDays },
          stages: def.thresholds.map((t) => ({
            stage: t.stage,
            label: t.label ?? null,
            min_score: t.min_score,
          })),
          windows,
          notes,
        }),
        rec: JSON.stringify(rec),
      },
    );
    const appender = await conn.createAppender("threshold_sweeps");
    for (const r of rows) {
      appender.appendInteger(runId);
      appender.appendVarchar(r.part);
      appender.appendVarchar(r.stage);
      appender.appendInteger(r.threshold);
      appender.appendBigInt(BigInt(r.leads));
      appender.appendDouble(r.per_week);
      appender.appendDouble(r.per_quarter);
      appender.appendBigInt(BigInt(r.conversions));
      for (const v of [r.rate, r.rate_low, r.rate_high, r.capture])
        v === null ? appender.appendNull() : appender.appendDouble(v);
      appender.appendBigInt(BigInt(r.wins));
      for (const v of [r.revenue, r.cost_per_sql])
        v === null ? appender.appendNull() : appender.appendDouble(v);
      appender.appendDouble(r.workload_per_week);
      appender.endRow();
    }
    appender.closeSync();
    await conn.run("commit");
  } catch (e) {
    await conn.run("rollback");
    throw e;
  }
  await conn.run(
    "drop table if exists thr_leads; drop table if exists thr_moments; drop table if exists cal_pop;",
  );
  return {
    runId,
    version: src.version,
    windows,
    recommendation: rec,
    rows,
    holdoutDescription: holdout.description,
    notes,
  };
}
