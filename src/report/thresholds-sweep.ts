import { rowAt, type SweepRow } from "../thresholds/index.ts";

/**
 * One stage's sweep as the Thresholds page's slider carries it (thresholds.ts reads the run).
 *
 * Grain of `StageSweep.rows`: one row per stage x cut-off, ascending. Each row gives what happens at
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

/** Cut-offs per stage the page carries before it thins them. */
export const MAX_CUTOFFS = 400;

export type SweepRecord = SweepRow;

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
export function cutoffRow(r: CutoffRow): CutoffRow {
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
