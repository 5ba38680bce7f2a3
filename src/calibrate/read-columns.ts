import type { DuckDBConnection } from "@duckdb/node-api";

/** How one result column is read into a typed array: whole numbers, real numbers or flags. */
export type ColumnKind = "i32" | "f64" | "u8";
export type TypedColumn = Int32Array | Float64Array | Uint8Array;

/**
 * Reads the result of `sql` chunk by chunk straight into typed arrays, one per requested column (in
 * order), without building a row object per row. The query must not return nulls in these columns
 * (coalesce in SQL); `rows` is the number of rows it returns (from a count run beforehand).
 */
export async function readColumns(
  conn: DuckDBConnection,
  sql: string,
  kinds: readonly ColumnKind[],
  rows: number,
  params?: Record<string, string>,
): Promise<TypedColumn[]> {
  const out: TypedColumn[] = kinds.map((k) =>
    k === "i32" ? new Int32Array(rows) : k === "u8" ? new Uint8Array(rows) : new Float64Array(rows),
  );
  const result = await conn.stream(sql, params);
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    if (at + n > rows)
      throw new Error(`readColumns: the query returned more than the ${rows} rows announced`);
    for (let c = 0; c < kinds.length; c++) {
      const vector = chunk.getColumnVector(c);
      const target = out[c] as TypedColumn;
      for (let i = 0; i < n; i++) {
        const v = vector.getItem(i) as number | boolean | bigint | null;
        target[at + i] = v === null ? 0 : typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
      }
    }
    at += n;
  }
  if (at !== rows) throw new Error(`readColumns: expected ${rows} rows, read ${at}`);
  return out;
}
