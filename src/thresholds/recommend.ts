import { UserError } from "../errors.ts";
import type { SweepRow } from "./sweep.ts";

/**
 * The recommended thresholds, from a sweep: chosen on the training window, reported on the holdout,
 * so a manager sees what the choice would really have done.
 *
 * SQL threshold: the cut-off that maximises wins (or revenue) while the sales workload stays within
 * capacity (reps x touches each can make a week) and the conversion rate stays at or above the floor.
 * Wins only grow as the cut-off falls, so this is the lowest cut-off that keeps both promises. Wins
 * are few, so many cut-offs tie on them: ties go to the one with more conversions (the outcome the
 * definition predicts), then to the higher cut-off (the same result for less work). The constraint
 * that binds is the one the next lower cut-off would break.
 * MQL threshold: the highest cut-off below the SQL one that still lets through `mqlCapture` of the
 * training window's conversions.
 */
export interface Constraints {
  capacityPerWeek: number;
  minConversion: number;
  mqlCapture: number;
  objective: "wins" | "revenue";
  commitmentPerQuarter: number;
}

export interface AtThreshold {
  threshold: number;
  train: SweepRow;
  holdout: SweepRow | null;
}

export interface Recommendation {
  objective: "wins" | "revenue";
  capacityPerWeek: number;
  minConversion: number;
  sql: AtThreshold & { stage: string; binding: "capacity" | "conversion floor" | "none"; feasible: boolean };
  mql: (AtThreshold & { stage: string }) | null;
  current: { sql: AtThreshold | null; mql: AtThreshold | null };
  commitment: { perQuarter: number; maxAtFloor: number; met: boolean };
  warnings: string[];
  sentence: string;
}

/** The figures at cut-off `t`: leads with total >= t, i.e. the sweep row with the smallest threshold >= t. */
export function rowAt(rows: SweepRow[], part: string, stage: string, t: number): SweepRow | null {
  let best: SweepRow | null = null;
  for (const r of rows) {
    if (r.part !== part || r.stage !== stage || r.threshold < t) continue;
    if (!best || r.threshold < best.threshold) best = r;
  }
  if (best) return { ...best, threshold: t };
  const any = rows.find((r) => r.part === part && r.stage === stage);
  if (!any) return null;
  return {
    ...any,
    threshold: t,
    leads: 0,
    per_week: 0,
    per_quarter: 0,
    conversions: 0,
    rate: null,
    rate_low: null,
    rate_high: null,
    capture: 0,
    wins: 0,
    revenue: any.revenue === null ? null : 0,
    cost_per_sql: null,
    workload_per_week: 0,
  };
}

function objectiveOf(r: SweepRow, objective: "wins" | "revenue"): number {
  return objective === "revenue" ? (r.revenue ?? 0) : r.wins;
}

