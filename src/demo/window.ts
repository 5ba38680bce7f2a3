/**
 * The demo's history: 9 quarters (27 months) ending at `end`, exclusive. `end` is a UTC day boundary;
 * by default the first day of the current UTC month, the only place the demo reads the clock.
 */
export interface DemoWindow {
  start: Date;
  end: Date;
  days: number;
  /** Every month the window touches, as YYYY-MM, oldest first. */
  months: string[];
}

export const WINDOW_MONTHS = 27;

export function defaultEnd(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export function demoWindow(endIn: Date): DemoWindow {
  if (Number.isNaN(endIn.getTime())) throw new Error("demo end is not a valid date");
  const end = new Date(Date.UTC(endIn.getUTCFullYear(), endIn.getUTCMonth(), endIn.getUTCDate()));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - WINDOW_MONTHS, end.getUTCDate()));
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  const months: string[] = [];
  const last = new Date(end.getTime() - 1);
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); ; m++) {
    const d = new Date(Date.UTC(y, m, 1));
    if (d > last) break;
    months.push(d.toISOString().slice(0, 7));
  }
  return { start, end, days, months };
}

/** YYYY-MM-DD HH:MM:SS, UTC: the demo's timestamp format. */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}
