import type { DuckDBConnection } from "@duckdb/node-api";
import { addDays } from "../db/dates.ts";
import { newestEventAt } from "../db/newest-event.ts";
import { queryRows } from "./query.ts";
import type { ReportSettings } from "./settings.ts";

/**
 * Calendar periods of the report. Quarters are labelled "2025 Q3" (these labels sort in time
 * order as plain strings, which the queries rely on), months "2025-07".
 */

/** SQL expression: the quarter label of a date or timestamp expression. */
export function quarterSql(expr: string): string {
  return `(strftime(${expr}, '%Y') || ' Q' || quarter(${expr}))`;
}

/** SQL expression: the month label of a date or timestamp expression. */
export function monthSql(expr: string): string {
  return `strftime(${expr}, '%Y-%m')`;
}

/** "2025-07-14" -> "2025 Q3". */
export function quarterOf(date: string): string {
  return quarterFromIndex(Number(date.slice(0, 4)) * 4 + Math.floor((Number(date.slice(5, 7)) - 1) / 3));
}

/** "2025 Q3" -> 2025 * 4 + 2, so quarters can be counted. */
function quarterIndex(label: string): number {
  const m = /^(\d{4}) Q([1-4])$/.exec(label);
  if (!m) throw new Error(`not a quarter label: ${label}`);
  return Number(m[1]) * 4 + Number(m[2]) - 1;
}

function quarterFromIndex(i: number): string {
  return `${Math.floor(i / 4)} Q${(i % 4) + 1}`;
}

/** The quarter `n` quarters after `label` (negative n: before). */
export function addQuarters(label: string, n: number): string {
  return quarterFromIndex(quarterIndex(label) + n);
}

/** First day of a quarter: "2025 Q3" -> "2025-07-01". */
export function quarterStart(label: string): string {
  const i = quarterIndex(label);
  const month = (i % 4) * 3 + 1;
  return `${Math.floor(i / 4)}-${String(month).padStart(2, "0")}-01`;
}

/** Every quarter from `first` to `last`, inclusive, in order. */
export function quarterRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let i = quarterIndex(first); i <= quarterIndex(last); i++) out.push(quarterFromIndex(i));
  return out;
}

/** A choice in a page's period filter: a named set of consecutive quarters. */
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
