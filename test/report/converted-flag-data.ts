import type { DuckDBConnection } from "@duckdb/node-api";
import { insert } from "./fixture.ts";

/**
 * Leads with a converted flag and no dates at all: the common export the design names. Built from
 * blocks of identical leads, so every expected count can be added up by hand from the table.
 */
export interface LeadBlock {
  n: number;
  /** How many of the block's leads have is_converted true (the first ones); null: the flag is empty. */
  converted: number | null;
  channel?: string;
  source?: string;
  industry?: string;
  employees?: number;
  country?: string;
}

/** One row per lead, ids `${prefix}00001`, ... in block order; columns the block does not set are absent. */
export function leadsFromBlocks(
  blocks: LeadBlock[],
  prefix = "F",
): Record<string, string | number | boolean | null>[] {
  const rows: Record<string, string | number | boolean | null>[] = [];
  for (const b of blocks) {
    for (let i = 0; i < b.n; i++) {
      rows.push({
        lead_id: `${prefix}${String(rows.length + 1).padStart(5, "0")}`,
        channel: b.channel ?? null,
        source: b.source ?? null,
        industry: b.industry ?? null,
        employees: b.employees ?? null,
        country: b.country ?? null,
        is_converted: b.converted === null ? null : i < b.converted,
      });
    }
  }
  return rows;
}

/**
 * 42 leads, 16 converted, 2 with no flag; no source column filled, no date anywhere.
 *
 * block  channel  industry  employees  country  leads  converted
 * B1     ads      Software  30         DE       12     5
 * B2     ads      Retail    120        FR       8      3
 * B3     email    Software  500        DE       10     5
 * B4     events   -         2000       DE       6      0
 * B5     webinar  Retail    -          US       3      2
 * B6     partner  Retail    30         DE       1      1
 * B7     ads      Software  30         DE       2      flag empty
 */
export const SMALL_FLAG_BLOCKS: LeadBlock[] = [
  { n: 12, converted: 5, channel: "ads", industry: "Software", employees: 30, country: "DE" },
  { n: 8, converted: 3, channel: "ads", industry: "Retail", employees: 120, country: "FR" },
  { n: 10, converted: 5, channel: "email", industry: "Software", employees: 500, country: "DE" },
  { n: 6, converted: 0, channel: "events", employees: 2000, country: "DE" },
  { n: 3, converted: 2, channel: "webinar", industry: "Retail", country: "US" },
  { n: 1, converted: 1, channel: "partner", industry: "Retail", employees: 30, country: "DE" },
  { n: 2, converted: null, channel: "ads", industry: "Software", employees: 30, country: "DE" },
];

export function fillBlocks(blocks: LeadBlock[]): (conn: DuckDBConnection) => Promise<void> {
  return (conn) => insert(conn, "leads", leadsFromBlocks(blocks));
}
