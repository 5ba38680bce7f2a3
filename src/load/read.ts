import { closeSync, openSync, readSync, statSync } from "node:fs";
import { extname } from "node:path";
import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import type { Mapping } from "./mapping.ts";
import { sniffCsvHeaders, stageCsvFile } from "./read-csv.ts";
import {
  columnsOf,
  countRows,
  type DirectSelect,
  type FileFormat,
  firstLines,
  nextTempId,
  type Sniffed,
  type StagedFile,
} from "./staged.ts";

export { keepsRowOrder } from "./read-csv.ts";
export type { DirectSelect, FileFormat, ReadReject, Sniffed, StagedFile } from "./staged.ts";

const SNIFF_BYTES = 64 * 1024;

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

/** Loads a file into a temp table of text columns, keeping each row's number and every unreadable row. */
export async function stageFile(
  conn: DuckDBConnection,
  file: string,
  mapping: Mapping,
  sniffed: Sniffed,
  direct?: DirectSelect,
  unordered = false,
): Promise<StagedFile> {
  const { format } = sniffed;
  const table = `stg_${nextTempId()}`;
  if (format === "csv") {
    return stageCsvFile(conn, file, mapping, sniffed, table, direct, unordered);
  }
  if (format === "ndjson") return stageNdjson(conn, file, table);
  return stageParquet(conn, file, table);
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
