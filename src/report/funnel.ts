import type { DuckDBConnection } from "@duckdb/node-api";
import { addDays } from "../db/dates.ts";
import type { ReportSettings } from "../settings.ts";
import { type ConversionReport, conversionReport } from "./conversion.ts";
import { type Coverage, readCoverage } from "./coverage.ts";
import {
  type FunnelStage,
  type Milestones,
  observedTimeSql,
  prepareMilestones,
  reachedSql,
  SIZE_BANDS,
  STAGE_LABELS,
  type StageInfo,
  stageTimeSql,
} from "./milestones.ts";
import {
  type AsOf,
  addQuarters,
  type MedianRow,
  mediansByPeriod,
  type PeriodOption,
  periodOptions,
  quarterStart,
  resolveAsOf,
} from "./periods.ts";
import { queryRows } from "./query.ts";

/**
 * The Funnel page: how many leads reach each stage, by the quarter they entered the funnel
 * (their cohort), by channel and by segment, and how long each step takes.
 *
 * A lead counts as having reached a stage if it got there within the outcome window (settings:
 * funnel.outcome_window_days) of entering the funnel. A cohort is *mature* once the window has
 * closed for every lead in it; younger cohorts are shown as "still maturing": their open leads
 * are not losses, and their rates are left out of the totals that compare cohorts.
 *
 * When the data cannot make a funnel of cohorts (no lead is dated, or no stage after the first is
 * recorded), the page shows `conversion` instead: every lead, converted or not, by segment.
 */

/** One row per cohort quarter x channel x segment (grain), counts of leads within the window. */
export interface FunnelCubeRow {
  quarter: string;
  channel: string;
  segment_kind: "size_band" | "industry";
  segment: string;
  leads: number;
  mql: number;
  sql: number;
  opportunity: number;
  won: number;
  lost: number;
}

export interface CohortInfo {
  quarter: string;
  /** The day the outcome window closes for the cohort's last leads. */
  window_closes_on: string;
  mature: boolean;
}

export interface FunnelReport {
  asOf: AsOf;
  windowDays: number;
  stages: StageInfo[];
  /** The stages the funnel shows, in order (recorded stages from the start stage on). */
  funnel: FunnelStage[];
  cohorts: CohortInfo[];
  periods: PeriodOption[];
  channels: string[];
  sizeBands: string[];
  industries: string[];
  cube: FunnelCubeRow[];
  /** Median days between consecutive funnel stages, keyed "mql>sql", by period and channel. */
  stageDays: MedianRow[];
  /** Transitions whose later stage is dated before the earlier one (left out of the medians). */
  negativeGaps: { key: string; n: number }[];
  leads: number;
  undatedLeads: number;
  /** The first day any lead entered the funnel: the first cohort may start part-way through. */
  dataFrom: string | null;
  coverage: Coverage;
  /** Leads and converted whatever their dates, overall and by segment (src/report/conversion.ts). */
  conversion: ConversionReport;
  /** Plain-language notes on what the data cannot show. */
  missing: string[];
}

function withinWindow(stage: FunnelStage): string {
  if (stage === "lead") return "true";
  const t = stageTimeSql(stage);
  return `(${reachedSql(stage)} and (${t} is null or ${t} <= entered_at + to_days($window)))`;
}

function cubeSql(kind: "size_band" | "industry"): string {
  return `
    select
      cohort as quarter,
      channel_group as channel,
      '${kind}' as segment_kind,
      ${kind} as segment,
      count(*)::integer as leads,
      count(*) filter (where ${withinWindow("mql")})::integer as mql,
      count(*) filter (where ${withinWindow("sql")})::integer as sql,
      count(*) filter (where ${withinWindow("opportunity")})::integer as opportunity,
      count(*) filter (where ${withinWindow("won")})::integer as won,
      count(*) filter (where is_lost and (lost_at is null or lost_at <= entered_at + to_days($window)))::integer
        as lost
    from report_leads
    where entered_at is not null
    group by all`;
}

export function transitionKey(from: FunnelStage, to: FunnelStage): string {
  return `${from}>${to}`;
}

async function stageDays(
  conn: DuckDBConnection,
  funnel: FunnelStage[],
  periods: PeriodOption[],
): Promise<{ medians: MedianRow[]; negative: { key: string; n: number }[] }> {
  const pairs = funnel.slice(1).map((to, i) => [funnel[i] as FunnelStage, to] as const);
  if (pairs.length === 0) return { medians: [], negative: [] };
  const selects = pairs.map(([from, to]) => {
    const a = observedTimeSql(from);
    const b = observedTimeSql(to);
    return `select '${transitionKey(from, to)}' as key, cohort as quarter, channel_group as channel,
              epoch(${b} - ${a}) / 86400.0 as value
            from report_leads where ${a} is not null and ${b} is not null and entered_at is not null`;
  });
  await conn.run(`create or replace temp table report_stage_gaps as ${selects.join(" union all ")}`);
  await conn.run(
    "create or replace temp table report_stage_days as select * from report_stage_gaps where value >= 0",
  );
  const medians = await mediansByPeriod(conn, "report_stage_days", periods);
  const negative = await queryRows<{ key: string; n: number }>(
    conn,
    "select key, count(*)::integer as n from report_stage_gaps where value < 0 group by key order by key",
  );
  return { medians, negative };
}

