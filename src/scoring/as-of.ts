import type { DuckDBConnection } from "@duckdb/node-api";
import { addDays } from "../db/dates.ts";
import { newestEventAt } from "../db/newest-event.ts";
import { UserError } from "../errors.ts";

/**
 * The moment scores are computed as of. Timestamps in leadcal are naive and read as UTC, so a
 * moment is kept as 'YYYY-MM-DD HH:MM:SS[.ffffff]' text and bound as a parameter.
 *
 * What `--as-of` accepts:
 * - `latest` (the default): midnight after the newest timestamp in the loaded data, so the whole
 *   last day of the export counts;
 * - `now`: the current time (UTC);
 * - `per-lead`: each lead at its own moment (the definition's point_in_time);
 * - a date `2025-06-30` (the start of that day, 00:00 UTC) or a time `2025-06-30 17:00`,
 *   `2025-06-30T17:00:00Z` (an offset such as +02:00 is converted to UTC).
 */
export type AsOfChoice =
  | { kind: "latest" }
  | { kind: "now" }
  | { kind: "per-lead" }
  | { kind: "fixed"; at: string };

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseAsOf(value: string | Date | undefined): AsOfChoice {
  if (value === undefined) return { kind: "latest" };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UserError("--as-of: not a valid date");
    return { kind: "fixed", at: naiveUtc(value) };
  }
  const v = value.trim();
  if (v === "latest" || v === "now" || v === "per-lead") return { kind: v };
  const m = DATE_RE.exec(v);
  if (!m) {
    throw new UserError(
      `--as-of: expected latest, now, per-lead, a date (2025-06-30) or a time (2025-06-30 17:00); got ${JSON.stringify(value)}`,
    );
  }
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone ? (zone === "Z" ? "Z" : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2")) : "Z"}`;
  const date = new Date(iso);
  // Date rolls 2025-02-30 over to March: compare the fields back to catch impossible dates.
  const check =
    zone && zone !== "Z" ? true : date.getUTCDate() === Number(d) && date.getUTCMonth() + 1 === Number(mo);
  if (Number.isNaN(date.getTime()) || !check || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new UserError(`--as-of: ${value} is not a real date and time`);
  }
  if (!zone || zone === "Z") return { kind: "fixed", at: `${y}-${mo}-${d} ${h}:${mi}:${s}${frac}` };
  return { kind: "fixed", at: naiveUtc(date) };
}

/** A Date as naive UTC text DuckDB reads as a TIMESTAMP. */
export function naiveUtc(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Midnight after the newest event in the loaded history (src/db/newest-event.ts): the moment the
 * export describes, with its whole last day included (activities count strictly before the
 * moment). Null when nothing carries a timestamp.
 */
export async function latestMoment(conn: DuckDBConnection): Promise<string | null> {
  const newest = await newestEventAt(conn);
  if (newest === null) return null;
  return `${addDays(newest.slice(0, 10), 1)} 00:00:00`;
}
