import type { DuckDBConnection } from "@duckdb/node-api";
import type { ReportSettings } from "../settings.ts";
import { rowAt, type SweepRow, type WindowFacts } from "../thresholds/index.ts";
import { queryRows } from "./query.ts";

/**
 * The Thresholds page: the newest threshold run (`leadcal thresholds`, tables threshold_runs and
 * threshold_sweeps), reduced to what the page's slider needs. Aggregates only: the sweep holds counts
 * per cut-off, never a lead. The figures are the holdout window's (where the recommendation is
 * reported, not where it was chosen); a run without holdout rows for a stage falls back to its
 * training rows, and the page says which window it shows.
 *
 * Grain of `stages[].rows`: one row per stage x cut-off, ascending. Each row gives what happens at
 * that cut-off (leads with total >= cut-off), so a cut-off between two rows reads the next row up,
 * as `rowAt` in src/thresholds does. When a stage has more than MAX_CUTOFFS cut-offs the rows are
 * thinned (evenly, keeping the first, the last, the current and the recommended ones exactly) and the
 * page's slider snaps to the rows kept.
 */

/** The figures at one cut-off, in one window (a sweep row without its window and stage). */
export type CutoffRow = Omit<SweepRow, "part" | "stage">;

export interface StageSweep {
  stage: string;
  /** Which window the rows come from: "holdout", or "train" when the run has no holdout rows for it. */
  part: "holdout" | "train";
  /** The threshold in use (the swept definition's min_score) and the recommended one (null: none). */
  current: number | null;
  recommended: number | null;
  /** True when the rows were thinned: the page's slider then moves between the rows kept only. */
  thinned: boolean;
  /** How many cut-offs the run swept for this stage and window, before any thinning. */
  sweptCutoffs: number;
  /** The rows, packed: one array per row in the order of COLUMNS (a third of the size of objects). */
  rows: (number | null)[][];
}

/** The columns of a packed row: what the page reads at a cut-off. */
export const COLUMNS = [
  "threshold",
  "leads",
  "per_week",
  "conversions",
  "rate",
  "rate_low",
  "rate_high",
  "capture",
  "wins",
  "cost_per_sql",
  "workload_per_week",
] as const satisfies readonly (keyof CutoffRow)[];

/** Decimals kept per column: enough for every figure the page prints (0.1 leads, 0.1%, whole money). */
const DECIMALS: Record<(typeof COLUMNS)[number], number> = {
  threshold: 0,
  leads: 0,
  per_week: 3,
  conversions: 0,
  rate: 5,
  rate_low: 5,
  rate_high: 5,
  capture: 5,
  wins: 0,
  cost_per_sql: 2,
  workload_per_week: 2,
};

/** A row as the page carries it: the COLUMNS, rounded. */
export function packRow(r: CutoffRow): (number | null)[] {
  return COLUMNS.map((c) => {
    const v = r[c];
    if (v === null) return null;
    const f = 10 ** DECIMALS[c];
    return Math.round(v * f) / f;
  });
}

/** A window of the run: its span, weeks, leads, conversions, wins and cost (null: no costs loaded). */
export type WindowInfo = WindowFacts;

export interface RecommendedAt {
  stage: string;
  threshold: number;
  /** The training window's figures at that cut-off (where it was chosen). */
  train: CutoffRow;
  holdout: CutoffRow | null;
}

export type ThresholdsReport =
  | { swept: false; message: string }
  | {
      swept: true;
      runId: number;
      version: string;
      createdAt: string;
      /** The outcome "conversion" means (from the model registry), null when the registry has none. */
      target: { stage: string; horizonDays: number } | null;
      holdout: WindowInfo & { description: string; outOfTime: boolean };
      training: WindowInfo | null;
      settings: {
        reps: number;
        touchesPerRepWeek: number;
        touchesPerSql: number;
        capacityPerWeek: number;
        minConversion: number;
        commitmentPerQuarter: number;
        objective: string;
      };
      recommendation: {
        sql: RecommendedAt & { binding: string; feasible: boolean };
        mql: RecommendedAt | null;
        commitment: { perQuarter: number; maxAtFloor: number; met: boolean };
        warnings: string[];
        sentence: string;
      };
      /** SQL (the hand-over stage) first, then MQL. */
      stages: StageSweep[];
      /** The names of a packed row's values (COLUMNS). */
      columns: readonly string[];
      notes: string[];
      hasCosts: boolean;
      hasRevenue: boolean;
      currency: string;
    };

