import type { DuckDBConnection } from "@duckdb/node-api";
import {
  addQuarters,
  monthSql,
  quarterIndex,
  quarterOf,
  quarterRange,
  quarterSql,
  quarterStart,
} from "../db/calendar.ts";
import { addDays } from "../db/dates.ts";
import { newestEventAt } from "../db/newest-event.ts";
import type { ReportSettings } from "../settings.ts";
import { queryRows } from "./query.ts";

/**
 * Calendar periods of the report: the period choices, the as-of quarter, medians by period. The
 * labels themselves come from src/db/calendar.ts (re-exported here for the report modules).
 */
export { addQuarters, monthSql, quarterOf, quarterRange, quarterSql, quarterStart };

export interface PeriodOption {
  key: string;
  label: string;
  /** First and last quarter, inclusive. */
  from: string;
  to: string;
}

/**
 * The period filter's choices: all quarters, the last four up to the as-of quarter, and each
 * quarter on its own (newest first). `quarters` are the quarters that have data.
 */
export function periodOptions(quarters: string[], asOfQuarter: string | null): PeriodOption[] {
  if (quarters.length === 0) return [];
  const sorted = [...new Set(quarters)].sort();
  const first = sorted[0] as string;
  const last = asOfQuarter ?? (sorted[sorted.length - 1] as string);
  const options: PeriodOption[] = [
    { key: "all", label: `All quarters (${first} to ${last})`, from: first, to: last },
  ];
  if (quarterIndex(last) - quarterIndex(first) >= 4) {
    const from = addQuarters(last, -3);
    options.push({ key: "last4", label: `Last 4 quarters (${from} to ${last})`, from, to: last });
  }
  for (const q of [...sorted].reverse()) options.push({ key: q, label: q, from: q, to: q });
  return options;
}

/** Is `date` (YYYY-MM-DD) the last day of a quarter? */
export function isLastDayOfQuarter(date: string): boolean {
  const next = addDays(date, 1);
  return next.slice(8, 10) === "01" && (Number(next.slice(5, 7)) - 1) % 3 === 0;
}

export interface AsOf {
  /** The date the report describes (YYYY-MM-DD), or null when nothing in the data is dated. */
  date: string | null;
  quarter: string | null;
  /** True when the as-of date is the last day of its quarter: the quarter is complete, not "to date". */
  quarterComplete: boolean;
  /** "settings" when set in the settings file, "data" when it is the latest event loaded. */
  source: "settings" | "data";
}

/**
 * The report's "as of" date: the settings' `report.as_of`, else the day of the newest event in
 * the data (src/db/newest-event.ts: lead created, stage entered, deal created or closed, touch,
 * activity). Reports use it
 * instead of today's date, so a site built from an old export describes that export's moment.
 */
export async function resolveAsOf(conn: DuckDBConnection, settings: ReportSettings): Promise<AsOf> {
  const date = settings.asOf ?? (await newestEventAt(conn))?.slice(0, 10) ?? null;
  return {
    date,
    quarter: date ? quarterOf(date) : null,
    quarterComplete: date ? isLastDayOfQuarter(date) : false,
    source: settings.asOf ? "settings" : "data",
  };
}

/**
 * Medians of a value by period option and channel, from a temporary table with columns
 * (key, quarter, channel, value). Medians do not add up, so the page cannot compute them from
 * other rows: every (period, channel or all channels, key) combination the filters offer is
 * computed here. `channel` is null in the rows for "all channels".
 */
export interface MedianRow {
  period: string;
  channel: string | null;
  key: string;
  median: number | null;
  n: number;
}

export async function mediansByPeriod(
  conn: DuckDBConnection,
  table: string,
  periods: PeriodOption[],
): Promise<MedianRow[]> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`bad temp table name: ${table}`);
  const single = await queryRows<Omit<MedianRow, "period"> & { quarter: string }>(
    conn,
    `select key, quarter, channel, quantile_cont(value, 0.5)::double as median, count(*)::integer as n
     from ${table}
     group by grouping sets ((key, quarter, channel), (key, quarter))
     order by all`,
  );
  const out: MedianRow[] = single.map(({ quarter, ...r }) => ({ period: quarter, ...r }));
  for (const p of periods) {
    if (p.from === p.to) continue;
    const rows = await queryRows<Omit<MedianRow, "period">>(
      conn,
      `select key, channel, quantile_cont(value, 0.5)::double as median, count(*)::integer as n
       from ${table}
       where quarter between $from and $to
       group by grouping sets ((key, channel), (key))
       order by all`,
      { from: p.from, to: p.to },
    );
    for (const r of rows) out.push({ period: p.key, ...r });
  }
  return out;
}