export function recommend(
  rows: SweepRow[],
  stages: { mql: string | null; sql: string },
  current: { mql: number | null; sql: number | null },
  c: Constraints,
): Recommendation {
  const warnings: string[] = [];
  const train = rows
    .filter((r) => r.part === "train" && r.stage === stages.sql)
    .sort((a, b) => a.threshold - b.threshold);
  if (train.length === 0) {
    throw new UserError(
      `no lead of the training window can be scored for the ${stages.sql} threshold: nothing to sweep`,
    );
  }
  const fits = (r: SweepRow) => r.workload_per_week <= c.capacityPerWeek + 1e-9;
  const floors = (r: SweepRow) => (r.rate ?? 0) >= c.minConversion - 1e-12;
  const feasible = train.filter((r) => fits(r) && floors(r));
  let chosen: SweepRow;
  if (feasible.length) {
    chosen = feasible.reduce((best, r) => {
      const a = objectiveOf(r, c.objective);
      const b = objectiveOf(best, c.objective);
      if (a !== b) return a > b ? r : best;
      if (r.conversions !== best.conversions) return r.conversions > best.conversions ? r : best;
      return r.threshold > best.threshold ? r : best;
    });
  } else {
    // Nothing keeps both promises: keep within capacity with the best conversion there is; if no
    // cut-off is within capacity (scores with few values tie many leads), the one with the least work.
    const withinCapacity = train.filter(fits);
    if (withinCapacity.length) {
      chosen = withinCapacity.reduce((best, r) => ((r.rate ?? 0) > (best.rate ?? 0) ? r : best));
      warnings.push(
        `no SQL threshold keeps conversion at ${pct(c.minConversion)} or more within capacity on the training window: the threshold shown has the best conversion within capacity (${pct(chosen.rate)})`,
      );
    } else {
      chosen = train.reduce((best, r) => (r.workload_per_week < best.workload_per_week ? r : best));
      warnings.push(
        `no SQL threshold keeps the workload within capacity on the training window: even the highest cut-off (${chosen.threshold} points) needs ${Math.round(chosen.workload_per_week)} touches a week against ${Math.round(c.capacityPerWeek)}; the threshold shown is that one`,
      );
    }
  }
  const lower = train.filter((r) => r.threshold < chosen.threshold).pop();
  const binding: Recommendation["sql"]["binding"] = !lower
    ? "none"
    : !fits(lower)
      ? "capacity"
      : !floors(lower)
        ? "conversion floor"
        : "none";
  const sqlAt = (t: number): AtThreshold => ({
    threshold: t,
    train: rowAt(rows, "train", stages.sql, t) as SweepRow,
    holdout: rowAt(rows, "holdout", stages.sql, t),
  });
  const sql = { ...sqlAt(chosen.threshold), stage: stages.sql, binding, feasible: feasible.length > 0 };

  let mql: Recommendation["mql"] = null;
  if (stages.mql) {
    const m = rows
      .filter((r) => r.part === "train" && r.stage === stages.mql)
      .sort((a, b) => b.threshold - a.threshold);
    const pick =
      m.find((r) => r.threshold < chosen.threshold && (r.capture ?? 0) >= c.mqlCapture) ??
      m.filter((r) => r.threshold < chosen.threshold).pop() ??
      m[m.length - 1];
    if (pick) {
      mql = {
        stage: stages.mql,
        threshold: pick.threshold,
        train: rowAt(rows, "train", stages.mql, pick.threshold) as SweepRow,
        holdout: rowAt(rows, "holdout", stages.mql, pick.threshold),
      };
    }
  }
  const cur = {
    sql: current.sql === null ? null : sqlAt(current.sql),
    mql:
      current.mql === null || !stages.mql
        ? null
        : {
            threshold: current.mql,
            train: rowAt(rows, "train", stages.mql, current.mql) as SweepRow,
            holdout: rowAt(rows, "holdout", stages.mql, current.mql),
          },
  };
  const heldOut = sql.holdout;
  if (
    heldOut &&
    heldOut.workload_per_week > c.capacityPerWeek + 1e-9 &&
    sql.train.workload_per_week <= c.capacityPerWeek + 1e-9
  ) {
    warnings.push(
      `on the holdout the recommended ${stages.sql} threshold would have needed ${Math.round(heldOut.workload_per_week)} touches a week against a capacity of ${Math.round(c.capacityPerWeek)}: more leads arrived than in the training window`,
    );
  }
  const atFloor = train.filter(floors);
  const maxAtFloor = atFloor.length ? Math.max(...atFloor.map((r) => r.per_quarter)) : 0;
  const met = maxAtFloor >= c.commitmentPerQuarter;
  if (!met) {
    warnings.push(
      `marketing's commitment of ${Math.round(c.commitmentPerQuarter)} SQLs a quarter cannot be met at a conversion floor of ${pct(c.minConversion)}: at most ${Math.round(maxAtFloor)} a quarter convert at that rate or better (training window)`,
    );
  }
  return {
    objective: c.objective,
    capacityPerWeek: c.capacityPerWeek,
    minConversion: c.minConversion,
    sql,
    mql,
    current: cur,
    commitment: { perQuarter: c.commitmentPerQuarter, maxAtFloor, met },
    warnings,
    sentence: sentenceOf(sql, cur.sql, c),
  };
}

function pct(x: number | null): string {
  return x === null ? "-" : `${(100 * x).toFixed(1)}%`;
}

function sentenceOf(sql: Recommendation["sql"], current: AtThreshold | null, c: Constraints): string {
  const r = sql.holdout ?? sql.train;
  const where = sql.holdout ? "on the holdout" : "on the training window";
  const bind =
    sql.binding === "capacity"
      ? "sales capacity is what stops it going lower"
      : sql.binding === "conversion floor"
        ? `the ${pct(c.minConversion)} conversion floor is what stops it going lower`
        : "going lower would add no wins";
  const c0 = current ? (current.holdout ?? current.train) : null;
  const cur =
    current && c0 && current.threshold !== sql.threshold
      ? c0.leads > 0
        ? ` The current threshold of ${current.threshold} would have sent ${c0.per_week.toFixed(1)} a week converting at ${pct(c0.rate)}.`
        : ` The current threshold of ${current.threshold} would have sent no lead at all.`
      : "";
  return `An SQL threshold of ${sql.threshold} points would have sent sales ${r.per_week.toFixed(1)} leads a week ${where} (${Math.round(r.workload_per_week)} touches against a capacity of ${Math.round(c.capacityPerWeek)}), converting at ${pct(r.rate)} and capturing ${pct(r.capture)} of conversions; ${bind}.${cur}`;
}