export const NO_SWEEP = "No threshold sweep yet: run `npx leadcal thresholds`";

/** Cut-offs per stage the page carries before it thins them. */
export const MAX_CUTOFFS = 400;

const RUN_SQL = `
select run_id, version, cast(created_at as varchar) as created_at,
       cast(settings as varchar) as settings, cast(recommendation as varchar) as recommendation
from threshold_runs
order by created_at desc, run_id desc
limit 1
`;

const SWEEP_SQL = `
select part, stage, threshold,
       cast(leads as integer) as leads, per_week, per_quarter, cast(conversions as integer) as conversions,
       rate, rate_low, rate_high, capture, cast(wins as integer) as wins, revenue, cost_per_sql,
       workload_per_week
from threshold_sweeps
where run_id = $run
order by stage, part, threshold
`;

// The swept version's outcome; failing that, the newest calibration's (as `leadcal thresholds` does).
const TARGET_SQL = `
select target_stage, horizon_days
from model_versions
where target_stage is not null
order by version = $version desc, holdout_rule is not null desc, created_at desc
limit 1
`;

interface RunRow {
  run_id: number;
  version: string;
  created_at: string;
  settings: string;
  recommendation: string;
}

export type SweepRecord = SweepRow;

/** The Thresholds page's data: see the module comment. */
export async function thresholdsReport(
  conn: DuckDBConnection,
  settings: Pick<ReportSettings, "currency">,
): Promise<ThresholdsReport> {
  const run = (await queryRows<RunRow>(conn, RUN_SQL))[0];
  if (!run) return { swept: false, message: NO_SWEEP };
  const rows = await queryRows<SweepRecord>(conn, SWEEP_SQL, { run: run.run_id });
  const target = (
    await queryRows<{ target_stage: string; horizon_days: number }>(conn, TARGET_SQL, {
      version: run.version,
    })
  )[0];
  return fromRun(run, rows, {
    currency: settings.currency,
    target: target ? { stage: target.target_stage, horizonDays: Number(target.horizon_days) } : null,
  });
}

/** The page's data from a stored run and its sweep rows. Pure: the tests call it directly too. */
export function fromRun(
  run: RunRow,
  rows: SweepRecord[],
  o: { currency: string; target: { stage: string; horizonDays: number } | null },
): ThresholdsReport {
  const s = parseJson(run.settings, `threshold_runs.settings of run ${run.run_id}`);
  const rec = parseJson(run.recommendation, `threshold_runs.recommendation of run ${run.run_id}`);
  if (!rec.sql || typeof rec.sql.threshold !== "number") {
    throw new Error(`threshold_runs.recommendation of run ${run.run_id} has no SQL threshold`);
  }
  const windows: WindowInfo[] = s.windows ?? [];
  const hold = windows.find((w) => w.part === "holdout");
  const train = windows.find((w) => w.part === "train") ?? null;
  const description: string = s.holdout ?? "";
  const stageOrder = [rec.sql.stage, ...(rec.mql ? [rec.mql.stage] : [])] as string[];
  const stages = stageOrder.map((stage) => {
    const isSql = stage === rec.sql.stage;
    return stageSweep(rows, stage, {
      current: (isSql ? rec.current?.sql?.threshold : rec.current?.mql?.threshold) ?? null,
      recommended: (isSql ? rec.sql.threshold : rec.mql?.threshold) ?? null,
    });
  });
  return {
    swept: true,
    runId: Number(run.run_id),
    version: run.version,
    createdAt: run.created_at,
    target: o.target,
    holdout: {
      ...(hold ?? {
        part: "holdout",
        from: "",
        to: "",
        weeks: 0,
        share: 1,
        leads: 0,
        conversions: 0,
        wins: 0,
        cost: null,
      }),
      description,
      // The run stores the holdout's description only; assignHoldout starts it with "out of time".
      outOfTime: description.startsWith("out of time"),
    },
    training: train,
    settings: {
      reps: Number(s.reps),
      touchesPerRepWeek: Number(s.touchesPerRepWeek),
      touchesPerSql: Number(s.touchesPerSql),
      capacityPerWeek: Number(s.capacityPerWeek ?? s.reps * s.touchesPerRepWeek),
      minConversion: Number(s.minConversion),
      commitmentPerQuarter: Number(s.commitmentPerQuarter ?? 0),
      objective: String(s.objective ?? "wins"),
    },
    recommendation: {
      sql: {
        stage: rec.sql.stage,
        threshold: rec.sql.threshold,
        train: cutoffRow(rec.sql.train),
        holdout: rec.sql.holdout ? cutoffRow(rec.sql.holdout) : null,
        binding: String(rec.sql.binding),
        feasible: Boolean(rec.sql.feasible),
      },
      mql: rec.mql
        ? {
            stage: rec.mql.stage,
            threshold: rec.mql.threshold,
            train: cutoffRow(rec.mql.train),
            holdout: rec.mql.holdout ? cutoffRow(rec.mql.holdout) : null,
          }
        : null,
      commitment: rec.commitment,
      warnings: rec.warnings ?? [],
      sentence: String(rec.sentence ?? ""),
    },
    stages,
    columns: COLUMNS,
    notes: s.notes ?? [],
    hasCosts: rows.some((r) => r.cost_per_sql !== null) || windows.some((w) => w.cost !== null),
    hasRevenue: rows.some((r) => r.revenue !== null),
    currency: o.currency,
  };
}

