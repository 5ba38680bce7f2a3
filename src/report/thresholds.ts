import type { DuckDBConnection } from "@duckdb/node-api";
import type { ReportSettings } from "../settings.ts";
import type { WindowFacts } from "../thresholds/index.ts";
import { queryRows } from "./query.ts";
import {
  COLUMNS,
  type CutoffRow,
  cutoffRow,
  type StageSweep,
  type SweepRecord,
  stageSweep,
} from "./thresholds-sweep.ts";

/**
 * The Thresholds page: the newest threshold run (`leadcal thresholds`, tables threshold_runs and
 * threshold_sweeps), reduced to what the page's slider needs. Aggregates only: the sweep holds counts
 * per cut-off, never a lead. The figures are the holdout window's (where the recommendation is
 * reported, not where it was chosen); a run without holdout rows for a stage falls back to its
 * training rows, and the page says which window it shows.
 *
 * Each stage's rows, their grain and how they are thinned for the slider: thresholds-sweep.ts.
 */

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

// biome-ignore lint/suspicious/noExplicitAny: the stored JSON is read field by field above
function parseJson(text: string, what: string): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not JSON: ${(e as Error).message}`);
  }
}
