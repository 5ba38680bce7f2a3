import type { DuckDBConnection } from "@duckdb/node-api";

/** A value bound to a `$name` parameter. */
export type Param = string | number | boolean | null;

/**
 * Runs one query with bound `$name` parameters and returns its rows as plain JSON objects.
 * Dates come back as "YYYY-MM-DD", timestamps as "YYYY-MM-DD HH:MM:SS"; BIGINT comes back as a
 * string, so report queries cast counts to INTEGER or DOUBLE in SQL.
 */
export async function queryRows<T extends object>(
  conn: DuckDBConnection,
  sql: string,
  params: Record<string, Param> = {},
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params as Record<string, never>);
  return reader.getRowObjectsJson() as unknown as T[];
}

/** The single row of a query that returns exactly one. */
export async function queryOne<T extends object>(
  conn: DuckDBConnection,
  sql: string,
  params: Record<string, Param> = {},
): Promise<T> {
  const rows = await queryRows<T>(conn, sql, params);
  const row = rows[0];
  if (rows.length !== 1 || row === undefined) throw new Error(`expected one row, got ${rows.length}`);
  return row;
}

/** Runs a statement that returns nothing of interest (a temporary table) with bound parameters. */
export async function execute(
  conn: DuckDBConnection,
  sql: string,
  params: Record<string, Param> = {},
): Promise<void> {
  await conn.run(sql, params as Record<string, never>);
}