function missingNotes(m: Milestones, c: Coverage, conv: ConversionReport): string[] {
  const notes: string[] = [];
  if (c.leads === 0)
    return ["No leads are loaded: load a leads file (or run `npx leadcal demo`) and rebuild."];
  const start = m.stages.find((s) => s.start);
  if (start && start.key !== "lead") {
    notes.push(
      `Every loaded lead is already an ${start.label}, so the funnel starts at ${start.label}: the data has no earlier stage.`,
    );
  }
  const notRecorded = m.stages.filter((s) => !s.recorded).map((s) => s.label);
  if (m.funnel.length < 2) {
    notes.push(
      `No stage after ${STAGE_LABELS[m.funnel[0] ?? "lead"]} is recorded (${notRecorded.join(", ")}), so there is no ` +
        `stage-by-stage funnel${conv.basis.flag ? ": conversion comes from the converted flag" : ""}.`,
    );
  } else if (notRecorded.length) {
    notes.push(
      `No ${notRecorded.join(", ")} stage is recorded in the loaded data, so the funnel goes from ` +
        `${m.funnel.map((s) => STAGE_LABELS[s]).join(" to ")} directly.`,
    );
  }
  if (c.datedStageChanges === 0 && c.deals === 0) {
    notes.push("There is no dated stage history or deal, so no time between stages can be measured.");
  }
  if (c.leadsWithEmployees === 0) notes.push("Company size (employees) is not in the data: no size bands.");
  if (c.leadsWithIndustry === 0) notes.push("Industry is not in the data: no industry breakdown.");
  if (c.leadsWithChannel === 0) notes.push("Leads carry no channel or source: no channel breakdown.");
  // With no dated lead at all, the page says so in its own sentence above the figures.
  if (m.undatedLeads > 0 && m.undatedLeads < m.leads) {
    notes.push(`${m.undatedLeads} leads have no date at all and belong to no cohort; they are left out.`);
  }
  if (conv.overall.flagMissing > 0) {
    notes.push(`${conv.overall.flagMissing} leads have no converted value and are counted as not converted.`);
  }
  return notes;
}

/** Distinct values of a dimension, the one with most leads first. */
function rankByLeads(rows: FunnelCubeRow[], key: (r: FunnelCubeRow) => string): string[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + r.leads);
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

export async function funnelReport(conn: DuckDBConnection, settings: ReportSettings): Promise<FunnelReport> {
  const windowDays = settings.funnel.outcomeWindowDays;
  const asOf = await resolveAsOf(conn, settings);
  const milestones = await prepareMilestones(conn);
  const coverage = await readCoverage(conn);
  const cube: FunnelCubeRow[] = [];
  for (const kind of ["size_band", "industry"] as const) {
    cube.push(
      ...(await queryRows<FunnelCubeRow>(conn, `${cubeSql(kind)} order by all`, { window: windowDays })),
    );
  }
  const quarters = [...new Set(cube.map((r) => r.quarter))].sort();
  const cohorts = quarters.map((quarter) => {
    const closes = addDays(quarterStart(addQuarters(quarter, 1)), windowDays);
    return { quarter, window_closes_on: closes, mature: asOf.date !== null && closes <= asOf.date };
  });
  const periods = periodOptions(quarters, asOf.quarter);
  const { medians, negative } = await stageDays(conn, milestones.funnel, periods);
  const [span] = await queryRows<{ first: string | null }>(
    conn,
    "select min(entered_at)::date::varchar as first from report_leads",
  );
  const conversion = await conversionReport(conn, milestones);
  const sizeRows = cube.filter((r) => r.segment_kind === "size_band");
  const industryRows = cube.filter((r) => r.segment_kind === "industry");
  return {
    asOf,
    windowDays,
    stages: milestones.stages,
    funnel: milestones.funnel,
    cohorts,
    periods,
    channels: rankByLeads(sizeRows, (r) => r.channel),
    sizeBands: SIZE_BANDS.filter((b) => sizeRows.some((r) => r.segment === b)),
    industries: rankByLeads(industryRows, (r) => r.segment),
    cube,
    stageDays: medians,
    negativeGaps: negative,
    leads: milestones.leads,
    undatedLeads: milestones.undatedLeads,
    dataFrom: span?.first ?? null,
    coverage,
    conversion,
    missing: missingNotes(milestones, coverage, conversion),
  };
}
