import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { type ExtraColumn, extraValue, planExtras } from "./extras.ts";
import type { Mapping } from "./mapping.ts";
import type { Planned, TargetPlan } from "./plan.ts";
import type { Sniffed } from "./read.ts";
import { csvOptions } from "./read-csv.ts";
import type { LoadResult } from "./result.ts";
import { checkedKey } from "./row-checks.ts";
import { scalar } from "./sql.ts";
import { nextTempId } from "./staged.ts";
import { typedPlan, typedSelect } from "./typed.ts";
import { keyMatch } from "./upsert.ts";

/**
 * The one-write load of a clean CSV: its rows go from the CSV reader straight into their canonical table,
 * typed and checked on the way, with no staged copy (the staged copy doubled the load's memory and cost
 * about a third of its time). It runs inside the load's transaction and is optimistic: the first row that
 * fails a column check stops the insert (DuckDB's error()), and so does any line the reader cannot parse
 * (the strict reader, without a rejects table), and so does a row naming a lead that is not in leads.
 * After the insert, the batch's keys are checked for duplicates. Any failure returns null: the caller rolls
 * the transaction back, so
 * nothing is written, and loads the file the staged way, which reports each bad row with its number.
 */

/** Marks the error() a bad row raises, so it is not mistaken for another failure. */
const BAD_ROW = "leadcal direct load: a row needs a closer look";

/** The share of DuckDB's memory budget a direct load runs under. */
export const DIRECT_MEMORY_SHARE = 0.25;

/** The memory limit, in bytes, of a direct load under a budget of `budget` bytes (at least 256 MiB, at most the budget). */
export function directMemoryLimit(budget: number): number {
  return Math.round(Math.min(budget, Math.max(256 * 2 ** 20, budget * DIRECT_MEMORY_SHARE)));
}

/** Whether a file can take the direct load: a CSV into one target, without unpivoting. */
export function directPlan(sniffed: Sniffed, planned: Planned | null): TargetPlan | null {
  if (sniffed.format !== "csv" || sniffed.utf16 || !planned || planned.plans.length !== 1) return null;
  const plan = planned.plans[0] as TargetPlan;
  return plan.stageColumns.length === 0 ? plan : null;
}

/**
 * Writes the file's rows as batch `batchId` straight into the plan's table; null (with the transaction to
 * roll back) when some row needs the staged load. A table that updates rows on a key collision takes it only
 * while empty: updating needs the rows twice, which the staged load does.
 */
export async function loadDirect(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  inputPlan: TargetPlan,
  batchId: number,
): Promise<Pick<LoadResult, "rowsRead" | "rowsLoaded" | "rowsRejected" | "tables" | "notes"> | null> {
  const plan = typedPlan(inputPlan);
  const table = plan.spec.name;
  const before = await scalar(conn, `select count(*) from ${qi(table)}`);
  if (before > 0 && plan.spec.onConflict === "update") return null;
  const encoding = mapping.csv?.encoding === "latin-1" ? "latin-1" : "utf-8";
  const reader = `read_csv(${qs(file)}, ${csvOptions(mapping, encoding).join(", ")})`;
  const { sql } = typedSelect(inputPlan, reader, {
    withRow: false,
    missing: mapping.missing ?? [],
    onlyFlag: true,
  });
  const src = `direct_${nextTempId()}`;
  let inserted: number;
  let extras: ExtraColumn[];
  try {
    // (binding the view reads the file's first rows: a file the reader refuses fails here)
    await conn.run(`create temp view ${qi(src)} as ${sql}`);
    // Kept extra columns get their types from the file's rows (a first look at 10,000 of them rules most
    // out; a type still possible is checked on every row) and are added to the table before the insert.
    extras = await planExtras(conn, plan, src, batchId, false);
    const cols = [...plan.columns.map((c) => qi(c.column)), ...extras.map((x) => qi(x.column))];
    const values = [
      ...plan.columns.map((c) => `t.${qi(c.column)}`),
      ...extras.map((x) => extraValue(x.source, x.type, "t")),
    ];
    // A row naming a lead not in leads stops the insert too (one pass, instead of a second over the batch).
    const lc = plan.spec.leadColumn && plan.columns.some((c) => c.column === plan.spec.leadColumn);
    const unknownLead = lc
      ? ` or (t.${qi(plan.spec.leadColumn as string)} is not null and t.${qi(plan.spec.leadColumn as string)} not in (select lead_id from leads))`
      : "";
    const ins = await conn.run(
      `insert into ${qi(table)} (${cols.join(", ")}, batch_id)
       select ${values.join(", ")},
              case when t._err <> ''${unknownLead} then error(${qs(BAD_ROW)})::integer else ${batchId} end
       from ${qi(src)} t`,
    );
    inserted = ins.rowsChanged;
  } catch {
    // a bad row, an unreadable line, another encoding, a line past the reader's limit: the staged load
    // tells which
    return null;
  }
  const batch = `(select * from ${qi(table)} where batch_id = ${batchId})`;
  if ((await duplicateKeys(conn, plan, batch)) > 0) return null;
  // A key already loaded keeps its row (the table ignores collisions): the file's row is dropped again.
  const unchanged = before > 0 ? await dropKnownKeys(conn, plan, batchId) : 0;
  return {
    rowsRead: inserted,
    rowsLoaded: inserted,
    rowsRejected: 0,
    tables: [{ table, inserted: inserted - unchanged, updated: 0, unchanged }],
    notes:
      extras.length > 0
        ? [`kept ${extras.length} extra column(s) on ${table}: ${extras.map((x) => x.column).join(", ")}`]
        : [],
  };
}

/**
 * How many of the batch's rows repeat a key, counted on a 64-bit hash of the key (8 bytes a row where the
 * key's text takes 32 or more, so 200 million keys fit in memory). Distinct hashes mean distinct keys; a
 * collision can only report a duplicate that is not one, and then the staged load counts exactly.
 * Two missing keys hash alike, so they count as a duplicate, as the staged load has it.
 */
async function duplicateKeys(conn: DuckDBConnection, plan: TargetPlan, batch: string): Promise<number> {
  const key = checkedKey(plan);
  if (!key) return 0;
  const h = `hash(${key.map((k) => qi(k)).join(", ")})`;
  return scalar(
    conn,
    `select (select count(*) from ${batch}) - (select count(*) from (select ${h} as h from ${batch} group by h))`,
  );
}

/** Deletes the batch's rows whose key an earlier batch already holds; returns how many. */
async function dropKnownKeys(conn: DuckDBConnection, plan: TargetPlan, batchId: number): Promise<number> {
  const table = qi(plan.spec.name);
  const match = keyMatch(plan.spec.key);
  const del = await conn.run(
    `delete from ${table} where rowid in (
       select s.rowid from ${table} s where s.batch_id = ${batchId}
         and exists (select 1 from ${table} e where e.batch_id <> ${batchId} and ${match}))`,
  );
  return del.rowsChanged;
}
