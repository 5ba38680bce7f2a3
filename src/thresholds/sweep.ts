import type { DuckDBConnection } from "@duckdb/node-api";
import { completenessStage } from "../scoring/rules.ts";
import type { Definition } from "../scoring/schema.ts";
import { int, str } from "../scoring/sql-fragments.ts";
import { wilson } from "../stats/index.ts";

/**
 * The threshold sweep, in DuckDB, from stored scores: for each window (train, holdout), each stage
 * with a threshold, and every cut-off that changes who qualifies (every distinct total score), the
 * leads that qualify (total >= cut-off and the stage's other conditions: min_fit, min_engagement,
 * completeness, not disqualified), their conversions with a Wilson 95% interval, the share of the
 * window's conversions they capture, their wins and revenue, cost per SQL at that volume, and the
 * sales workload they make.
 *
 * Input: the temp table thr_leads (lead_id, part, as_of, y, total, fit, engagement, is_complete,
 * is_disqualified, won, revenue), one row per lead. Leads tied at a cut-off are counted once: the
 * sweep groups by total score and accumulates from the top, so volume never rises as the cut-off rises.
 */
export interface SweepRow {
  part: string;
  stage: string;
  threshold: number;
  leads: number;
  per_week: number;
  per_quarter: number;
  conversions: number;
  rate: number | null;
  rate_low: number | null;
  rate_high: number | null;
  capture: number | null;
  wins: number;
  revenue: number | null;
  cost_per_sql: number | null;
  workload_per_week: number;
}

export interface WindowFacts {
  part: string;
  from: string;
  to: string;
  weeks: number;
  /**
   * The share of the period's leads this window holds: 1 out of time; F (holdout) or 1 - F (training)
   * for a stratified sample of one period, whose volumes per week are divided by it so both windows
   * read as the whole flow of leads.
   */
  share: number;
  leads: number;
  conversions: number;
  wins: number;
  /** Marketing + sales cost booked to the window's days (prorated), null when no costs are loaded. */
  cost: number | null;
}

/** A stage's conditions besides min_score, as SQL over thr_leads. */
function otherConditions(def: Definition, stageIndex: number): string {
  const t = def.thresholds[stageIndex];
  if (!t) throw new Error(`no threshold ${stageIndex}`);
  const conds = ["not is_disqualified"];
  if (t.min_fit !== undefined) conds.push(`fit >= ${int(t.min_fit)}`);
  if (t.min_engagement !== undefined) conds.push(`engagement >= ${int(t.min_engagement)}`);
  const handover = completenessStage(def);
  const hi = handover ? def.thresholds.findIndex((x) => x.stage === handover) : -1;
  if (hi >= 0 && stageIndex >= hi) conds.push("is_complete");
  return conds.join(" and ");
}

/** A stage's conditions besides min_score, in words. */
function describeConditions(def: Definition, stageIndex: number): string {
  const t = def.thresholds[stageIndex];
  const parts: string[] = [];
  if (t?.min_fit !== undefined) parts.push(`fit of at least ${t.min_fit}`);
  if (t?.min_engagement !== undefined) parts.push(`engagement of at least ${t.min_engagement}`);
  const handover = completenessStage(def);
  const hi = handover ? def.thresholds.findIndex((x) => x.stage === handover) : -1;
  if (hi >= 0 && stageIndex >= hi) parts.push("every completeness field present");
  return parts.join(", ");
}

/** Facts about each window: its span in weeks, its leads, conversions and wins, and its cost. */
export async function windowFacts(
  conn: DuckDBConnection,
  shares: Record<string, number> = {},
): Promise<WindowFacts[]> {
  const costs = Number(
    (await conn.runAndReadAll("select count(*)::integer as n from costs")).getRowObjectsJson()[0]?.n ?? 0,
  );
  const rows = (
    await conn.runAndReadAll(
      `with w as (
         select part, min(as_of)::date as d0, max(as_of)::date as d1, count(*)::integer as leads,
           count(*) filter (where y)::integer as conversions, count(*) filter (where won)::integer as wins
         from thr_leads group by part
       )
       select part, strftime(d0, '%Y-%m-%d') as f, strftime(d1, '%Y-%m-%d') as t,
         (date_diff('day', d0, d1) + 1) / 7.0 as weeks, leads, conversions, wins,
         ${
           costs > 0
             ? `(select sum(c.amount * greatest(0, date_diff('day', greatest(c.period_start, w.d0), least(c.period_end, w.d1)) + 1)
                  / (date_diff('day', c.period_start, c.period_end) + 1))
                from costs c where c.period_end >= w.d0 and c.period_start <= w.d1)`
             : "null::double"
         } as cost
       from w order by part`,
    )
  ).getRowObjectsJson();
  return rows.map((r) => ({
    part: String(r.part),
    from: String(r.f),
    to: String(r.t),
    weeks: Number(r.weeks),
    share: shares[String(r.part)] ?? 1,
    leads: Number(r.leads),
    conversions: Number(r.conversions),
    wins: Number(r.wins),
    cost: r.cost === null ? null : Number(r.cost),
  }));
}

