/**
 * Calendar-day arithmetic on dates written as text, YYYY-MM-DD (the form the queries bind and the
 * report settings hold). Days are UTC calendar days, so a daylight-saving change never shifts one.
 */

/** The date `days` days after `date` (negative: before). addDays("2025-12-31", 1) -> "2026-01-01". */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). daysBetween("2025-01-01", "2025-03-01") -> 59. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
