import { closeSync, openSync, readSync, statSync } from "node:fs";
import { extname } from "node:path";
import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import type { Mapping } from "./mapping.ts";

export type FileFormat = "csv" | "parquet" | "ndjson";

/** A source row the reader itself could not parse (wrong column count, bad encoding, broken JSON). */
export interface ReadReject {
  row: number;
  reason: string;
  raw: string;
}

export interface StagedFile {
  /**
   * Temp table (or view) of the file's rows with `_row`, the row number a user sees. Normally one VARCHAR
   * column per header; when the caller passed `direct`, the columns its select made of them instead.
   */
  table: string;
  /**
   * When `table` holds transformed rows: stages the raw text of the rows whose `_row` the query `rows`
   * returns (the rejected rows' values), with their `_row`.
   */
  stageRaw?: (rows: string) => Promise<string>;
  headers: string[];
  format: FileFormat;
  encoding: string | null;
  /** CSV read with the raised line limit. */
  longLines?: boolean;
  /**
   * Read without keeping the file's row order (faster: measured about a quarter off the read), so `table`
   * has no `_row`. Only good for a file with nothing to report: the caller checks, and reads it again in
   * order when some row needs its number.
   */
  unordered?: boolean;
  rowsParsed: number;
  readRejects: ReadReject[];
  notes: string[];
}

