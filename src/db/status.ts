import type { DuckDBConnection } from "@duckdb/node-api";
import { newestEventAt } from "./newest-event.ts";

/** What is loaded: per table its rows and date range, the batches, the rejects, and how fresh it all is. */
export interface TableStatus {
  table: string;
  rows: number;
  dateColumn: string | null;
  from: string | null;
  to: string | null;
}

export interface BatchStatus {
  batchId: number;
  file: string;
  mapping: string;
  loadedAt: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  inserted: number;
  updated: number;
}

export interface RejectReason {
  batchId: number;
  file: string;
  column: string | null;
  reason: string;
  rows: number;
}

export interface Status {
  tables: TableStatus[];
  batches: BatchStatus[];
  rejects: RejectReason[];
  lastLoadAt: string | null;
  latestEventAt: string | null;
  daysSinceLatestEvent: number | null;
}

/** The date column that says when a table's rows happened. */
export const TABLE_DATES: [string, string | null][] = [
  ["leads", "created_at"],
  ["lead_stage_changes", "entered_at"],
  ["activities", "occurred_at"],
  ["sales_touches", "occurred_at"],
  ["deals", "coalesce(closed_at, created_at)"],
  ["costs", "period_start"],
  ["accounts", null],
];

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function readStatus(conn: DuckDBConnection, now = new Date()): Promise<Status> {
  const tables: TableStatus[] = [];
  for (const [table, dateCol] of TABLE_DATES) {
    const r = (
      await rows(
        conn,
        `select count(*)::bigint as n${dateCol ? `, min(${dateCol})::varchar as lo, max(${dateCol})::varchar as hi` : ""} from ${table}`,
      )
    )[0] as Record<string, unknown>;
    tables.push({
      table,
      rows: Number(r.n),
      dateColumn: dateCol,
      from: str(r.lo),
      to: str(r.hi),
    });
  }
  const batches = (
    await rows(
      conn,
      `select batch_id, file_name, mapping, finished_at::varchar as at, rows_read, rows_loaded, rows_rejected,
              rows_inserted, rows_updated from load_batches order by batch_id`,
    )
  ).map((b) => ({
    batchId: Number(b.batch_id),
    file: String(b.file_name),
    mapping: String(b.mapping),
    loadedAt: String(b.at),
    rowsRead: Number(b.rows_read),
    rowsLoaded: Number(b.rows_loaded),
    rowsRejected: Number(b.rows_rejected),
    inserted: Number(b.rows_inserted),
    updated: Number(b.rows_updated),
  }));
  const rejects = (
    await rows(
      conn,
      `select r.batch_id, b.file_name, r.column_name,
              regexp_replace(r.reason, '''[^'']*''', '''…''', 'g') as reason, count(distinct r.row_number)::bigint as n
       from load_rejects r join load_batches b using (batch_id)
       group by all order by r.batch_id, n desc`,
    )
  ).map((r) => ({
    batchId: Number(r.batch_id),
    file: String(r.file_name),
    column: str(r.column_name),
    reason: String(r.reason),
    rows: Number(r.n),
  }));
  const latest = await newestEventAt(conn);
  const lastLoadAt = batches.at(-1)?.loadedAt ?? null;
  const days =
    latest === null
      ? null
      : Math.floor((now.getTime() - Date.parse(`${latest.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
  return { tables, batches, rejects, lastLoadAt, latestEventAt: latest, daysSinceLatestEvent: days };
}

/** The status as the lines `leadcal status` prints. */
export function formatStatus(s: Status, opts: { allBatches?: boolean } = {}): string[] {
  const out: string[] = [];
  out.push("Tables");
  for (const t of s.tables) {
    const range = t.from
      ? `  ${t.dateColumn?.replace(/coalesce\((\w+).*/, "$1")} ${t.from.slice(0, 10)} .. ${t.to?.slice(0, 10)}`
      : "";
    out.push(`  ${t.table.padEnd(20)} ${String(t.rows).padStart(10)} rows${range}`);
  }
  out.push("");
  const shown = opts.allBatches ? s.batches : s.batches.slice(-10);
  out.push(
    `Load batches (${s.batches.length}${shown.length < s.batches.length ? `, last ${shown.length} shown: --all for every one` : ""})`,
  );
  for (const b of shown) {
    out.push(
      `  #${String(b.batchId).padEnd(4)} ${b.loadedAt.slice(0, 19)}  ${b.file} (${b.mapping}): ${b.rowsRead} read, ${b.rowsLoaded} loaded, ${b.rowsRejected} rejected; ${b.inserted} new, ${b.updated} updated`,
    );
  }
  out.push("");
  const totalRejected = s.batches.reduce((a, b) => a + b.rowsRejected, 0);
  out.push(
    `Rejected rows: ${totalRejected}${totalRejected ? " (reasons below; raw values in table load_rejects)" : ""}`,
  );
  for (const r of s.rejects.slice(0, 20)) {
    out.push(
      `  #${String(r.batchId).padEnd(4)} ${r.file}: ${String(r.rows).padStart(6)}  ${r.column ? `${r.column}: ` : ""}${r.reason}`,
    );
  }
  if (s.rejects.length > 20) out.push(`  ... and ${s.rejects.length - 20} more reasons`);
  out.push("");
  out.push(
    s.lastLoadAt
      ? `Freshness: last load ${s.lastLoadAt.slice(0, 19)} UTC; ${newestEventLine(s)}`
      : "Freshness: nothing loaded yet (npx leadcal demo, or npx leadcal load ...)",
  );
  return out;
}

function newestEventLine(s: Status): string {
  if (s.latestEventAt === null || s.daysSinceLatestEvent === null) {
    return "no event carries a date (no lead creation, stage, deal, touch or activity dates are loaded)";
  }
  const days = s.daysSinceLatestEvent;
  return `newest event ${s.latestEventAt.slice(0, 10)} (${days === 1 ? "1 day" : `${days} days`} ago)`;
}
