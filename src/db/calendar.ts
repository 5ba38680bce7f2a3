/**
 * Calendar labels, at the bottom with the date arithmetic: quarters are labelled "2025 Q3" (these
 * labels sort in time order as plain strings, which the queries rely on), months "2025-07". The
 * report's periods (src/report/periods.ts) and calibration's holdout cohorts both use them.
 */

/** SQL expression: the quarter label of a date or timestamp expression. */
export function quarterSql(expr: string): string {
  return `(strftime(${expr}, '%Y') || ' Q' || quarter(${expr}))`;
}

/** SQL expression: the month label of a date or timestamp expression. */
export function monthSql(expr: string): string {
  return `strftime(${expr}, '%Y-%m')`;
}

/** "2025-07-14" -> "2025 Q3". */
export function quarterOf(date: string): string {
  return quarterFromIndex(Number(date.slice(0, 4)) * 4 + Math.floor((Number(date.slice(5, 7)) - 1) / 3));
}

/** "2025 Q3" -> 2025 * 4 + 2, so quarters can be counted. */
export function quarterIndex(label: string): number {
  const m = /^(\d{4}) Q([1-4])$/.exec(label);
  if (!m) throw new Error(`not a quarter label: ${label}`);
  return Number(m[1]) * 4 + Number(m[2]) - 1;
}

function quarterFromIndex(i: number): string {
  return `${Math.floor(i / 4)} Q${(i % 4) + 1}`;
}

/** The quarter `n` quarters after `label` (negative n: before). */
export function addQuarters(label: string, n: number): string {
  return quarterFromIndex(quarterIndex(label) + n);
}

/** First day of a quarter: "2025 Q3" -> "2025-07-01". */
export function quarterStart(label: string): string {
  const i = quarterIndex(label);
  const month = (i % 4) * 3 + 1;
  return `${Math.floor(i / 4)}-${String(month).padStart(2, "0")}-01`;
}

/** Every quarter from `first` to `last`, inclusive, in order. */
export function quarterRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let i = quarterIndex(first); i <= quarterIndex(last); i++) out.push(quarterFromIndex(i));
  return out;
}

/** A choice in a page's period filter: a named set of consecutive quarters. */
