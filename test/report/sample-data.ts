import type { DuckDBConnection } from "@duckdb/node-api";
import { insert } from "./fixture.ts";

/**
 * A small, complete CRM history whose report figures are worked out by hand in the tests.
 *
 * lead  channel  employees  industry  created     stages (entered)                                 deal
 * L1    ads      30         Software  2025-01-10  mql 01-12, sql 01-20 09:00, opp 02-01, won 03-01  won 03-01, 1000
 * L2    ads      120        Software  2025-02-05  mql 02-06, sql 02-10, lost 03-10
 * L3    email    500        Retail    2025-03-01  mql 03-05
 * L4    email    -          -         2025-03-20  (none)
 * L5    ads      2000       Retail    2025-04-10  mql 04-11, sql 04-12
 * L6    events   40         Software  2025-05-01  mql 05-02, won 12-01 (skipped sql and opp)       won 12-01, 500
 * L7    ads      10         -         2025-10-01  mql 10-02, sql 10-03
 *
 * The latest event is L6's win on 2025-12-01, so the report is as of 2025-12-01 (2025 Q4).
 */
export async function fillSample(conn: DuckDBConnection): Promise<void> {
  const lead = (
    id: string,
    channel: string,
    employees: number | null,
    industry: string | null,
    created: string,
  ) => ({
    lead_id: id,
    channel,
    employees,
    industry,
    created_at: created,
    email: `${id.toLowerCase()}@example.com`,
    first_name: "Pat",
    last_name: `Person${id}`,
  });
  await insert(conn, "leads", [
    lead("L1", "ads", 30, "Software", "2025-01-10 08:00:00"),
    lead("L2", "ads", 120, "Software", "2025-02-05 00:00:00"),
    lead("L3", "email", 500, "Retail", "2025-03-01 00:00:00"),
    lead("L4", "email", null, null, "2025-03-20 00:00:00"),
    lead("L5", "ads", 2000, "Retail", "2025-04-10 00:00:00"),
    lead("L6", "events", 40, "Software", "2025-05-01 00:00:00"),
    lead("L7", "ads", 10, null, "2025-10-01 00:00:00"),
  ]);
  const st = (lead_id: string, stage: string, entered_at: string) => ({ lead_id, stage, entered_at });
  await insert(conn, "lead_stage_changes", [
    st("L1", "lead", "2025-01-10 08:00:00"),
    st("L1", "mql", "2025-01-12 08:00:00"),
    st("L1", "sql", "2025-01-20 09:00:00"),
    st("L1", "opportunity", "2025-02-01 09:00:00"),
    st("L1", "won", "2025-03-01 09:00:00"),
    st("L2", "mql", "2025-02-06 00:00:00"),
    st("L2", "sql", "2025-02-10 00:00:00"),
    st("L2", "lost", "2025-03-10 00:00:00"),
    st("L3", "mql", "2025-03-05 00:00:00"),
    st("L5", "mql", "2025-04-11 00:00:00"),
    st("L5", "sql", "2025-04-12 00:00:00"),
    st("L6", "mql", "2025-05-02 00:00:00"),
    st("L6", "won", "2025-12-01 00:00:00"),
    st("L7", "mql", "2025-10-02 00:00:00"),
    st("L7", "sql", "2025-10-03 00:00:00"),
  ]);
  await insert(conn, "deals", [
    {
      deal_id: "D1",
      lead_id: "L1",
      created_at: "2025-02-01 09:00:00",
      closed_at: "2025-03-01 09:00:00",
      outcome: "won",
      amount: 1000,
    },
    {
      deal_id: "D6",
      lead_id: "L6",
      created_at: "2025-11-01 00:00:00",
      closed_at: "2025-12-01 00:00:00",
      outcome: "won",
      amount: 500,
    },
  ]);
  const touch = (id: string, lead_id: string, occurred_at: string, kind: string) => ({
    touch_id: id,
    lead_id,
    occurred_at,
    kind,
    rep: "rep-a",
  });
  await insert(conn, "sales_touches", [
    touch("T0", "L1", "2025-01-15 09:00:00", "email"), // before the SQL date: not a response to the SQL
    touch("T1", "L1", "2025-01-20 09:20:00", "call"), // 20 minutes after SQL
    touch("T2", "L1", "2025-01-20 10:00:00", "email"),
    touch("T3", "L1", "2025-01-21 10:00:00", "call"),
    touch("T4", "L1", "2025-01-22 10:00:00", "email"),
    touch("T5", "L1", "2025-01-25 10:00:00", "call"),
    touch("T6", "L1", "2025-01-30 10:00:00", "email"),
    touch("T7", "L1", "2025-02-10 10:00:00", "call"), // day 21: outside the 14-day window
    touch("T8", "L2", "2025-02-10 05:00:00", "call"), // 300 minutes after SQL
    touch("T9", "L7", "2025-10-05 00:00:00", "email"), // two days after SQL
  ]);
  const cost = (period_start: string, period_end: string, channel: string, team: string, amount: number) => ({
    period_start,
    period_end,
    channel,
    team,
    amount,
  });
  await insert(conn, "costs", [
    cost("2025-01-01", "2025-01-31", "ads", "marketing", 600),
    cost("2025-02-01", "2025-02-28", "ads", "marketing", 300),
    cost("2025-01-01", "2025-01-31", "email", "marketing", 100),
    // A quarter of sales cost that belongs to no channel: 900 over 90 days, 10 a day.
    cost("2025-01-01", "2025-03-31", "unallocated", "sales", 900),
  ]);
}
