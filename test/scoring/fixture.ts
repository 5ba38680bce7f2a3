import type { DuckDBConnection } from "@duckdb/node-api";
import { type Db, openDb } from "../../src/db/connection.ts";
import { type LoadedDefinition, parseDefinition } from "../../src/scoring/index.ts";

/** A fixture cell; strings are cast by DuckDB to the column's type. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** Inserts rows into a table in one statement with bound values (batch_id filled in for canonical tables). */
export async function insertRows(conn: DuckDBConnection, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const withBatch: Row[] = rows.map((r) => ({ batch_id: 1, ...r }));
  const cols = [...new Set(withBatch.flatMap((r) => Object.keys(r)))];
  const params: Record<string, Cell> = {};
  const tuples = withBatch.map((r, i) => {
    const cells = cols.map((c, j) => {
      params[`p${i}_${j}`] = r[c] ?? null;
      return `$p${i}_${j}`;
    });
    return `(${cells.join(", ")})`;
  });
  await conn.run(
    `insert into ${table} (${cols.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")}`,
    params as Record<string, never>,
  );
}

/** An in-memory leadcal database (migrations applied), closed by the caller. */
export function memoryDb(): Promise<Db> {
  return openDb(":memory:");
}

export async function withMemoryDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await memoryDb();
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** A definition from YAML text, with the required parts filled in when the test does not care. */
export function definition(yaml: string): LoadedDefinition {
  const text = /^outcome:/m.test(yaml) ? yaml : `${yaml}\noutcome: { stage: sql, horizon_days: 90 }\n`;
  const withThresholds = /^thresholds:/m.test(text)
    ? text
    : `${text}\nthresholds: [{ stage: mql, min_score: 10 }]\n`;
  const withVersion = /^version:/m.test(withThresholds) ? withThresholds : `version: test\n${withThresholds}`;
  return parseDefinition(withVersion, "test.yaml");
}

export interface ScoreRow {
  lead_id: string;
  as_of: string;
  total: number;
  fit: number;
  situational: number;
  engagement: number;
  negative: number;
  probability: number | null;
  grade: string | null;
  stage: string;
  points_stage: string;
  is_disqualified: boolean;
  is_complete: boolean;
  completeness: number;
  missing_fields: string[];
  reasons: string[];
}

/** Reads stored scores of the latest run, by lead id. */
export async function storedScores(conn: DuckDBConnection): Promise<Map<string, ScoreRow>> {
  const rows = (
    await conn.runAndReadAll(
      "select * exclude (run_id, definition_version), cast(as_of as varchar) as as_of from lead_scores where run_id = (select max(run_id) from score_runs) order by lead_id",
    )
  ).getRowObjectsJson() as unknown as ScoreRow[];
  return new Map(rows.map((r) => [r.lead_id, r]));
}
