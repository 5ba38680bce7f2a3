// Number formatting shared by the pages. Missing values print as an em dash, never as zero.

const DASH = "—";

export function count(n) {
  return n === null || n === undefined || Number.isNaN(n) ? DASH : Math.round(n).toLocaleString("en-US");
}

export function money(n, currency = "USD", { compact = false } = {}) {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    maximumFractionDigits: compact || Math.abs(n) >= 100 ? 0 : 2,
    notation: compact && Math.abs(n) >= 100_000 ? "compact" : "standard",
  }).format(n);
}

export function percent(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return `${(x * 100).toFixed(digits)}%`;
}

/** a / b, or null when b is zero or either is missing. */
export function ratio(a, b) {
  return a === null || a === undefined || !b ? null : a / b;
}

/** Relative change from `before` to `after`, or null when it cannot be computed. */
export function change(after, before) {
  return after === null || before === null || after === undefined || before === undefined || !before
    ? null
    : (after - before) / before;
}

export function signedPercent(x, digits = 0) {
  if (x === null || !Number.isFinite(x)) return DASH;
  const s = (x * 100).toFixed(digits);
  return `${x > 0 ? "+" : ""}${s}%`;
}

export function days(d) {
  if (d === null || d === undefined || !Number.isFinite(d)) return DASH;
  if (d < 1) return `${(d * 24).toFixed(1)} hours`;
  return `${d < 10 ? d.toFixed(1) : Math.round(d)} days`;
}

export function minutes(m) {
  if (m === null || m === undefined || !Number.isFinite(m)) return DASH;
  if (m < 90) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${(m / 60).toFixed(1)} hours`;
  return `${(m / 1440).toFixed(1)} days`;
}

const policyNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/**
 * A policy's duration in words, as `leadcal definition explain` and the Definition page state it
 * (duration in src/scoring/explain.ts, which the pages cannot import): whole days, else whole hours,
 * else minutes.
 */
export function duration(m) {
  if (m % 1440 === 0) return m === 1440 ? "one day" : `${m / 1440} days`;
  if (m % 60 === 0) return m === 60 ? "one hour" : `${m / 60} hours`;
  return `${policyNumber.format(m)} minutes`;
}

export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "2025-07-14 10:00:00" -> "14 Jul 2025". */
export function day(s) {
  if (!s) return DASH;
  const d = new Date(`${s.slice(0, 10)}T00:00:00Z`);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** First day of a quarter label: "2025 Q3" -> "2025-07-01". */
export function quarterStart(label) {
  const [y, q] = label.split(" Q").map(Number);
  return `${y}-${String((q - 1) * 3 + 1).padStart(2, "0")}-01`;
}

/** The quarter label of a date or a month: "2025-07-14" or "2025-07" -> "2025 Q3" (as src/report/periods.ts). */
export function quarterOf(date) {
  return `${date.slice(0, 4)} Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarter after a quarter label: "2025 Q4" -> "2026 Q1". */
export function nextQuarter(label) {
  const [y, q] = label.split(" Q").map(Number);
  return q === 4 ? `${y + 1} Q1` : `${y} Q${q + 1}`;
}

/** " (data from 1 Aug 2024)" when the data starts part-way through this quarter, else "". */
export function partialStart(quarter, dataFrom) {
  if (!dataFrom) return "";
  const next = nextQuarter(quarter);
  const from = dataFrom.slice(0, 10);
  return from > quarterStart(quarter) && from < quarterStart(next) ? ` (data from ${day(from)})` : "";
}
