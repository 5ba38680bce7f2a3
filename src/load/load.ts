import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import type { Db } from "../db/connection.ts";
import { tableColumns } from "../db/table-columns.ts";
import { UserError } from "../errors.ts";
import { sha256File } from "./checksum.ts";
import type { CanonicalType } from "./columns.ts";
import { cleanedText } from "./columns.ts";
import {
  type ExtraColumn,
  ensureExtraColumns,
  extraColumnName,
  extraValue,
  inferExtraTypes,
} from "./extras.ts";
import { loadMappingFile, loadPreset, type Mapping } from "./mapping.ts";
import { columnChecks, headerLookup, planTarget, type TargetPlan } from "./plan.ts";
import { type StagedFile, sniffFile, stageFile } from "./read.ts";
import type { CanonicalTable } from "./tables.ts";

export interface LoadOptions {
  preset?: string;
  mappingFile?: string;
  /** Load only this table of a mapping that fills several. */
  table?: CanonicalTable;
  onProgress?: (message: string) => void;
}

export interface TableCounts {
  table: CanonicalTable;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface RejectSummary {
  column: string | null;
  reason: string;
  count: number;
  firstRow: number | null;
}

export interface LoadResult {
  file: string;
  mapping: string;
  status: "loaded" | "unchanged";
  batchId: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  tables: TableCounts[];
  rejects: RejectSummary[];
  notes: string[];
}

/** Loads each file as one batch, in order. A file that cannot be read stops the run before the next. */
export async function loadFiles(db: Db, files: string[], opts: LoadOptions = {}): Promise<LoadResult[]> {
  const mapping = resolveMapping(opts);
  const results: LoadResult[] = [];
  for (const f of files) results.push(await loadFile(db, f, mapping, opts));
  return results;
}

export function resolveMapping(opts: LoadOptions): Mapping {
  if (opts.preset && opts.mappingFile) throw new UserError("give either --preset or --mapping, not both");
  let mapping: Mapping;
  if (opts.mappingFile) mapping = loadMappingFile(opts.mappingFile);
  else if (opts.preset) mapping = loadPreset(opts.preset);
  else if (opts.table) mapping = loadPreset(PLAIN_PRESETS[opts.table]);
  else
    throw new UserError(
      "say how to read the file: --preset NAME, --mapping FILE, or --table T for leadcal's plain format",
    );
  if (opts.table) {
    const only = mapping.targets.filter((t) => t.table === opts.table);
    if (only.length === 0) {
      throw new UserError(
        `mapping ${mapping.name} fills ${mapping.targets.map((t) => t.table).join(", ")}, not ${opts.table}`,
      );
    }
    mapping = { ...mapping, targets: only };
  }
  return mapping;
}

/** leadcal's own plain format for each table (headers = canonical column names). */
export const PLAIN_PRESETS: Record<CanonicalTable, string> = {
  leads: "leadcal-leads",
  lead_stage_changes: "leadcal-stage-changes",
  activities: "leadcal-activities",
  sales_touches: "leadcal-sales-touches",
  deals: "leadcal-deals",
  costs: "costs",
  accounts: "maven-accounts",
};

/** Load order that satisfies relationships: leads before anything that points at them. */
const TARGET_ORDER: CanonicalTable[] = [
  "accounts",
  "leads",
  "lead_stage_changes",
  "activities",
  "sales_touches",
  "deals",
  "costs",
];

async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  const row = (await conn.runAndReadAll(sql)).getRowObjectsJS()[0];
  return Number(row ? Object.values(row)[0] : 0);
}

async function priorBatch(
  conn: DuckDBConnection,
  checksum: string,
  mapping: string,
): Promise<Record<string, unknown> | undefined> {
  return (
    await conn.runAndReadAll(
      `select batch_id, finished_at::varchar as at, rows_read, rows_loaded, rows_rejected from load_batches
       where checksum_sha256 = ${qs(checksum)} and mapping = ${qs(mapping)} order by batch_id desc limit 1`,
    )
  ).getRowObjectsJS()[0];
}

