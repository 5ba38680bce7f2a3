import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import type { ReadReject, StagedFile } from "./read.ts";
import type { RejectSummary } from "./result.ts";
import { scalar } from "./sql.ts";

/**
 * Writes the batch's rejected rows to load_rejects: each failed check in errs with the row's source values,
 * then each row the reader could not parse with its raw line. Returns the number of rows errs rejected.
 */
export async function writeRejects(
  conn: DuckDBConnection,
  staged: StagedFile,
  batchId: number,
): Promise<number> {
  const rejectRows = await scalar(conn, "select count(distinct _row) from errs");
  if (rejectRows > 0) {
    const raw = staged.stageRaw ? await staged.stageRaw("select _row from errs") : staged.table;
    await conn.run(
      `insert into load_rejects
       select ${batchId}, e._row, e.column_name, e.reason, to_json(s)
       from errs e left join ${qi(raw)} s on s._row = e._row`,
    );
  }
  for (let k = 0; k < staged.readRejects.length; k += 500) {
    const chunk = staged.readRejects.slice(k, k + 500);
    await conn.run(
      `insert into load_rejects values ${chunk
        .map((r) => `(${batchId}, ${r.row}, null, ${qs(r.reason)}, json_object('line', ${qs(r.raw)}))`)
        .join(", ")}`,
    );
  }
  return rejectRows;
}

/** The reasons rows were rejected, with counts and first rows: the reader's first, then errs' (top 50). */
export async function summariseRejects(
  conn: DuckDBConnection,
  readRejects: ReadReject[],
): Promise<RejectSummary[]> {
  const rejects = (
    await conn.runAndReadAll(
      `select column_name, reason, count(*)::bigint n, min(_row)::bigint first_row from (
         select _row, column_name, regexp_replace(reason, '''[^'']*''', '''…''', 'g') as reason from errs
       ) group by all order by n desc, first_row limit 50`,
    )
  ).getRowObjectsJS();
  const readReasons = new Map<string, { count: number; first: number }>();
  for (const r of readRejects) {
    const key = r.reason.replace(/\d+/g, "N");
    const cur = readReasons.get(key) ?? { count: 0, first: r.row };
    readReasons.set(key, { count: cur.count + 1, first: Math.min(cur.first, r.row) });
  }
  return [
    ...[...readReasons.entries()].map(([reason, v]) => ({
      column: null,
      reason,
      count: v.count,
      firstRow: v.first,
    })),
    ...rejects.map((r) => ({
      column: r.column_name === null ? null : String(r.column_name),
      reason: String(r.reason),
      count: Number(r.n),
      firstRow: Number(r.first_row),
    })),
  ];
}
