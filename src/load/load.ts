import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Db } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import { sha256File } from "./checksum.ts";
import type { CanonicalType } from "./columns.ts";
import { landStaged } from "./land.ts";
import { nextBatchId, priorLoad, sizeSeenBefore, writeBatch } from "./manifest.ts";
import type { Mapping } from "./mapping.ts";
import { type Planned, planAll } from "./plan.ts";
import { type DirectSelect, type Sniffed, type StagedFile, sniffFile, stageFile } from "./read.ts";
import { resolveMapping } from "./resolve.ts";
import type { LoadOptions, LoadResult } from "./result.ts";
import { isClean } from "./row-checks.ts";
import { columnTypes, dropTemps } from "./sql.ts";
import type { CanonicalTable } from "./tables.ts";
import { typedPlan, typedSelect } from "./typed.ts";

export { PLAIN_PRESETS, resolveMapping } from "./resolve.ts";
export type { LoadOptions, LoadResult, RejectSummary, TableCounts } from "./result.ts";

/** Loads each file as one batch, in order. A file that cannot be read stops the run before the next. */
export async function loadFiles(db: Db, files: string[], opts: LoadOptions = {}): Promise<LoadResult[]> {
  const mapping = resolveMapping(opts);
  const results: LoadResult[] = [];
  for (const f of files) results.push(await loadFile(db, f, mapping, opts));
  return results;
}

export async function loadFile(
  db: Db,
  fileArg: string,
  mapping: Mapping,
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const file = resolve(fileArg);
  const shown = fileArg;
  const size = fileSize(file, shown);
  const progress = opts.onProgress ?? (() => {});
  const conn = db.conn;
  // Identical files have identical sizes: only a size seen before (with this mapping) makes the checksum
  // worth waiting for up front. Otherwise it is computed while DuckDB reads the file.
  const checksumP = sha256File(file);
  checksumP.catch(() => {});
  if (await sizeSeenBefore(conn, size, mapping.name)) {
    progress(`${shown}: checksum`);
    const prior = await priorLoad(conn, shown, await checksumP, mapping.name);
    if (prior) return prior;
  }

  const startedAt = new Date();
  const sniffed = await sniffFile(conn, file, mapping).catch((e: unknown) => {
    throw inFile(e, shown);
  });
  // The file is read into temp tables before the transaction: a read that fails (and is retried with
  // other options) must not abort it. Only the writes to the canonical tables need the transaction.
  let inTransaction = false;
  try {
    progress(`${shown}: reading`);
    const { staged, planned } = await readPlanned(conn, file, shown, mapping, sniffed, progress);
    const checksum = await checksumP;
    await conn.run("begin transaction");
    inTransaction = true;
    const batchId = await nextBatchId(conn);
    const result = await landStaged(conn, staged, planned, mapping, batchId, shown, progress);
    const { format, encoding } = staged;
    await writeBatch(conn, {
      batchId,
      path: file,
      checksum,
      size,
      format,
      encoding,
      mapping: mapping.name,
      startedAt,
      result,
    });
    await dropTemps(conn);
    await conn.run("commit");
    return { ...result, batchId };
  } catch (e) {
    if (inTransaction) await conn.run("rollback");
    await dropTemps(conn).catch(() => {});
    throw inFile(e, shown);
  }
}

/** The size of the file to load; a user error when there is none. */
function fileSize(file: string, shown: string): number {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UserError("not a file", { file: shown });
    return st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError("file not found", { file: shown });
  }
}

/** A user error that names no file, as one that names this one. */
function inFile(e: unknown, shown: string): unknown {
  return e instanceof UserError && !e.file ? new UserError(e.message, { file: shown }) : e;
}

/**
 * Reads the file into temp tables and plans its targets against its headers (a CSV's, as the sniffer read
 * them, before the read). First without keeping the row order (faster); a file with anything to report is
 * read again in order, so each reported row gets its number.
 */
async function readPlanned(
  conn: DuckDBConnection,
  file: string,
  shown: string,
  mapping: Mapping,
  sniffed: Sniffed,
  progress: (m: string) => void,
): Promise<{ staged: StagedFile; planned: Planned }> {
  const types = new Map<CanonicalTable, Map<string, CanonicalType>>();
  for (const t of mapping.targets) types.set(t.table, await columnTypes(conn, t.table));
  const early = sniffed.headers ? planAll(mapping, sniffed.headers, types, shown) : null;
  const direct = early ? directSelect(early, mapping.missing ?? []) : undefined;
  let staged = await stageFile(conn, file, mapping, sniffed, direct, true);
  const planned = early ?? planAll(mapping, staged.headers, types, shown);
  if (staged.unordered && !(await isClean(conn, staged, planned.plans.map(typedPlan)))) {
    progress(`${shown}: some rows need a closer look: reading again in file order`);
    await dropTemps(conn);
    staged = await stageFile(conn, file, mapping, sniffed, direct, false);
  }
  return { staged, planned };
}

/** A CSV read into one target (no unpivot) is parsed and typed in one pass; other shapes are staged as text. */
function directSelect({ plans }: Planned, missing: string[]): DirectSelect {
  const only = plans.length === 1 ? plans[0] : undefined;
  return (unordered) =>
    only && only.stageColumns.length === 0
      ? (reader) => typedSelect(only, reader, { withRow: false, missing, onlyFlag: unordered }).sql
      : null;
}
