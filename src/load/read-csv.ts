import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import type { Mapping } from "./mapping.ts";
import { numberRows, rowNumber } from "./row-numbers.ts";
import {
  columnsOf,
  type DirectSelect,
  firstLines,
  nextTempId,
  type ReadReject,
  type Sniffed,
  type StagedFile,
} from "./staged.ts";

const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Stages a CSV into `table`: through the caller's direct select when it keeps the row numbers right (then
 * with `stageRaw`, to stage the rejected rows' text later), else as text rows.
 */
export async function stageCsvFile(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  sniffed: Sniffed,
  table: string,
  direct?: DirectSelect,
  unordered = false,
): Promise<StagedFile> {
  const { utf16 } = sniffed;
  const headers = sniffed.headers ?? [];
  const select = direct?.(unordered) ?? null;
  // Row numbers come from the order rows land in: a select that could reorder them stages the text first.
  const ordered = select !== null && (unordered || (await keepsRowOrder(conn, headers, select)));
  if (select === null || !ordered)
    return stageCsv(conn, file, mapping, table, utf16, (r) => `select * from ${r}`);
  const staged = await stageCsv(conn, file, mapping, table, utf16, select, unordered);
  const rejectRows = staged.readRejects.map((r) => r.row);
  staged.headers = headers;
  staged.stageRaw = async (rows) => {
    const raw = `${table}_text`;
    // Same reader, same encoding: the same rows parse and get the same numbers. Rows are numbered as they
    // stream past (row_number() over () keeps the reader's order), so only the wanted rows are kept.
    const i = "__leadcal_i";
    const text = (r: string) =>
      `select * exclude (${i}) from (
         select ${rowNumber(rejectRows, i)} as _row, *
         from (select row_number() over () - 1 as ${i}, * from ${r})
       ) where _row in (${rows})`;
    await readCsvOnce(conn, file, mapping, raw, staged.encoding ?? "utf-8", text, staged.longLines);
    await conn.run(`create or replace temp view ${qi(raw)} as select * from ${qi(`${raw}_raw`)}`);
    return raw;
  };
  return staged;
}

/**
 * Whether `select` passes rows through in the order it reads them: DuckDB keeps insertion order through
 * scans, projections and filters, but not through a join, an aggregate or a sort (an IN list of five or more
 * values, for one, is planned as a join). Checked on the plan over an empty table with the file's columns.
 */
export async function keepsRowOrder(
  conn: DuckDBConnection,
  headers: string[],
  select: (reader: string) => string,
): Promise<boolean> {
  if (headers.length === 0) return false;
  const probe = `order_probe_${nextTempId()}`;
  try {
    await conn.run(`create temp table ${qi(probe)} (${headers.map((h) => `${qi(h)} varchar`).join(", ")})`);
    const plan = (await conn.runAndReadAll(`explain ${select(qi(probe))}`))
      .getRows()
      .map((r) => String(r[1]))
      .join("\n");
    return !/JOIN|GROUP_BY|AGGREGATE|WINDOW|ORDER_BY|TOP_N|UNION|DISTINCT|SAMPLE/.test(plan);
  } catch {
    return false;
  } finally {
    await conn.run(`drop table if exists ${qi(probe)}`);
  }
}

/**
 * The reader's options. `longLines` raises the line limit from DuckDB's 2 MB to 64 MB, for files with a
 * notes field megabytes long; only then, since the larger buffers slow every read (measured: about 40%).
 */
export function csvOptions(mapping: Mapping, encoding: string, longLines = false): string[] {
  const opts = [
    "all_varchar = true",
    "header = true",
    `encoding = ${qs(encoding)}`,
    "normalize_names = false",
  ];
  if (longLines) opts.push(`max_line_size = ${MAX_LINE_BYTES}`);
  const csv = mapping.csv ?? {};
  if (csv.delimiter) opts.push(`delim = ${qs(csv.delimiter)}`);
  if (csv.quote !== undefined) opts.push(`quote = ${qs(csv.quote)}`);
  if (csv.skip) opts.push(`skip = ${csv.skip}`);
  return opts;
}

/** The header row of a CSV, trying each encoding it may be in, with and without the raised line limit. */
export async function sniffCsvHeaders(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  utf16: boolean,
): Promise<string[]> {
  const encodings = utf16
    ? ["utf-16"]
    : mapping.csv?.encoding === "latin-1"
      ? ["latin-1"]
      : ["utf-8", "latin-1"];
  let last: unknown;
  for (const [enc, longLines] of encodings.flatMap((e) => [[e, false] as const, [e, true] as const])) {
    try {
      // With the same options as the real read: storing rejects also makes the sniffer tolerate bad rows.
      const opts = [
        ...csvOptions(mapping, enc, longLines),
        "store_rejects = true",
        "rejects_table = 'sniff_rejects'",
      ];
      opts.push("rejects_scan = 'sniff_scans'");
      const r = await conn.runAndReadAll(`describe select * from read_csv(${qs(file)}, ${opts.join(", ")})`);
      await conn.run("drop table if exists sniff_rejects");
      await conn.run("drop table if exists sniff_scans");
      return r.getRowObjectsJS().map((x) => String(x.column_name));
    } catch (e) {
      last = e;
    }
  }
  throw new UserError(`cannot be read as CSV: ${firstLines((last as Error).message)}`, { file });
}

