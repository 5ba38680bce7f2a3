// Client-side sums over the small aggregate tables the loaders ship, so the filters can recombine
// them. Only additive counts are summed here; medians come precomputed per filter choice.

import aq from "arquero/dist/arquero.js";

/** The period option with `key`, or the first one. */
export function periodOf(periods, key) {
  return periods.find((p) => p.key === key) ?? periods[0];
}

/** Rows whose quarter is within the period and whose channel matches (null: all channels). */
export function filterRows(rows, { period, channel = null, quarterKey = "quarter" }) {
  return rows.filter(
    (r) =>
      (!period || (r[quarterKey] >= period.from && r[quarterKey] <= period.to)) &&
      (channel === null || r.channel === channel),
  );
}

/** A table of `fields` from rows, a missing value read as 0 (a count the row does not hold). */
function countsTable(rows, fields, columns = {}) {
  return aq.table({ ...columns, ...Object.fromEntries(fields.map((f) => [f, rows.map((r) => r[f] ?? 0)])) });
}

const sums = (fields) => Object.fromEntries(fields.map((f) => [f, aq.op.sum(f)]));

/** Sums `fields` over rows. */
export function sum(rows, fields) {
  const [totals = {}] = fields.length ? countsTable(rows, fields).rollup(sums(fields)).objects() : [];
  // An empty table sums to nothing in arquero; here it is zero of each.
  return Object.fromEntries(fields.map((f) => [f, totals[f] ?? 0]));
}

/** Groups rows by `key` (a field name or a function) and sums `fields` in each group, in order of first appearance. */
export function groupSum(rows, key, fields) {
  const get = typeof key === "function" ? key : (r) => r[key];
  return countsTable(rows, fields, { key: rows.map(get) })
    .groupby("key")
    .rollup(sums(fields))
    .objects();
}

/** The precomputed median for a period key and channel (null: all channels). */
export function medianOf(medians, { period, channel = null, key }) {
  return medians.find((m) => m.period === period && m.channel === channel && m.key === key) ?? null;
}