/** Every cut-off of every stage threshold, for every window, as rows. */
export async function sweep(
  conn: DuckDBConnection,
  def: Definition,
  windows: WindowFacts[],
  touchesPerSql: number,
  notes: string[] = [],
): Promise<SweepRow[]> {
  const out: SweepRow[] = [];
  // A stage no training lead can reach by its other conditions (completeness fields this export
  // lacks, a min_fit on another scale) would leave nothing to sweep: it is swept on the score alone
  // (not disqualified), and the notes say so.
  const conditionOf: string[] = [];
  for (let s = 0; s < def.thresholds.length; s++) {
    const cond = otherConditions(def, s);
    const reachable = Number(
      (
        await conn.runAndReadAll(
          `select count(*)::integer as n from thr_leads where part = 'train' and ${cond}`,
        )
      ).getRowObjectsJson()[0]?.n ?? 0,
    );
    const t = def.thresholds[s];
    if (reachable === 0 && cond !== "not is_disqualified") {
      notes.push(
        `no training lead meets the ${t?.stage} stage's other conditions (${describeConditions(def, s)}) whatever its score: the ${t?.stage} sweep counts the score alone`,
      );
      conditionOf.push("not is_disqualified");
    } else conditionOf.push(cond);
  }
  const hasRevenue =
    Number(
      (
        await conn.runAndReadAll("select count(*)::integer as n from thr_leads where revenue is not null")
      ).getRowObjectsJson()[0]?.n ?? 0,
    ) > 0;
  for (const w of windows) {
    for (let s = 0; s < def.thresholds.length; s++) {
      const stage = def.thresholds[s]?.stage as string;
      const rows = (
        await conn.runAndReadAll(
          `with q as (
             select total, count(*) as n, count(*) filter (where y) as c, count(*) filter (where won) as wn,
               sum(revenue) as rev
             from thr_leads where part = $part and ${conditionOf[s]}
             group by total
           ),
           cum as (
             select total as threshold,
               sum(n) over (order by total desc rows between unbounded preceding and current row) as leads,
               sum(c) over (order by total desc rows between unbounded preceding and current row) as conversions,
               sum(wn) over (order by total desc rows between unbounded preceding and current row) as wins,
               sum(rev) over (order by total desc rows between unbounded preceding and current row) as revenue
             from q
           )
           select threshold, leads::bigint::varchar as leads, conversions::bigint::varchar as conversions,
             wins::bigint::varchar as wins, revenue
           from cum order by threshold`,
          { part: w.part },
        )
      ).getRowObjectsJson();
      for (const r of rows) {
        const leads = Number(r.leads);
        const conversions = Number(r.conversions);
        const perWeek = w.weeks > 0 ? leads / w.share / w.weeks : 0;
        const ci = wilson(conversions, leads);
        out.push({
          part: w.part,
          stage,
          threshold: Number(r.threshold),
          leads,
          per_week: perWeek,
          per_quarter: perWeek * (365.25 / 4 / 7),
          conversions,
          rate: leads ? conversions / leads : null,
          rate_low: leads ? ci.low : null,
          rate_high: leads ? ci.high : null,
          capture: w.conversions ? conversions / w.conversions : null,
          wins: Number(r.wins),
          revenue: hasRevenue ? Number(r.revenue ?? 0) : null,
          cost_per_sql: w.cost !== null && leads > 0 ? w.cost / leads : null,
          workload_per_week: perWeek * touchesPerSql,
        });
      }
    }
  }
  return out;
}

/** The SQL that fills thr_leads from a scoring run over cal_pop (train and holdout leads). */
export function thrLeadsSql(runId: number): string {
  return `create or replace temp table thr_leads as
    with won as (
      select lead_id, min(t) as won_at, sum(amount) as revenue from (
        select lead_id, entered_at as t, null::double as amount from lead_stage_changes where stage = 'won' and entered_at is not null
        union all
        select lead_id, closed_at as t, amount from deals where outcome = 'won' and lead_id is not null
      ) group by lead_id
    )
    select p.lead_id, p.part, p.as_of, p.y, s.total, s.fit + s.situational as fit, s.engagement, s.is_complete,
      s.is_disqualified, coalesce(w.won_at > p.as_of, false) as won,
      case when w.won_at > p.as_of then w.revenue end as revenue
    from cal_pop p
    join lead_scores s on s.lead_id = p.lead_id and s.as_of = p.as_of and s.run_id = ${int(runId)}
    left join won w on w.lead_id = p.lead_id
    where p.part in (${["train", "holdout"].map(str).join(", ")})`;
}
