import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Db } from "../db/connection.ts";
import type { DbResources } from "../db/resources.ts";
import { UserError } from "../errors.ts";
import { sha256File } from "./checksum.ts";
import type { CanonicalType } from "./columns.ts";
import { directMemoryLimit, directPlan, loadDirect } from "./direct.ts";
import { landStaged, missingColumnsNote } from "./land.ts";
import { nextBatchId, priorLoad, sizeSeenBefore, writeBatch } from "./manifest.ts";
import type { Mapping } from "./mapping.ts";
import { type Planned, planAll, type TargetPlan } from "./plan.ts";
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
  const types = new Map<CanonicalTable, Map<string, CanonicalType>>();
  for (const t of mapping.targets) types.set(t.table, await columnTypes(conn, t.table));
  const early = sniffed.headers
    ? planIn(() => planAll(mapping, sniffed.headers ?? [], types, shown), shown)
    : null;
  const batch = { path: file, size, mapping: mapping.name, startedAt, checksum: checksumP };
  // A clean CSV into one table is written once, straight from the reader (./direct.ts); a file with
  // anything to report is then read again in order, so each reported row gets its number.
  const direct = directPlan(sniffed, early);
  if (direct && early) {
    progress(`${shown}: reading and writing`);
    const done = await landDirect(conn, { file, shown }, mapping, direct, early, batch, db.resources).catch(
      (e: unknown) => {
        throw inFile(e, shown);
      },
    );
    if (done) return done;
    progress(`${shown}: some rows need a closer look: reading again in file order`);
  }
  // The file is read into temp tables before the transaction: a read that fails (and is retried with
  // other options) must not abort it. Only the writes to the canonical tables need the transaction.
  let inTransaction = false;
  try {
    progress(`${shown}: reading`);
    const { staged, planned } = await readPlanned(conn, file, shown, mapping, sniffed, early, {
      ordered: direct !== null,
      progress,
    });
    const checksum = await checksumP;
    await conn.run("begin transaction");
    inTransaction = true;
    const batchId = await nextBatchId(conn);
    const result = await landStaged(conn, staged, planned, mapping, batchId, shown, progress);
    const { format, encoding } = staged;
    await writeBatch(conn, { ...batch, batchId, checksum, format, encoding, result });
    await dropTemps(conn);
    await conn.run("commit");
    return { ...result, batchId };
  } catch (e) {
    if (inTransaction) await conn.run("rollback");
    await dropTemps(conn).catch(() => {});
    throw inFile(e, shown);
  }
}

/** What the batch's manifest row records besides its result. */
interface BatchFacts {
  path: string;
  size: number;
  mapping: string;
  startedAt: Date;
  checksum: Promise<string>;
}

/**
 * The direct load in its own transaction, with its manifest row: the result, or null (rolled back, nothing
 * written) when the file needs the staged load.
 */
async function landDirect(
  conn: DuckDBConnection,
  { file, shown }: { file: string; shown: string },
  mapping: Mapping,
  plan: TargetPlan,
  planned: Planned,
  facts: BatchFacts,
  resources: DbResources,
): Promise<LoadResult | null> {
  // Out of order: the rows need no number unless one is bad, and then the staged load numbers them.
  // (Set outside the transaction: a failed insert aborts it, and then no setting can be changed in it.)
  await conn.run("set preserve_insertion_order = false");
  // The rows stream from the reader to the table; only the key check groups them, and it spills past this
  // limit instead of taking the whole budget (measured at 1M leads: 1.09 GB unlimited, 0.46 GB under 300 MB,
  // in the same time).
  await conn.run(`set memory_limit = '${directMemoryLimit(resources.memoryBytes)}B'`);
  await conn.run("begin transaction");
  try {
    const batchId = await nextBatchId(conn);
    const counts = await loadDirect(conn, file, mapping, plan, batchId);
    if (!counts) {
      await conn.run("rollback");
      return null;
    }
    const missing = missingColumnsNote([typedPlan(plan)]);
    const result: Omit<LoadResult, "batchId"> = {
      file: shown,
      mapping: mapping.name,
      status: "loaded",
      ...counts,
      rejects: [],
      notes: [...planned.skippedNotes, ...counts.notes, ...(missing ? [missing] : [])],
    };
    await writeBatch(conn, {
      ...facts,
      batchId,
      checksum: await facts.checksum,
      format: "csv",
      encoding: mapping.csv?.encoding === "latin-1" ? "latin-1" : "utf-8",
      result,
    });
    await dropTemps(conn);
    await conn.run("commit");
    return { ...result, batchId };
  } catch (e) {
    await conn.run("rollback");
    throw e;
  } finally {
    await conn.run("reset preserve_insertion_order");
    await conn.run(`set memory_limit = '${resources.memoryLimit}'`);
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

/** Plans the file's targets; a mistake in the plan names the file. */
function planIn(plan: () => Planned, shown: string): Planned {
  try {
    return plan();
  } catch (e) {
    throw inFile(e, shown);
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
  early: Planned | null,
  { ordered, progress }: { ordered: boolean; progress: (m: string) => void },
): Promise<{ staged: StagedFile; planned: Planned }> {
  const direct = early ? directSelect(early, mapping.missing ?? []) : undefined;
  let staged = await stageFile(conn, file, mapping, sniffed, direct, !ordered);
  const types = new Map<CanonicalTable, Map<string, CanonicalType>>();
  if (!early) for (const t of mapping.targets) types.set(t.table, await columnTypes(conn, t.table));
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
