// Types of thresholds-logic.js, for the tests that import it (the page itself is plain JavaScript).

export interface CutoffRow {
  threshold: number;
  leads: number;
  per_week: number;
  conversions: number;
  rate: number | null;
  rate_low: number | null;
  rate_high: number | null;
  capture: number | null;
  wins: number;
  cost_per_sql: number | null;
  workload_per_week: number;
}

export function unpack(columns: readonly string[], rows: (number | null)[][]): CutoffRow[];
export function rowAt(rows: CutoffRow[], t: number): CutoffRow;
export function snapCutoff(
  rows: CutoffRow[],
  t: number,
  o?: { thinned?: boolean; previous?: number | null },
): number;
export function capacityOf(reps: number, touchesPerRep: number): number;
export function workloadAgainst(
  row: CutoffRow,
  capacity: number,
  touchesPerLead: number,
): {
  workload: number;
  capacity: number;
  over: boolean;
  gap: number;
  share: number | null;
  leadsCovered: number | null;
};
export function perWeek(x: number | null): string;
export function cutoffRole(
  t: number,
  marks: { current: number | null; recommended: number | null },
): string | null;
export function summarySentence(o: {
  stage: string;
  row: CutoffRow;
  capacity: number;
  touchesPerLead: number;
  windowWins: number;
  outcome: string;
  currency: string;
  hasCosts: boolean;
  current: number | null;
  recommended: number | null;
  isHandover: boolean;
}): string;
