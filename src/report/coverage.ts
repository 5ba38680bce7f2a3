import type { DuckDBConnection } from "@duckdb/node-api";
import { queryOne } from "./query.ts";

/**
 * What the loaded data holds, in the few counts the pages need to decide what they can show.
 * Real exports are partial (an MQL list and a closed-deals list is common): each page checks these
 * and says what is missing instead of showing empty or misleading charts.
 */
export interface Coverage {
  leads: number;
  leadsWithChannel: number;
  leadsWithEmployees: number;
  leadsWithIndustry: number;
  stageChanges: number;
  datedStageChanges: number;
  sqlEntries: number;
  activities: number;
  salesTouches: number;
  deals: number;
  wonDeals: number;
  wonDealsWithAmount: number;
  costs: number;
  costUnallocated: number;
  loadBatches: number;
}

const COVERAGE_SQL = `
select
  (select count(*) from leads)::integer as leads,
  (select count(*) from leads where nullif(trim(coalesce(channel, source)), '') is not null)::integer
    as leadsWithChannel,
  (select count(employees) from leads)::integer as leadsWithEmployees,
  (select count(nullif(trim(industry), '')) from leads)::integer as leadsWithIndustry,
  (select count(*) from lead_stage_changes)::integer as stageChanges,
  (select count(entered_at) from lead_stage_changes)::integer as datedStageChanges,
  (select count(*) from lead_stage_changes where stage = 'sql')::integer as sqlEntries,
  (select count(*) from activities)::integer as activities,
  (select count(*) from sales_touches)::integer as salesTouches,
  (select count(*) from deals)::integer as deals,
  (select count(*) from deals where outcome = 'won')::integer as wonDeals,
  (select count(amount) from deals where outcome = 'won')::integer as wonDealsWithAmount,
  (select count(*) from costs)::integer as costs,
  (select count(*) from costs where channel = 'unallocated')::integer as costUnallocated,
  (select count(*) from load_batches)::integer as loadBatches
`;

export async function readCoverage(conn: DuckDBConnection): Promise<Coverage> {
  return queryOne<Coverage>(conn, COVERAGE_SQL);
}
