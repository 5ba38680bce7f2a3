import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * The columns of one of leadcal's own tables, in table order: column name -> DuckDB type
 * ("VARCHAR", "TIMESTAMP", ...). Only the database's own schema counts, so a temp table of the same
 * name never lends it columns. An unknown table has none.
 */
export async function tableColumns(conn: DuckDBConnection, table: string): Promise<Map<string, string>> {
  const rows = (
    await conn.runAndReadAll(
      `select column_name, data_type from information_schema.columns
       where table_catalog = current_database() and table_schema = current_schema() and table_name = $table
       order by ordinal_position`,
      { table },
    )
  ).getRowObjectsJson();
  return new Map(rows.map((r) => [String(r.column_name), String(r.data_type)]));
}
