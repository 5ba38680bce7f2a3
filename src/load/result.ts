import type { MappingChoice } from "./resolve.ts";
import type { CanonicalTable } from "./tables.ts";

export interface LoadOptions extends MappingChoice {
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
