import { type DuckDBConnection, quotedIdentifier as qi } from "@duckdb/node-api";

/** Adds the view `<table>` over `<table>_raw` with `_row`, the row a user sees. */
export async function numberRows(conn: DuckDBConnection, table: string, rejectRows: number[]): Promise<void> {
  // Rows written inside a transaction get rowids from a high base: count from the first one.
  // (bigint kept as text: the base is past 2^53, where JS numbers lose digits)
  const base = String(
    (
      await conn.runAndReadAll(`select coalesce(min(rowid), 0)::bigint b from ${qi(`${table}_raw`)}`)
    ).getRowObjectsJS()[0]?.b ?? 0,
  );
  await conn.run(
    `create or replace temp view ${qi(table)} as
     select ${rowNumber(rejectRows, `(rowid - ${/^\d+$/.test(base) ? base : "0"})`)} as _row, * from ${qi(`${table}_raw`)}`,
  );
}

/**
 * The row a user sees (header = row 1, as a spreadsheet shows it) for each parsed row. DuckDB numbers only
 * the rows it parsed, so each moves down past the unreadable rows before it: reject j (1-based, sorted)
 * sits after g_j = (row_j - 2) - (j - 1) good rows, and parsed row i (0-based, the SQL expression `i`)
 * moves down by the number of rejects with g_j <= i.
 */
export function rowNumber(rejectRows: number[], i: string): string {
  if (rejectRows.length === 0) return `(${i} + 2)`;
  const gaps = [...rejectRows].sort((a, b) => a - b).map((row, j) => row - 2 - j);
  return `(${i} + 2 + (select count(*) from unnest([${gaps.join(", ")}]::bigint[]) as g(v) where g.v <= ${i}))`;
}