/** One stage's rows for the page: its holdout rows (else training), the current and recommended cut-offs kept. */
export function stageSweep(
  rows: SweepRecord[],
  stage: string,
  marks: { current: number | null; recommended: number | null },
  max = MAX_CUTOFFS,
): StageSweep {
  const of = (part: string) =>
    rows.filter((r) => r.stage === stage && r.part === part).sort((a, b) => a.threshold - b.threshold);
  const part = of("holdout").length ? "holdout" : "train";
  const partRows = of(part).map((r) => ({ ...r, ...cutoffRow(r) }));
  const swept = partRows.map(cutoffRow);
  const keep = new Map(swept.map((r) => [r.threshold, r]));
  // The marked cut-offs may fall between two swept ones (they were chosen on the training window):
  // add them, with the figures of the next row up (the engine's own rule).
  for (const t of [marks.current, marks.recommended]) {
    const at = t === null || keep.has(t) ? null : rowAt(partRows, part, stage, t);
    if (t !== null && at) keep.set(t, cutoffRow(at));
  }
  const all = [...keep.values()].sort((a, b) => a.threshold - b.threshold);
  const thinned = all.length > max;
  return {
    stage,
    part,
    current: marks.current,
    recommended: marks.recommended,
    thinned,
    sweptCutoffs: swept.length,
    rows: (thinned ? thin(all, max, [marks.current, marks.recommended]) : all).map(packRow),
  };
}

/** About `max` rows, evenly spaced by position, with the first, the last and the `keep` cut-offs. */
export function thin(rows: CutoffRow[], max: number, keep: (number | null)[]): CutoffRow[] {
  if (rows.length <= max) return rows;
  const step = (rows.length - 1) / (max - 1);
  const at = new Set<number>();
  for (let k = 0; k < max; k++) at.add(Math.round(k * step));
  return rows.filter((r, i) => at.has(i) || keep.includes(r.threshold));
}

/** The figures of a row, as numbers (the JSON reader gives BIGINT casts as numbers, stored JSON as it was). */
function cutoffRow(r: CutoffRow): CutoffRow {
  const n = (x: number | null | undefined) => (x === null || x === undefined ? null : Number(x));
  return {
    threshold: Number(r.threshold),
    leads: Number(r.leads),
    per_week: Number(r.per_week),
    per_quarter: Number(r.per_quarter),
    conversions: Number(r.conversions),
    rate: n(r.rate),
    rate_low: n(r.rate_low),
    rate_high: n(r.rate_high),
    capture: n(r.capture),
    wins: Number(r.wins),
    revenue: n(r.revenue),
    cost_per_sql: n(r.cost_per_sql),
    workload_per_week: Number(r.workload_per_week),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the stored JSON is read field by field above
function parseJson(text: string, what: string): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not JSON: ${(e as Error).message}`);
  }
}