function unchangedResult(shown: string, mapping: string, prior: Record<string, unknown>): LoadResult {
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

export async function loadFile(
  db: Db,
  fileArg: string,
  mapping: Mapping,
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const file = resolve(fileArg);
  const shown = fileArg;
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UserError("not a file", { file: shown });
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError("file not found", { file: shown });
  }
  const progress = opts.onProgress ?? (() => {});
  const conn = db.conn;
  // Identical files have identical sizes: only a size seen before (with this mapping) makes the checksum
  // worth waiting for up front. Otherwise it is computed while DuckDB reads the file.
  const checksumP = sha256File(file);
  checksumP.catch(() => {});
  const sameSize = await scalar(
    conn,
    `select count(*) from load_batches where size_bytes = ${size} and mapping = ${qs(mapping.name)}`,
  );
  if (sameSize > 0) {
    progress(`${shown}: checksum`);
    const prior = await priorBatch(conn, await checksumP, mapping.name);
    if (prior) return unchangedResult(shown, mapping.name, prior);
  }

  const startedAt = new Date();
  const sniffed = await sniffFile(conn, file, mapping).catch((e: unknown) => {
    throw e instanceof UserError && !e.file ? new UserError(e.message, { file: shown }) : e;
  });
  // The file is read into temp tables before the transaction: a read that fails (and is retried with
  // other options) must not abort it. Only the writes to the canonical tables need the transaction.
  let inTransaction = false;
  try {
    progress(`${shown}: reading`);
    const types = new Map<CanonicalTable, Map<string, CanonicalType>>();
    for (const t of mapping.targets) types.set(t.table, await columnTypes(conn, t.table));
    const missing = mapping.missing ?? [];
    let planned: Planned | null = null;
    // A CSV read into one table is parsed and typed in one pass; other shapes are staged as text first.
    const direct = (headers: string[], unordered: boolean) => {
      const p = planAll(mapping, headers, types, shown);
      planned = p;
      const only = p.plans.length === 1 ? p.plans[0] : undefined;
      return only && only.stageColumns.length === 0
        ? (reader: string) => typedSelect(only, reader, false, missing, unordered)
        : null;
    };
    // First without keeping the row order (faster); a file with anything to report is read again in order,
    // so each reported row gets its number.
    let staged = await stageFile(conn, file, mapping, sniffed, direct, true);
    if (
      staged.unordered &&
      !(await isClean(conn, staged, planned ?? planAll(mapping, staged.headers, types, shown)))
    ) {
      progress(`${shown}: some rows need a closer look: reading again in file order`);
      await dropTemps(conn);
      staged = await stageFile(conn, file, mapping, sniffed, direct, false);
    }
    const checksum = await checksumP;
    await conn.run("begin transaction");
    inTransaction = true;
    const batchId = (await scalar(conn, "select coalesce(max(batch_id), 0) + 1 from load_batches")) as number;
    const result = await landStaged(
      conn,
      staged,
      planned ?? planAll(mapping, staged.headers, types, shown),
      mapping,
      batchId,
      shown,
      progress,
    );
    await conn.run(
      `insert into load_batches values (${batchId}, ${qs(basename(file))}, ${qs(file)}, ${qs(checksum)}, ${size},
        ${qs(staged.format)}, ${staged.encoding === null ? "null" : qs(staged.encoding)}, ${qs(mapping.name)},
        [${result.tables.map((t) => qs(t.table)).join(", ")}]::varchar[], ${qs(startedAt.toISOString())}::timestamptz::timestamp,
        now()::timestamp, ${result.rowsRead}, ${result.rowsLoaded}, ${result.rowsRejected},
        ${sum(result.tables, "inserted")}, ${sum(result.tables, "updated")},
        [${result.notes.map((n) => qs(n)).join(", ")}]::varchar[])`,
    );
    await dropTemps(conn);
    await conn.run("commit");
    return { ...result, batchId };
  } catch (e) {
    if (inTransaction) await conn.run("rollback");
    await dropTemps(conn).catch(() => {});
    if (e instanceof UserError && !e.file) throw new UserError(e.message, { file: shown });
    throw e;
  }
}

function sum(rows: TableCounts[], k: "inserted" | "updated"): number {
  return rows.reduce((s, r) => s + r[k], 0);
}

