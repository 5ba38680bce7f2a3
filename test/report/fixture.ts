import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { type Db, openDb } from "../../src/db/connection.ts";

/** A value in a fixture row; strings are cast by DuckDB to the column's type on insert. */
export type Cell = string | number | boolean | null;
export type Rows = Record<string, Cell>[];

/** Inserts rows into a canonical table, one bound statement per row (fixtures are tiny). */
export async function insert(conn: DuckDBConnection, table: string, rows: Rows, batchId = 1): Promise<void> {
  for (const row of rows) {
    const withBatch: Record<string, Cell> =
      table === "load_batches" || table === "load_rejects" ? row : { batch_id: batchId, ...row };
    const cols = Object.keys(withBatch);
    const sql = `insert into ${table} (${cols.map((c) => `"${c}"`).join(", ")}) values (${cols.map((_, i) => `$p${i}`).join(", ")})`;
    const params = Object.fromEntries(cols.map((c, i) => [`p${i}`, withBatch[c] ?? null]));
    await conn.run(sql, params as Record<string, never>);
  }
}

export interface Fixture {
  dir: string;
  path: string;
  /** Opens the fixture read-only, as the report loaders do. */
  open(): Promise<Db>;
  remove(): void;
}

/** Creates a DuckDB file (migrations applied) in `dir`, else a temp folder, filled by `fill`. */
export async function makeFixture(
  fill: (conn: DuckDBConnection) => Promise<void>,
  dir = mkdtempSync(join(tmpdir(), "leadcal-report-")),
): Promise<Fixture> {
  const path = join(dir, "fixture.duckdb");
  const db = await openDb(path);
  try {
    await fill(db.conn);
  } finally {
    db.close();
  }
  return {
    dir,
    path,
    open: () => openDb(path, { readOnly: true }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
