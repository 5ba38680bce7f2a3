import {
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  quotedIdentifier as qi,
} from "@duckdb/node-api";
import { tableColumns } from "../db/table-columns.ts";
import type { CanonicalType } from "./columns.ts";

/** The first value of the first row of a query, as a number (0 when there is no row). */
export async function scalar(
  conn: DuckDBConnection,
  sql: string,
  values?: Record<string, DuckDBValue>,
  types?: Record<string, DuckDBType>,
): Promise<number> {
  const row = (await conn.runAndReadAll(sql, values, types)).getRowObjectsJS()[0];
  return Number(row ? Object.values(row)[0] : 0);
}

/** Drops every temp view and temp table a load made. */
export async function dropTemps(conn: DuckDBConnection): Promise<void> {
  const views = (
    await conn.runAndReadAll(
      "select view_name from duckdb_views() where temporary and database_name = 'temp'",
    )
  ).getRowObjectsJS();
  for (const v of views) await conn.run(`drop view if exists temp.${qi(String(v.view_name))}`);
  const temps = (
    await conn.runAndReadAll(
      "select table_name from duckdb_tables() where temporary and database_name = 'temp'",
    )
  ).getRowObjectsJS();
  for (const t of temps) await conn.run(`drop table if exists temp.${qi(String(t.table_name))}`);
}

/** A canonical table's columns and their types, without the system column batch_id. */
export async function columnTypes(
  conn: DuckDBConnection,
  table: string,
): Promise<Map<string, CanonicalType>> {
  const out = new Map<string, CanonicalType>();
  for (const [column, type] of await tableColumns(conn, table))
    if (column !== "batch_id") out.set(column, type as CanonicalType);
  return out;
}
