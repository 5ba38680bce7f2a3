// Client-side sums over the small aggregate tables the loaders ship, so the filters can recombine
// them. Only additive counts are summed here; medians come precomputed per filter choice.

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

/** Sums `fields` over rows. */
export function sum(rows, fields) {
  const out = Object.fromEntries(fields.map((f) => [f, 0]));
  for (const r of rows) for (const f of fields) out[f] += r[f] ?? 0;
  return out;
}

/** Groups rows by `key` (a field name or a function) and sums `fields` in each group. */
export function groupSum(rows, key, fields) {
  const get = typeof key === "function" ? key : (r) => r[key];
  const groups = new Map();
  for (const r of rows) {
    const k = get(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  return [...groups].map(([k, rs]) => ({ key: k, ...sum(rs, fields) }));
}

/** The precomputed median for a period key and channel (null: all channels). */
export function medianOf(medians, { period, channel = null, key }) {
  return medians.find((m) => m.period === period && m.channel === channel && m.key === key) ?? null;
}