async function dropTemps(conn: DuckDBConnection): Promise<void> {
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

async function columnTypes(conn: DuckDBConnection, table: string): Promise<Map<string, CanonicalType>> {
  const out = new Map<string, CanonicalType>();
  for (const [column, type] of await tableColumns(conn, table))
    if (column !== "batch_id") out.set(column, type as CanonicalType);
  return out;
}

interface Planned {
  plans: TargetPlan[];
  skippedNotes: string[];
}

/** Plans every target of the mapping against the file's headers, in load order. */
function planAll(
  mapping: Mapping,
  headers: string[],
  types: Map<CanonicalTable, Map<string, CanonicalType>>,
  shown: string,
): Planned {
  const targets = [...mapping.targets].sort(
    (a, b) => TARGET_ORDER.indexOf(a.table) - TARGET_ORDER.indexOf(b.table),
  );
  const plans: TargetPlan[] = [];
  const skippedNotes: string[] = [];
  for (const t of targets) {
    const plan = planTarget(mapping, t, headers, types.get(t.table) ?? new Map(), shown);
    if (plan.skipped) skippedNotes.push(`no lifecycle-date columns in this file: nothing for ${t.table}`);
    else plans.push(plan);
  }
  chooseExtraHeaders(plans, headers);
  return { plans, skippedNotes };
}

async function landStaged(
  conn: DuckDBConnection,
  staged: StagedFile,
  { plans, skippedNotes }: Planned,
  mapping: Mapping,
  batchId: number,
  shown: string,
  progress: (m: string) => void,
): Promise<Omit<LoadResult, "batchId">> {
  const rowsRead = staged.rowsParsed + staged.readRejects.length;
  if (rowsRead === 0) {
    throw new UserError("the file has a header but no data rows: nothing to load", { file: shown });
  }
  await conn.run("create temp table errs (_row bigint, column_name varchar, reason varchar)");
  progress(`${shown}: checking ${staged.rowsParsed} rows`);
  // Direct reads already hold the typed rows; staged text is typed here, target by target.
  const tgts = plans.map((_, i) => (staged.stageRaw ? staged.table : `tgt_${i}`));
  if (!staged.stageRaw) {
    for (const [i, plan] of plans.entries()) {
      await buildTyped(conn, staged.table, plan, tgts[i] as string, mapping.missing ?? []);
    }
  }
  // (an unordered read was found clean by isClean: nothing to collect)
  if (!staged.unordered) {
    for (const [i, plan] of plans.entries()) await collectErrors(conn, plans, tgts, i, plan);
  }

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
  const rowsRejected = rejectRows + staged.readRejects.length;

  progress(`${shown}: writing`);
  const tables: TableCounts[] = [];
  const notes = [...staged.notes, ...skippedNotes];
  for (const [i, plan] of plans.entries()) {
    const tgt = tgts[i] as string;
    const extras = await planExtras(conn, plan, tgt, batchId, rejectRows > 0);
    tables.push(await upsert(conn, plan, tgt, extras, batchId, rejectRows > 0));
    if (extras.length > 0)
      notes.push(
        `kept ${extras.length} extra column(s) on ${plan.spec.name}: ${extras.map((x) => x.column).join(", ")}`,
      );
  }
  const missing = plans.flatMap((p) =>
    Object.keys(p.target.columns)
      .filter((c) => !p.columns.some((pc) => pc.column === c))
      .map((c) => `${p.spec.name}.${c}`),
  );
  if (missing.length > 0) {
    const shown =
      missing.slice(0, 6).join(", ") + (missing.length > 6 ? `, ... (${missing.length} in all)` : "");
    notes.push(`mapped columns not in this file (existing values left as they were): ${shown}`);
  }

  const rejects = (
    await conn.runAndReadAll(
      `select column_name, reason, count(*)::bigint n, min(_row)::bigint first_row from (
         select _row, column_name, regexp_replace(reason, '''[^'']*''', '''…''', 'g') as reason from errs
       ) group by all order by n desc, first_row limit 50`,
    )
  ).getRowObjectsJS();
  const readReasons = new Map<string, { count: number; first: number }>();
  for (const r of staged.readRejects) {
    const key = r.reason.replace(/\d+/g, "N");
    const cur = readReasons.get(key) ?? { count: 0, first: r.row };
    readReasons.set(key, { count: cur.count + 1, first: Math.min(cur.first, r.row) });
  }
  return {
    file: shown,
    mapping: mapping.name,
    status: "loaded",
    rowsRead,
    rowsLoaded: rowsRead - rowsRejected,
    rowsRejected,
    tables,
    rejects: [
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
    ],
    notes,
  };
}

/** Staged text -> typed rows of one target, each with the list of its failed checks in `_err`. */
async function buildTyped(
  conn: DuckDBConnection,
  stg: string,
  plan: TargetPlan,
  out: string,
  missing: string[],
): Promise<void> {
  await conn.run(`create temp table ${qi(out)} as ${typedSelect(plan, qi(stg), true, missing)}`);
}

/**
 * The select that turns text rows (`from`: a staged table, or the CSV reader itself) into one target's typed
 * rows: the canonical columns, the kept extra columns as cleaned text (`__x0`, `__x1`, ...), and `_err`, the
 * failed checks ("column<TAB>reason" lines; with `onlyFlag`, just non-empty when some check failed). With
 * `withRow`, the source's `_row` is carried through.
 */
function typedSelect(
  plan: TargetPlan,
  from: string,
  withRow: boolean,
  missing: string[],
  onlyFlag = false,
): string {
  const row = withRow ? "_row, " : "";
  const cols = plan.columns.filter((c) => c.text !== "");
  const typedCols = [...cols];
  const extras = plan.extraHeaders.map(
    (h, k) => `${cleanedText(`${qi(h)}::varchar`, missing)} as ${qi(`__x${k}`)}`,
  );
  const extraNames = plan.extraHeaders.map((_, k) => qi(`__x${k}`));
  const passExtras = extraNames.map((x) => `, ${x}`).join("");
  let inner: string;
  if (plan.stageColumns.length > 0) {
    const others = cols.filter((c) => c.column !== "stage" && c.column !== "entered_at");
    const enteredSpec = cols.find((c) => c.column === "entered_at");
    const branches = plan.stageColumns.map(({ stage, header }) => {
      const date = `nullif(trim(${qi(header)}::varchar), '')`;
      return `select ${row}${others.map((c) => `${c.text} as ${qi(`t_${c.column}`)}`).join(", ")},
              ${qs(stage)} as t_stage, ${date} as t_entered_at${extras.map((x) => `, ${x}`).join("")}
              from ${from} where ${date} is not null`;
    });
    inner = branches.join(" union all ");
    typedCols.splice(0, typedCols.length, ...others);
    typedCols.push({ column: "stage", type: "VARCHAR", text: "", typed: "t_stage", sourceHeader: null });
    typedCols.push({
      column: "entered_at",
      type: "TIMESTAMP",
      text: "",
      typed:
        enteredSpec?.typed ??
        "coalesce(try_cast(t_entered_at as timestamp), try_cast(try_cast(t_entered_at as timestamptz) at time zone 'UTC' as timestamp))",
      sourceHeader: null,
    });
  } else {
    inner = `select ${row}${cols.map((c) => `${c.text} as ${qi(`t_${c.column}`)}`).join(", ")}${extras.map((x) => `, ${x}`).join("")} from ${from}`;
  }
  const middle = `select ${row}${typedCols.map((c) => `${qi(`t_${c.column}`)}, ${c.typed} as ${qi(c.column)}`).join(", ")}${passExtras} from (${inner})`;
  const hashed = plan.spec.hashedId;
  const have = new Set(typedCols.map((c) => c.column));
  const outCols = typedCols.map((c) => qi(c.column));
  if (hashed) {
    // No id in the source: a hash of the natural key, so a re-exported event is recognised as the same one.
    const parts = hashed.from.filter((c) => have.has(c)).map((c) => `coalesce(${qi(c)}::varchar, '')`);
    const natural = `md5(concat_ws('|', ${parts.join(", ")}))`;
    if (have.has(hashed.column)) {
      const k = outCols.indexOf(qi(hashed.column));
      outCols[k] = `coalesce(${qi(hashed.column)}, ${natural}) as ${qi(hashed.column)}`;
    } else {
      outCols.unshift(`${natural} as ${qi(hashed.column)}`);
      typedCols.push({ column: hashed.column, type: "VARCHAR", text: "", typed: "", sourceHeader: null });
    }
  }
  const checks = columnChecks({ ...plan, columns: typedCols });
  plan.columns = typedCols;
  // Read out of order, a row's failures are only counted (the file is read again in order to report them):
  // the conditions alone are cheaper than building every row's message list.
  const err =
    checks.length === 0
      ? "''"
      : onlyFlag
        ? `(case when ${checks.map((c) => `(${c.when})`).join(" or ")} then 'x' else '' end)`
        : `concat_ws(chr(10), ${checks.map((c) => `case when ${c.when} then ${c.message} end`).join(", ")})`;
  return `select ${row}${outCols.join(", ")}${passExtras},
       ${err} as _err
     from (${middle})`;
}

/** The target's key columns when the file fills all of them (else no duplicate check applies). */
function checkedKey(plan: TargetPlan): string[] | null {
  const key = plan.spec.key.filter((k) => plan.columns.some((c) => c.column === k));
  return key.length === plan.spec.key.length ? key : null;
}

/** The lead column of a target whose rows must name a known lead, when the file fills it. */
function checkedLeadColumn(plan: TargetPlan): string | null {
  const lc = plan.spec.leadColumn;
  return lc && plan.columns.some((c) => c.column === lc) ? lc : null;
}

/** Rows of alias `x` naming a lead that is not in `leads`. */
function unknownLead(lc: string, x: string): string {
  return `${x}.${qi(lc)} is not null and not exists (select 1 from leads l where l.lead_id = ${x}.${qi(lc)})`;
}

/**
 * Whether a file read without its row order has nothing to report: no unreadable line, no failed check, no
 * duplicate key, no unknown lead. The same checks as collectErrors, counted instead of listed.
 */
async function isClean(conn: DuckDBConnection, staged: StagedFile, { plans }: Planned): Promise<boolean> {
  const plan = plans[0];
  if (staged.readRejects.length > 0 || plans.length !== 1 || !plan) return false;
  const t = qi(staged.table);
  if ((await scalar(conn, `select count(*) from ${t} where _err <> ''`)) > 0) return false;
  const key = checkedKey(plan);
  if (key) {
    const keyCols = key.map((k) => qi(k)).join(", ");
    // One key column: a distinct count is a little cheaper than grouping (measured ~8% at 20 M rows);
    // two missing keys count as a duplicate, as grouping would have it.
    const k = qi(key[0] as string);
    const dups = await scalar(
      conn,
      key.length === 1
        ? `select (count(${k}) - count(distinct ${k})) + greatest(count(*) - count(${k}) - 1, 0) from ${t}`
        : `select count(*) from (select ${keyCols} from ${t} group by ${keyCols} having count(*) > 1)`,
    );
    if (dups > 0) return false;
  }
  const lc = checkedLeadColumn(plan);
  if (lc && (await scalar(conn, `select count(*) from ${t} x where ${unknownLead(lc, "x")}`)) > 0) {
    return false;
  }
  return true;
}

/** Per-row check failures, duplicate keys inside the file, and rows pointing at unknown leads. */
async function collectErrors(
  conn: DuckDBConnection,
  plans: TargetPlan[],
  tgts: string[],
  i: number,
  plan: TargetPlan,
): Promise<void> {
  const t = qi(tgts[i] as string);
  await conn.run(
    `insert into errs select _row, nullif(split_part(e, chr(9), 1), ''), split_part(e, chr(9), 2)
     from (select _row, unnest(string_split(_err, chr(10))) as e from ${t} where _err <> '')`,
  );
  const key = checkedKey(plan);
  if (key) {
    const keyCols = key.map((k) => qi(k)).join(", ");
    const keyText = key.map((k) => `coalesce(t.${qi(k)}::varchar, '')`).join(` || ' / ' || `);
    // Duplicates found by grouping (cheaper than a window over every row); the first occurrence wins.
    await conn.run(
      `insert into errs
       select t._row, ${qs(key.join(", "))},
              'duplicate of row ' || d.first_row || ' (same ${key.join(", ")}: ''' || ${keyText} || ''')'
       from ${t} t
       join (select ${keyCols}, min(_row) as first_row from ${t} where _err = ''
             group by ${keyCols} having count(*) > 1) d
         on ${key.map((k) => `t.${qi(k)} is not distinct from d.${qi(k)}`).join(" and ")}
       where t._err = '' and t._row <> d.first_row`,
    );
  }
  const lc = checkedLeadColumn(plan);
  if (lc) {
    const leadsHere = plans.findIndex((p) => p.spec.name === "leads");
    const alsoHere =
      leadsHere >= 0 && leadsHere !== i
        ? `and x.${qi(lc)} not in (select lead_id from ${qi(tgts[leadsHere] as string)})`
        : "";
    await conn.run(
      `insert into errs
       select _row, ${qs(lc)}, 'unknown lead ''' || x.${qi(lc)} || ''' (not in leads: load the leads file first)'
       from ${t} x
       where x._err = '' and ${unknownLead(lc, "x")} ${alsoHere}`,
    );
  }
}

/** Which source headers each target keeps as extra columns (decided once every target has been planned). */
function chooseExtraHeaders(plans: TargetPlan[], headers: string[]): void {
  const used = new Set(plans.flatMap((p) => [...p.usedHeaders]));
  for (const plan of plans) {
    const keep = plan.target.keep ?? "none";
    if (keep === "none") plan.extraHeaders = [];
    else if (keep === "all") plan.extraHeaders = headers.filter((h) => !used.has(h));
    else {
      const find = headerLookup(headers);
      plan.extraHeaders = keep.map((k) => find(k)).filter((h): h is string => h !== undefined);
    }
  }
}

/** Names and types the kept extra columns (types from every good row) and adds them to the table. */
async function planExtras(
  conn: DuckDBConnection,
  plan: TargetPlan,
  tgt: string,
  batchId: number,
  anyErrors: boolean,
): Promise<ExtraColumn[]> {
  const headers = plan.extraHeaders;
  if (headers.length === 0) return [];
  // Names the migration gave the table are taken; an extra column kept by an earlier load is reused.
  const kept = new Set(
    (
      await conn.runAndReadAll(
        `select column_name from extra_columns where table_name = ${qs(plan.spec.name)}`,
      )
    )
      .getRowObjectsJS()
      .map((r) => String(r.column_name)),
  );
  const taken = new Set(
    [...(await columnTypes(conn, plan.spec.name)).keys(), "batch_id"].filter((c) => !kept.has(c)),
  );
  const types = await inferExtraTypes(
    conn,
    tgt,
    headers.map((_, k) => `__x${k}`),
    anyErrors ? "_row not in (select _row from errs)" : "true",
  );
  const names = new Set<string>();
  const extras = headers.map((header, k) => {
    let column = extraColumnName(header, taken);
    while (names.has(column)) column = `${column}_2`;
    names.add(column);
    return { header, source: `__x${k}`, column, type: types[k] ?? "VARCHAR" } as ExtraColumn;
  });
  return ensureExtraColumns(conn, plan.spec.name, extras, batchId);
}

/** Writes the good rows of one target: updates rows whose key exists (where they differ), inserts the rest. */
async function upsert(
  conn: DuckDBConnection,
  plan: TargetPlan,
  tgt: string,
  extras: ExtraColumn[],
  batchId: number,
  anyErrors: boolean,
): Promise<TableCounts> {
  const table = plan.spec.name;
  const extraSelect = extras.map((x) => `, ${extraValue(x.source, x.type, "t")} as ${qi(x.column)}`).join("");
  const source = `(select t.* exclude (_err${extras.map((x) => `, ${qi(x.source)}`).join("")})${extraSelect}
     from ${qi(tgt)} t
     ${anyErrors ? "where t._row not in (select _row from errs)" : ""})`;
  const cols = [...plan.columns.map((c) => c.column), ...extras.map((x) => x.column)];
  const key = plan.spec.key;
  // Keys that may be null (a stage change without a date) need null-safe equality; the rest hash-join on =.
  const nullable = new Set(["entered_at"]);
  const match = key
    .map((k) => (nullable.has(k) ? `e.${qi(k)} is not distinct from s.${qi(k)}` : `e.${qi(k)} = s.${qi(k)}`))
    .join(" and ");
  const nonKey = cols.filter((c) => !key.includes(c));
  const changed = nonKey.length
    ? nonKey.map((c) => `e.${qi(c)} is distinct from s.${qi(c)}`).join(" or ")
    : "false";
  const total = await scalar(conn, `select count(*) from ${source}`);
  let updated = 0;
  if (plan.spec.onConflict === "update" && nonKey.length > 0) {
    const u = await conn.run(
      `update ${qi(table)} e set ${nonKey.map((c) => `${qi(c)} = s.${qi(c)}`).join(", ")}, batch_id = ${batchId}
       from ${source} s where ${match} and (${changed})`,
    );
    updated = u.rowsChanged;
  }
  const ins = await conn.run(
    `insert into ${qi(table)} (${cols.map((c) => qi(c)).join(", ")}, batch_id)
     select ${cols.map((c) => `s.${qi(c)}`).join(", ")}, ${batchId} from ${source} s
     where not exists (select 1 from ${qi(table)} e where ${match})`,
  );
  const inserted = ins.rowsChanged;
  return { table, inserted, updated, unchanged: total - inserted - updated };
}
