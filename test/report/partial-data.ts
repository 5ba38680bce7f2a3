import type { DuckDBConnection } from "@duckdb/node-api";
import { insert } from "./fixture.ts";

/**
 * An export like Olist's: an MQL list (every lead is an MQL, lifecycle 'mql') and a list of won
 * deals, with no SQL stage, no opportunities, no touches, no costs, no firmographics.
 *
 * lead  created      won deal closed
 * M1    2025-01-10   2025-01-15 (5 days later)
 * M2    2025-01-20   2025-01-18 (2 days BEFORE the first contact: a negative gap)
 * M3    2025-02-01   -
 * M4    2025-04-01   -
 */
export async function fillPartial(conn: DuckDBConnection): Promise<void> {
  const lead = (id: string, created: string) => ({
    lead_id: id,
    created_at: created,
    source: "organic",
    lifecycle_stage: "mql",
  });
  await insert(conn, "leads", [
    lead("M1", "2025-01-10 00:00:00"),
    lead("M2", "2025-01-20 00:00:00"),
    lead("M3", "2025-02-01 00:00:00"),
    lead("M4", "2025-04-01 00:00:00"),
  ]);
  await insert(
    conn,
    "lead_stage_changes",
    ["M1", "M2", "M3", "M4"].map((id, i) => ({
      lead_id: id,
      stage: "mql",
      entered_at: ["2025-01-10", "2025-01-20", "2025-02-01", "2025-04-01"][i] as string,
    })),
  );
  await insert(conn, "deals", [
    { deal_id: "M1", lead_id: "M1", closed_at: "2025-01-15 00:00:00", outcome: "won" },
    { deal_id: "M2", lead_id: "M2", closed_at: "2025-01-18 00:00:00", outcome: "won" },
  ]);
}
