import type { DuckDBConnection } from "@duckdb/node-api";
import { addDays, daysBetween } from "../db/dates.ts";
import type { ReportSettings } from "../settings.ts";
import { type ConversionReport, conversionReport } from "./conversion.ts";
import { type Coverage, readCoverage } from "./coverage.ts";
import { prepareMilestones } from "./milestones.ts";
import { type AsOf, addQuarters, quarterOf, quarterRange, quarterStart, resolveAsOf } from "./periods.ts";
import { queryOne } from "./query.ts";
import { type ThresholdsReport, thresholdsReport } from "./thresholds.ts";

/**
 * The Overview page: the handful of numbers leadership asks for, this quarter against last, and
 * how fresh the data is.
 *
 * Every figure counts events in the window they happened: leads created, leads entering MQL and
 * SQL (a lead that skipped a recorded stage counts at its next stage), leads won, revenue of deals
 * won (closed), and cost (spread over its period by days; a window no cost row overlaps has no cost,
 * rather than a cost of zero). This quarter is "to date": it is set
 * against the same number of days of last quarter, so a half-finished quarter is not compared with
 * a whole one. A figure the data cannot give is null, never zero.
 *
 * Data with no dates has no quarters: the page then shows `conversion`, every lead and how many
 * converted, overall and by segment.
 */

export interface Kpis {
  leads: number | null;
  mqls: number | null;
  sqls: number | null;
  won: number | null;
  won_revenue: number | null;
  cost: number | null;
  cost_per_sql: number | null;
}

/** One row per quarter (grain), newest last. */
export interface QuarterKpis extends Kpis {
  quarter: string;
  /** True for the as-of quarter when it is not over yet at the as-of date. */
  to_date: boolean;
}

/** The recommended MQL and SQL thresholds, as the Overview shows them (holdout figures). */
export interface OverviewThresholds {
  version: string;
  holdout: string;
  outOfTime: boolean;
  sentence: string;
  binding: string;
  rows: {
    stage: string;
    recommended: number;
    current: number | null;
    perWeek: number | null;
    rate: number | null;
    rateLow: number | null;
    rateHigh: number | null;
    capture: number | null;
  }[];
  warnings: string[];
}

/** The Overview's summary of the newest threshold run: only the figures at the recommended cut-offs. */
export function summariseThresholds(t: ThresholdsReport): OverviewThresholds | null {
  if (!t.swept) return null;
  const rec = t.recommendation;
  const row = (r: typeof rec.sql | NonNullable<typeof rec.mql>) => {
    const stage = t.stages.find((x) => x.stage === r.stage);
    const h = r.holdout;
    return {
      stage: r.stage,
      recommended: r.threshold,
      current: stage?.current ?? null,
      perWeek: h ? h.per_week : null,
      rate: h ? h.rate : null,
      rateLow: h ? h.rate_low : null,
      rateHigh: h ? h.rate_high : null,
      capture: h ? h.capture : null,
    };
  };
  return {
    version: t.version,
    holdout: t.holdout.description,
    outOfTime: t.holdout.outOfTime,
    sentence: rec.sentence,
    binding: rec.sql.binding,
    rows: [row(rec.sql), ...(rec.mql ? [row(rec.mql)] : [])],
    warnings: rec.warnings,
  };
}

export interface OverviewReport {
  asOf: AsOf;
  currency: string;
  /** The quarter to date, the same days of last quarter, and last quarter in full. */
  thisQuarter: { label: string; from: string; to: string; days: number; kpis: Kpis } | null;
  lastQuarterSamePoint: { label: string; from: string; to: string; kpis: Kpis } | null;
  lastQuarter: { label: string; from: string; to: string; kpis: Kpis } | null;
  quarters: QuarterKpis[];
  lastLoad: { finished_at: string | null; batches: number };
  /** The first and last day a lead entered the funnel (null when no lead is dated). */
  leadsFrom: string | null;
  leadsThrough: string | null;
  recorded: { mql: boolean; sql: boolean; won: boolean; revenue: boolean; costs: boolean };
  coverage: Coverage;
  /** Leads and converted whatever their dates, overall and by segment (src/report/conversion.ts). */
  conversion: ConversionReport;
  /** The newest threshold recommendation (src/thresholds, via the Thresholds page's query), or null. */
  thresholds: OverviewThresholds | null;
  missing: string[];
}

const WINDOW_SQL = `
select
  (select count(*) from report_leads where entered_at >= $from::timestamp and entered_at < $to::timestamp)::integer
    as leads,
  (select count(*) from report_leads where eff_mql_at >= $from::timestamp and eff_mql_at < $to::timestamp)::integer
    as mqls,
  (select count(*) from report_leads where eff_sql_at >= $from::timestamp and eff_sql_at < $to::timestamp)::integer
    as sqls,
  (select count(*) from report_leads where eff_won_at >= $from::timestamp and eff_won_at < $to::timestamp)::integer
    as won,
  (select sum(amount) from deals
     where outcome = 'won' and closed_at >= $from::timestamp and closed_at < $to::timestamp)::double as won_revenue,
  (select sum(amount * greatest(0, date_diff('day', greatest(period_start, $from::date),
                                               least(period_end, $to::date - 1)) + 1)
              / (date_diff('day', period_start, period_end) + 1))
     from costs where period_end >= period_start)::double as cost,
  (select count(*) from costs
     where period_end >= period_start and period_start < $to::date and period_end >= $from::date)::integer
    as cost_rows
`;