const SNIFF_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Reads the first bytes of a file: enough to tell its format and catch binary junk before DuckDB sees it. */
function headOf(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function detectFormat(file: string, mapping: Mapping): { format: FileFormat; utf16: boolean } {
  const size = statSync(file).size;
  if (size === 0) throw new UserError("the file is empty (0 bytes): nothing to load", { file });
  const head = headOf(file);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const isParquet = head.subarray(0, 4).toString("latin1") === "PAR1";
  const ext = extname(file).toLowerCase();
  let format: FileFormat =
    mapping.format ??
    (isParquet || ext === ".parquet"
      ? "parquet"
      : ext === ".ndjson" || ext === ".jsonl" || ext === ".json"
        ? "ndjson"
        : "csv");
  if (isParquet && format !== "parquet") format = "parquet";
  if (format === "parquet" && !isParquet) {
    throw new UserError("not a Parquet file (it does not start with the PAR1 magic bytes)", { file });
  }
  if (format !== "parquet" && !utf16 && head.includes(0)) {
    throw new UserError(
      "this looks like a binary file (it contains NUL bytes), not CSV or NDJSON text; " +
        "export the data as CSV, Parquet or NDJSON",
      { file },
    );
  }
  return { format, utf16 };
}

let stageCounter = 0;

/**
 * A select over the CSV reader, so a large CSV is parsed and transformed in one pass instead of being
 * copied as text first. Given the file's headers (and whether this read may lose the row order), it returns
 * null to stage the text rows instead (mappings that read the rows several times), or a function of the
 * reader's SQL.
 */
export type DirectSelect = (headers: string[], unordered: boolean) => ((reader: string) => string) | null;

/** Loads a file into a temp table of text columns, keeping each row's number and every unreadable row. */
export async function stageFile(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  sniffed: Sniffed,
  direct?: DirectSelect,
  unordered = false,
): Promise<StagedFile> {
  const { format, utf16 } = sniffed;
  const table = `stg_${++stageCounter}`;
  if (format === "csv") {
    const headers = sniffed.headers ?? [];
    const select = direct?.(headers, unordered) ?? null;
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
  if (format === "ndjson") return stageNdjson(conn, file, table);
  return stageParquet(conn, file, table);
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
  const probe = `order_probe_${++stageCounter}`;
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
function csvOptions(mapping: Mapping, encoding: string, longLines = false): string[] {
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

export interface Sniffed {
  format: FileFormat;
  utf16: boolean;
  /** CSV only: the header row. */
  headers?: string[];
}

/**
 * What a file is, and for CSV its header (DuckDB's sniffer reads a sample, not the whole file).
 * Run it outside a transaction: a failed read aborts the transaction it runs in.
 */
export async function sniffFile(conn: DuckDBConnection, file: string, mapping: Mapping): Promise<Sniffed> {
  const { format, utf16 } = detectFormat(file, mapping);
  if (format !== "csv") return { format, utf16 };
  return { format, utf16, headers: await sniffCsvHeaders(conn, file, mapping, utf16) };
}

async function sniffCsvHeaders(
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

/** Adds the view `<table>` over `<table>_raw` with `_row`, the row a user sees. */
async function numberRows(conn: DuckDBConnection, table: string, rejectRows: number[]): Promise<void> {
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
function rowNumber(rejectRows: number[], i: string): string {
  if (rejectRows.length === 0) return `(${i} + 2)`;
  const gaps = [...rejectRows].sort((a, b) => a - b).map((row, j) => row - 2 - j);
  return `(${i} + 2 + (select count(*) from unnest([${gaps.join(", ")}]::bigint[]) as g(v) where g.v <= ${i}))`;
}

async function stageNdjson(conn: DuckDBConnection, file: string, table: string): Promise<StagedFile> {
  const lines = `${table}_lines`;
  try {
    await conn.run(
      `create temp table ${qi(lines)} as
       select row_number() over ()::bigint as _row, line
       from read_csv(${qs(file)}, columns = {'line': 'VARCHAR'}, header = false, delim = '\x01',
                     quote = '', escape = '', auto_detect = false, strict_mode = false)`,
    );
  } catch (e) {
    throw new UserError(`cannot be read as NDJSON text: ${firstLines((e as Error).message)}`, { file });
  }
  await conn.run(`delete from ${qi(lines)} where line is null or trim(line) = ''`);
  const bad = (
    await conn.runAndReadAll(
      `select _row, line from ${qi(lines)}
       where not json_valid(line) or json_type(line::json) <> 'OBJECT' order by _row`,
    )
  ).getRowObjectsJS();
  const readRejects = bad.map((r) => ({
    row: Number(r._row),
    reason: "not a valid JSON object on this line (broken or truncated JSON?)",
    raw: String(r.line).slice(0, 2000),
  }));
  await conn.run(`delete from ${qi(lines)} where not json_valid(line) or json_type(line::json) <> 'OBJECT'`);
  const keys = (
    await conn.runAndReadAll(
      `select k from (select unnest(json_keys(line::json)) as k, _row from ${qi(lines)})
       group by k order by min(_row), k`,
    )
  ).getRowObjectsJS();
  const headers = keys.map((k) => String(k.k));
  if (headers.length === 0) throw new UserError("no JSON objects with any field found", { file });
  const cols = headers.map(
    (h) => `json_extract_string(line, ${qs(`$."${h.replace(/"/g, '\\"')}"`)}) as ${qi(h)}`,
  );
  await conn.run(`create temp table ${qi(table)} as select _row, ${cols.join(", ")} from ${qi(lines)}`);
  await conn.run(`drop table ${qi(lines)}`);
  const parsed = await countRows(conn, table);
  return { table, headers, format: "ndjson", encoding: "utf-8", rowsParsed: parsed, readRejects, notes: [] };
}

async function stageParquet(conn: DuckDBConnection, file: string, table: string): Promise<StagedFile> {
  try {
    await conn.run(
      `create temp table ${qi(table)} as
       select row_number() over ()::bigint as _row, columns(*)::varchar from read_parquet(${qs(file)})`,
    );
  } catch (e) {
    throw new UserError(`cannot be read as Parquet: ${firstLines((e as Error).message)}`, { file });
  }
  const headers = await columnsOf(conn, table);
  const parsed = await countRows(conn, table);
  return {
    table,
    headers,
    format: "parquet",
    encoding: null,
    rowsParsed: parsed,
    readRejects: [],
    notes: [],
  };
}

async function columnsOf(conn: DuckDBConnection, table: string): Promise<string[]> {
  const rows = (await conn.runAndReadAll(`describe ${qi(table)}`)).getRowObjectsJS();
  return rows.map((r) => String(r.column_name)).filter((c) => c !== "_row");
}

async function countRows(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`select count(*)::bigint n from ${qi(table)}`);
  return Number(r.getRowObjectsJS()[0]?.n ?? 0);
}

/** The gist of a DuckDB error: its first lines, each cut short (a bad line can be megabytes long). */
function firstLines(msg: string): string {
  return msg
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(0, 3)
    .map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l))
    .join(" | ");
}