async function stageCsv(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  table: string,
  utf16: boolean,
  select: (reader: string) => string,
  unordered = false,
): Promise<StagedFile> {
  const notes: string[] = [];
  const wanted = mapping.csv?.encoding ?? "auto";
  let encoding = utf16 ? "utf-16" : wanted === "latin-1" ? "latin-1" : "utf-8";
  // A line over the default limit either lands in the rejects or stops the reader: read again with room.
  let longLines = false;
  let attempt: Awaited<ReturnType<typeof readCsvOnce>> | null = null;
  try {
    attempt = await readCsvOnce(conn, file, mapping, table, encoding, select, longLines, unordered);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
  }
  if (attempt === null || attempt.rejects.some((r) => r.type === "LINE SIZE OVER MAXIMUM")) {
    longLines = true;
    attempt = await readCsvOnce(conn, file, mapping, table, encoding, select, longLines, unordered);
  }
  const badEncoding = attempt.rejects.filter((r) => r.type === "INVALID ENCODING");
  if (badEncoding.length > 0 && encoding === "utf-8") {
    const first = badEncoding[0] as CsvReject;
    if (wanted === "utf-8") {
      throw new UserError(
        `not valid UTF-8 (${badEncoding.length} row(s), first at row ${first.line}); ` +
          "if the export is Latin-1/Windows-1252, say so with csv: { encoding: latin-1 } in the mapping",
        { file, row: first.line },
      );
    }
    notes.push(`not valid UTF-8 (first bad byte at row ${first.line}): read as Latin-1 (ISO-8859-1)`);
    encoding = "latin-1";
    attempt = await readCsvOnce(conn, file, mapping, table, encoding, select, longLines, unordered);
  }
  // DuckDB logs one error per missing column of a short row: keep one reject per row, with every reason.
  const byLine = new Map<number, ReadReject>();
  for (const r of attempt.rejects) {
    const seen = byLine.get(r.line);
    const reason = describeCsvError(r);
    if (!seen) byLine.set(r.line, { row: r.line, reason, raw: r.csvLine });
    else if (!seen.reason.includes(reason)) seen.reason = `${seen.reason}; ${reason}`;
  }
  const readRejects = [...byLine.values()];
  const headers = await columnsOf(conn, `${table}_raw`);
  const reserved = headers.find((h) => /^(rowid|_row)$/i.test(h));
  if (reserved)
    throw new UserError(`a column is named '${reserved}', which leadcal reserves: rename it`, { file });
  if (unordered)
    await conn.run(`create or replace temp view ${qi(table)} as select * from ${qi(`${table}_raw`)}`);
  else
    await numberRows(
      conn,
      table,
      readRejects.map((r) => r.row),
    );
  if (headers.length === 0) throw new UserError("no columns found: is this a CSV file?", { file });
  return {
    table,
    headers,
    format: "csv",
    encoding,
    longLines,
    unordered,
    rowsParsed: attempt.parsed,
    readRejects,
    notes,
  };
}

interface CsvReject {
  line: number;
  type: string;
  message: string;
  column: string | null;
  csvLine: string;
}

/** Creates `<table>_raw` as `select` over the CSV reader; returns the rows parsed and the reader's rejects. */
async function readCsvOnce(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  table: string,
  encoding: string,
  select: (reader: string) => string,
  longLines = false,
  unordered = false,
): Promise<{ parsed: number; rejects: CsvReject[] }> {
  const opts = [
    ...csvOptions(mapping, encoding, longLines),
    "store_rejects = true",
    `rejects_table = ${qs(`${table}_rejects`)}`,
    `rejects_scan = ${qs(`${table}_scans`)}`,
  ];
  await conn.run(`drop view if exists ${qi(table)}`);
  await conn.run(`drop table if exists ${qi(`${table}_raw`)}`);
  try {
    // The rows land in file order (DuckDB preserves insertion order), so a row's number is its rowid;
    // a view adds it as _row without a window over every row. Unless asked not to keep the order.
    if (unordered) await conn.run("set preserve_insertion_order = false");
    await conn.run(
      `create temp table ${qi(`${table}_raw`)} as ${select(`read_csv(${qs(file)}, ${opts.join(", ")})`)}`,
    );
  } catch (e) {
    throw new UserError(`cannot be read as CSV: ${firstLines((e as Error).message)}`, { file });
  } finally {
    if (unordered) await conn.run("reset preserve_insertion_order");
  }
  const parsed = Number(
    (await conn.runAndReadAll(`select count(*)::bigint n from ${qi(`${table}_raw`)}`)).getRowObjectsJS()[0]
      ?.n ?? 0,
  );
  const rows = (
    await conn.runAndReadAll(
      `select line::bigint as line, error_type, error_message, column_name, csv_line
       from ${qi(`${table}_rejects`)} order by line`,
    )
  ).getRowObjectsJS();
  await conn.run(`drop table if exists ${qi(`${table}_rejects`)}`);
  await conn.run(`drop table if exists ${qi(`${table}_scans`)}`);
  return {
    parsed,
    rejects: rows.map((r) => ({
      line: Number(r.line),
      type: String(r.error_type),
      message: String(r.error_message),
      column: r.column_name === null ? null : String(r.column_name),
      csvLine: String(r.csv_line ?? ""),
    })),
  };
}

function describeCsvError(r: CsvReject): string {
  switch (r.type) {
    case "TOO MANY COLUMNS":
    case "MISSING COLUMNS":
      return `${r.type.toLowerCase()}: ${r.message} (a stray delimiter or quote?)`;
    case "UNQUOTED VALUE":
      return `badly quoted value: ${r.message}`;
    case "LINE SIZE OVER MAXIMUM":
      return `row longer than ${MAX_LINE_BYTES >> 20} MB: ${r.message}`;
    case "INVALID ENCODING":
      return "invalid characters for the file's encoding";
    default:
      return `${r.type.toLowerCase()}: ${r.message}`;
  }
}
