import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { tableColumns } from "../db/table-columns.ts";
import type { TargetPlan } from "./plan.ts";
import { columnTypes } from "./sql.ts";

/** An extra source column kept on a canonical table, with the type its values support. */
export interface ExtraColumn {
  header: string;
  /** The column of the typed rows that holds its cleaned text. */
  source: string;
  column: string;
  type: "BOOLEAN" | "BIGINT" | "DOUBLE" | "TIMESTAMP" | "VARCHAR";
}

/** "Lead Score (v2)" -> lead_score_v2; a name that clashes with a canonical column gets a src_ prefix. */
export function extraColumnName(header: string, taken: ReadonlySet<string>): string {
  let name = header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "" || /^\d/.test(name)) name = `col_${name}`;
  if (taken.has(name) || name.startsWith("_")) name = `src_${name}`;
  return name;
}

/**
 * The narrowest type every non-missing value of each column parses as, checked over all rows
 * (not a sample). Values with leading zeros ("00123") stay text, so ids and postcodes keep them.
 * A first look at the first rows rules out most types cheaply (a text column fails every probe there);
 * only the types still possible are then checked over every row.
 */
export async function inferExtraTypes(
  conn: DuckDBConnection,
  table: string,
  headers: string[],
  rowFilter: string,
): Promise<ExtraColumn["type"][]> {
  if (headers.length === 0) return [];
  const KINDS = ["b", "i", "d", "t"] as const;
  const probe = (h: string, kind: (typeof KINDS)[number] | "n"): string => {
    const v = qi(h);
    switch (kind) {
      case "b":
        return `bool_and(${v} is null or lower(${v}) in ('true', 'false'))`;
      case "i":
        return `bool_and(${v} is null or (regexp_full_match(${v}, '-?(0|[1-9]\\d{0,17})')))`;
      case "d":
        return `bool_and(${v} is null or (try_cast(${v} as double) is not null and not regexp_matches(${v}, '^-?0\\d')))`;
      case "t":
        return `bool_and(${v} is null or (try_cast(${v} as timestamp) is not null and length(${v}) >= 10))`;
      case "n":
        return `count(${v})`;
    }
  };
  const run = async (asked: [number, (typeof KINDS)[number] | "n"][], from: string) => {
    if (asked.length === 0) return {} as Record<string, unknown>;
    const cols = asked.map(([i, k]) => `${probe(headers[i] as string, k)} as ${k}${i}`);
    return (
      await conn.runAndReadAll(`select ${cols.join(", ")} from ${from}`)
    ).getRowObjectsJS()[0] as Record<string, unknown>;
  };
  const all = `${qi(table)} where ${rowFilter}`;
  const first = await run(
    headers.flatMap((_, i) => [...KINDS, "n" as const].map((k) => [i, k] as [number, typeof k])),
    `(select * from ${all} limit 10000)`,
  );
  // What held on the first rows is checked on all of them; a column all missing there is checked whole.
  const again = headers.flatMap((_, i) =>
    [...KINDS, "n" as const]
      .filter((k) => (k === "n" ? Number(first[`n${i}`]) === 0 : first[`${k}${i}`] === true))
      .map((k) => [i, k] as [number, typeof k]),
  );
  const row = { ...first, ...(await run(again, all)) };
  return headers.map((_, i) => {
    if (Number(row[`n${i}`]) === 0) return "VARCHAR";
    if (row[`b${i}`]) return "BOOLEAN";
    if (row[`i${i}`]) return "BIGINT";
    if (row[`d${i}`]) return "DOUBLE";
    if (row[`t${i}`]) return "TIMESTAMP";
    return "VARCHAR";
  });
}

/** The SQL that casts an extra column's text to its kept type. */
export function extraValue(source: string, type: ExtraColumn["type"], alias: string): string {
  const v = `${qi(alias)}.${qi(source)}`;
  return type === "VARCHAR" ? v : `try_cast(${v} as ${type})`;
}

/**
 * Adds each extra column to the table (or widens it to text when new values no longer fit its type)
 * and records where it came from.
 */
export async function ensureExtraColumns(
  conn: DuckDBConnection,
  table: string,
  extras: ExtraColumn[],
  batchId: number,
): Promise<ExtraColumn[]> {
  const existing = await tableColumns(conn, table);
  const out: ExtraColumn[] = [];
  for (const x of extras) {
    const have = existing.get(x.column);
    if (have === undefined) {
      await conn.run(`alter table ${qi(table)} add column ${qi(x.column)} ${x.type}`);
      await conn.run(
        `insert into extra_columns values (${qs(table)}, ${qs(x.column)}, ${qs(x.header)}, ${qs(x.type)}, ${batchId})
         on conflict do nothing`,
      );
      out.push(x);
    } else if (have === x.type || have === "VARCHAR") {
      out.push({ ...x, type: have as ExtraColumn["type"] });
    } else {
      await conn.run(`alter table ${qi(table)} alter column ${qi(x.column)} type varchar`);
      await conn.run(
        `update extra_columns set data_type = 'VARCHAR' where table_name = ${qs(table)} and column_name = ${qs(x.column)}`,
      );
      out.push({ ...x, type: "VARCHAR" });
    }
  }
  return out;
}

/** Names and types the kept extra columns of a target (types from every good row) and adds them to the table. */
export async function planExtras(
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
