import { basename } from "node:path";
import {
  BIGINT,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from "@duckdb/node-api";
import type { LoadResult } from "./result.ts";
import { scalar } from "./sql.ts";

/** The batch manifest: one row of load_batches per file loaded. */

/** Whether a file of this size was loaded before with this mapping (only then is its checksum worth waiting for). */
export async function sizeSeenBefore(
  conn: DuckDBConnection,
  size: number,
  mapping: string,
): Promise<boolean> {
  const n = await scalar(
    conn,
    "select count(*) from load_batches where size_bytes = $size and mapping = $mapping",
    { size, mapping },
    { size: BIGINT, mapping: VARCHAR },
  );
  return n > 0;
}

/** The result of a file already loaded as an earlier batch (same checksum, same mapping), if it was. */
export async function priorLoad(
  conn: DuckDBConnection,
  shown: string,
  checksum: string,
  mapping: string,
): Promise<LoadResult | undefined> {
  const prior = (
    await conn.runAndReadAll(
      `select batch_id, finished_at::varchar as at, rows_read, rows_loaded, rows_rejected from load_batches
       where checksum_sha256 = $checksum and mapping = $mapping order by batch_id desc limit 1`,
      { checksum, mapping },
      { checksum: VARCHAR, mapping: VARCHAR },
    )
  ).getRowObjectsJS()[0];
  if (!prior) return undefined;
  return {
    file: shown,
    mapping,
    status: "unchanged",
    batchId: Number(prior.batch_id),
    rowsRead: Number(prior.rows_read),
    rowsLoaded: Number(prior.rows_loaded),
    rowsRejected: Number(prior.rows_rejected),
    tables: [],
    rejects: [],
    notes: [`already loaded as batch ${prior.batch_id} at ${prior.at}: nothing changed`],
  };
}

/** The next batch id (inside the load's transaction). */
export async function nextBatchId(conn: DuckDBConnection): Promise<number> {
  return scalar(conn, "select coalesce(max(batch_id), 0) + 1 from load_batches");
}

/** What the manifest records about one loaded file. */
export interface BatchEntry {
  batchId: number;
  /** The file's absolute path. */
  path: string;
  checksum: string;
  size: number;
  format: string;
  encoding: string | null;
  mapping: string;
  startedAt: Date;
  result: Omit<LoadResult, "batchId">;
}

const STRINGS = LIST(VARCHAR);

/** Records a loaded file in load_batches; finished_at is now. */
export async function writeBatch(conn: DuckDBConnection, b: BatchEntry): Promise<void> {
  const { result } = b;
  const row: Record<string, [DuckDBValue, DuckDBType]> = {
    batch_id: [b.batchId, INTEGER],
    file_name: [basename(b.path), VARCHAR],
    file_path: [b.path, VARCHAR],
    checksum_sha256: [b.checksum, VARCHAR],
    size_bytes: [b.size, BIGINT],
    format: [b.format, VARCHAR],
    encoding: [b.encoding, VARCHAR],
    mapping: [b.mapping, VARCHAR],
    target_tables: [listValue(result.tables.map((t) => t.table)), STRINGS],
    started_at: [b.startedAt.toISOString(), VARCHAR],
    rows_read: [result.rowsRead, BIGINT],
    rows_loaded: [result.rowsLoaded, BIGINT],
    rows_rejected: [result.rowsRejected, BIGINT],
    rows_inserted: [result.tables.reduce((s, t) => s + t.inserted, 0), BIGINT],
    rows_updated: [result.tables.reduce((s, t) => s + t.updated, 0), BIGINT],
    notes: [listValue(result.notes), STRINGS],
  };
  const names = Object.keys(row);
  // started_at is bound as ISO text and read in the session's time zone; finished_at is the database's now.
  const value = (n: string) => (n === "started_at" ? "$started_at::timestamptz::timestamp" : `$${n}`);
  await conn.run(
    `insert into load_batches (${names.join(", ")}, finished_at)
     values (${names.map(value).join(", ")}, now()::timestamp)`,
    Object.fromEntries(names.map((n) => [n, row[n]?.[0] ?? null])),
    Object.fromEntries(names.map((n) => [n, row[n]?.[1]])),
  );
}
