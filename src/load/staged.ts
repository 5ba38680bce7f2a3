import { type DuckDBConnection, quotedIdentifier as qi } from "@duckdb/node-api";

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

export interface Sniffed {
  format: FileFormat;
  utf16: boolean;
  /** CSV only: the header row. */
  headers?: string[];
}

/**
 * A select over the CSV reader, so a large CSV is parsed and transformed in one pass instead of being
 * copied as text first (the caller planned it against the sniffed header). Given whether this read may lose
 * the row order, it returns null to stage the text rows instead (mappings that read the rows several times),
 * or a function of the reader's SQL.
 */
export type DirectSelect = (unordered: boolean) => ((reader: string) => string) | null;

let stageCounter = 0;

/** A number for the next temp table a read makes, unique in this process. */
export function nextTempId(): number {
  return ++stageCounter;
}

export async function columnsOf(conn: DuckDBConnection, table: string): Promise<string[]> {
  const rows = (await conn.runAndReadAll(`describe ${qi(table)}`)).getRowObjectsJS();
  return rows.map((r) => String(r.column_name)).filter((c) => c !== "_row");
}

export async function countRows(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`select count(*)::bigint n from ${qi(table)}`);
  return Number(r.getRowObjectsJS()[0]?.n ?? 0);
}

/** The gist of a DuckDB error: its first lines, each cut short (a bad line can be megabytes long). */
export function firstLines(msg: string): string {
  return msg
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(0, 3)
    .map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l))
    .join(" | ");
}
