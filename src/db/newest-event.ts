import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * The newest event in the loaded history: a lead created, a stage entered, a deal created or
 * closed, a sales touch, an activity. This is the one meaning of "the latest moment in the data"
 * that `leadcal status`, the report pages and scoring's `--as-of latest` share. Record metadata
 * (`leads.updated_at`, when the CRM last edited a row) and cost periods (budgets can run ahead)
 * are not events and do not count.
 */
export const NEWEST_EVENT_SQL = `
select max(t)::varchar as newest_event_at from (
  select max(created_at) as t from leads
  union all select max(entered_at) from lead_stage_changes
  union all select max(greatest(created_at, closed_at)) from deals
  union all select max(occurred_at) from sales_touches
  union all select max(occurred_at) from activities
)
`;

/** The newest event's timestamp as 'YYYY-MM-DD HH:MM:SS', or null when nothing loaded is dated. */
export async function newestEventAt(conn: DuckDBConnection): Promise<string | null> {
  const rows = (await conn.runAndReadAll(NEWEST_EVENT_SQL)).getRowObjectsJson();
  const v = rows[0]?.newest_event_at;
  return typeof v === "string" ? v : null;
}
