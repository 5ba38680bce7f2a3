import type { DuckDBConnection } from "@duckdb/node-api";
import { type CheckFailure, runChecks, TABLE_CHECKS } from "./db/checks.ts";
import { SCORE_CHECKS } from "./scoring/checks.ts";

/**
 * Every check `leadcal check` runs: each module that owns tables writes the checks of its tables
 * (src/db/checks.ts for the canonical tables, src/scoring/checks.ts for the scores) and this list
 * puts them together, so no lower layer imports a higher one.
 */
export const ALL_CHECKS = [...TABLE_CHECKS, ...SCORE_CHECKS] as const;

export function runAllChecks(conn: DuckDBConnection): Promise<CheckFailure[]> {
  return runChecks(conn, ALL_CHECKS);
}