export async function overviewReport(
  conn: DuckDBConnection,
  settings: ReportSettings,
): Promise<OverviewReport> {
  const asOf = await resolveAsOf(conn, settings);
  const milestones = await prepareMilestones(conn);
  const coverage = await readCoverage(conn);
  const conversion = await conversionReport(conn, milestones);
  const rec = (k: string) => milestones.stages.some((s) => s.key === k && s.recorded);
  const recorded = {
    mql: rec("mql"),
    sql: rec("sql"),
    won: rec("won"),
    revenue: coverage.wonDealsWithAmount > 0,
    costs: coverage.costs > 0,
  };

  /** KPIs for [from, to): dates, `to` exclusive. */
  const kpis = async (from: string, to: string): Promise<Kpis> => {
    const r = await queryOne<{
      leads: number;
      mqls: number;
      sqls: number;
      won: number;
      won_revenue: number | null;
      cost: number | null;
      cost_rows: number;
    }>(conn, WINDOW_SQL, { from, to });
    const sqls = recorded.sql ? r.sqls : null;
    // No cost row overlapping the window means "cost unknown", not "free".
    const cost = recorded.costs && r.cost_rows > 0 ? (r.cost ?? 0) : null;
    return {
      leads: r.leads,
      mqls: recorded.mql ? r.mqls : null,
      sqls,
      won: recorded.won ? r.won : null,
      won_revenue: recorded.revenue ? (r.won_revenue ?? 0) : null,
      cost,
      cost_per_sql: cost !== null && sqls ? cost / sqls : null,
    };
  };

  const span = await queryOne<{ first: string | null; last: string | null }>(
    conn,
    "select min(entered_at)::date::varchar as first, max(entered_at)::date::varchar as last from report_leads",
  );
  let thisQuarter: OverviewReport["thisQuarter"] = null;
  let lastQuarterSamePoint: OverviewReport["lastQuarterSamePoint"] = null;
  let lastQuarter: OverviewReport["lastQuarter"] = null;
  const quarters: QuarterKpis[] = [];
  if (asOf.date && asOf.quarter) {
    const qStart = quarterStart(asOf.quarter);
    const end = addDays(asOf.date, 1);
    const days = daysBetween(qStart, end);
    thisQuarter = { label: asOf.quarter, from: qStart, to: asOf.date, days, kpis: await kpis(qStart, end) };
    const prev = addQuarters(asOf.quarter, -1);
    const prevStart = quarterStart(prev);
    const prevEnd = quarterStart(asOf.quarter);
    // The same number of days into last quarter, but never past its end (92-day quarters).
    const sameEnd = addDays(prevStart, Math.min(days, daysBetween(prevStart, prevEnd)));
    lastQuarterSamePoint = {
      label: prev,
      from: prevStart,
      to: addDays(sameEnd, -1),
      kpis: await kpis(prevStart, sameEnd),
    };
    lastQuarter = {
      label: prev,
      from: prevStart,
      to: addDays(prevEnd, -1),
      kpis: await kpis(prevStart, prevEnd),
    };

    const firstQuarter = span.first ? quarterOf(span.first) : asOf.quarter;
    const from = [firstQuarter, addQuarters(asOf.quarter, -7)].sort().at(-1) as string;
    for (const q of quarterRange(from, asOf.quarter)) {
      const to = q === asOf.quarter ? end : quarterStart(addQuarters(q, 1));
      quarters.push({
        quarter: q,
        to_date: q === asOf.quarter && !asOf.quarterComplete,
        ...(await kpis(quarterStart(q), to)),
      });
    }
  }
  const lastLoad = await queryOne<{ finished_at: string | null; batches: number }>(
    conn,
    "select max(finished_at)::varchar as finished_at, count(*)::integer as batches from load_batches",
  );
  return {
    asOf,
    currency: settings.currency,
    thisQuarter,
    lastQuarterSamePoint,
    lastQuarter,
    quarters,
    lastLoad,
    leadsFrom: span.first,
    leadsThrough: span.last,
    recorded,
    coverage,
    conversion,
    thresholds: summariseThresholds(await thresholdsReport(conn, settings)),
    missing: [
      ...missingNotes(recorded, coverage),
      ...(span.last && asOf.date && daysBetween(span.last, asOf.date) > 31
        ? [
            `The loaded leads end on ${span.last}, but other records run to ${asOf.date}: periods after ` +
              `${span.last} show no new leads because the export stops there, not because none came in.`,
          ]
        : []),
    ],
  };
}

function missingNotes(r: OverviewReport["recorded"], c: Coverage): string[] {
  const notes: string[] = [];
  if (c.leads === 0)
    notes.push("No leads are loaded: run `npx leadcal demo` or `npx leadcal load`, then rebuild.");
  if (!r.mql) notes.push("No MQL stage is recorded: MQL counts are not available.");
  if (!r.sql) notes.push("No SQL stage is recorded: SQL counts and cost per SQL are not available.");
  if (!r.won) notes.push("No won deals or won stage are recorded: won counts are not available.");
  else if (!r.revenue) notes.push("Won deals carry no amount: won revenue is not available.");
  if (!r.costs) notes.push("No costs are loaded: cost and cost per SQL are not available.");
  return notes;
}
