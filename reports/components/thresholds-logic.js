// The Thresholds page's logic, as pure functions: the row at a cut-off, the slider's snapping, the
// capacity the page recomputes from its inputs, and the sentence a manager reads aloud.
import { count, money, percent } from "./format.js";

/** Packed rows (arrays in the order of `columns`) as objects. */
export function unpack(columns, rows) {
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
}

/**
 * The figures at cut-off `t`: the row with the smallest threshold >= t (the leads whose total is at
 * least t), renamed to t. Above every row nobody qualifies: a row of zeros, conversion undefined.
 * `rows` ascend by threshold. The same rule as rowAt in src/thresholds/recommend.ts.
 */
export function rowAt(rows, t) {
  const up = rows.find((r) => r.threshold >= t);
  if (up) return { ...up, threshold: t };
  return {
    threshold: t,
    leads: 0,
    per_week: 0,
    conversions: 0,
    rate: null,
    rate_low: null,
    rate_high: null,
    capture: 0,
    wins: 0,
    cost_per_sql: null,
    workload_per_week: 0,
  };
}

/**
 * The cut-off the slider lands on. Every whole cut-off is exact unless the rows were thinned; then the
 * slider moves between the rows kept: up to the next one when moving up, down to the one below when
 * moving down (so the arrow keys never stick), to the nearest one when there is no previous value.
 */
export function snapCutoff(rows, t, { thinned = false, previous = null } = {}) {
  const lo = rows[0]?.threshold ?? t;
  const hi = rows[rows.length - 1]?.threshold ?? t;
  const v = Math.min(hi, Math.max(lo, Math.round(t)));
  if (!thinned) return v;
  const up = rows.find((r) => r.threshold >= v)?.threshold ?? hi;
  const down = [...rows].reverse().find((r) => r.threshold <= v)?.threshold ?? lo;
  if (previous !== null && v > previous) return up;
  if (previous !== null && v < previous) return down;
  return up - v <= v - down ? up : down;
}

/** Touches sales can make a week: reps x touches each. Missing or negative inputs count as zero. */
export function capacityOf(reps, touchesPerRep) {
  const r = Number.isFinite(reps) && reps > 0 ? reps : 0;
  const t = Number.isFinite(touchesPerRep) && touchesPerRep > 0 ? touchesPerRep : 0;
  return r * t;
}

/**
 * The workload a row makes against a capacity: touches a week, whether it is over, by how much, the
 * share of capacity used (null when capacity is zero) and the most leads a week the capacity covers.
 */
export function workloadAgainst(row, capacity, touchesPerLead) {
  const workload = row.workload_per_week;
  return {
    workload,
    capacity,
    over: workload > capacity + 1e-9,
    gap: Math.abs(capacity - workload),
    share: capacity > 0 ? workload / capacity : null,
    leadsCovered: touchesPerLead > 0 ? capacity / touchesPerLead : null,
  };
}

/** "26" a week, or "2.5" when under ten (a tenth of a lead a week still matters there). */
export function perWeek(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return x > 0 && x < 10 ? x.toFixed(1) : count(x);
}

/** What the chosen cut-off is: "the recommended threshold", "the threshold in use", both, or neither. */
export function cutoffRole(t, { current, recommended }) {
  if (t === recommended && t === current) return "both the recommended threshold and the one in use";
  if (t === recommended) return "the recommended threshold";
  if (t === current) return "the threshold in use";
  return null;
}

/**
 * The sentence a manager reads aloud, from the chosen values:
 * "At 51 points, sales would get 26 SQLs a week, 27.5% of which reached SQL within 90 days (95%
 * interval 23.0% to 32.5%), capturing 47.0% of all conversions and 21 of the 40 wins, at $963 per SQL;
 * that is 156 touches a week against a capacity of 480: within capacity, with 324 to spare."
 *
 * `o`: {stage, row, capacity, touchesPerLead, windowWins, outcome ("SQL within 90 days"), currency,
 * hasCosts, current, recommended, isHandover (the stage sales works)}.
 */
export function summarySentence(o) {
  const { row, stage } = o;
  const STAGE = stage.toUpperCase();
  const t = row.threshold;
  const at = `At ${count(t)} point${Math.abs(t) === 1 ? "" : "s"}`;
  if (row.leads === 0) {
    return `${at}, no lead of the window would have qualified as ${STAGE}: there is nothing to send.${tail(o)}`;
  }
  const volume = o.isHandover
    ? `sales would get ${perWeek(row.per_week)} ${STAGE}${row.per_week === 1 ? "" : "s"} a week`
    : `${perWeek(row.per_week)} lead${row.per_week === 1 ? "" : "s"} a week would become ${STAGE}s`;
  const interval =
    row.rate_low === null ? "" : ` (95% interval ${percent(row.rate_low)} to ${percent(row.rate_high)})`;
  const conv = `${percent(row.rate)} of which reached ${o.outcome}${interval}`;
  const wins =
    o.windowWins > 0
      ? ` and ${count(row.wins)} of the ${count(o.windowWins)} wins`
      : row.wins > 0
        ? ` and ${count(row.wins)} wins`
        : "";
  const capture = `capturing ${percent(row.capture)} of all conversions${wins}`;
  const cost =
    o.hasCosts && row.cost_per_sql !== null ? `, at ${money(row.cost_per_sql, o.currency)} per ${STAGE}` : "";
  let load = "";
  if (o.isHandover) {
    const w = workloadAgainst(row, o.capacity, o.touchesPerLead);
    load = `; that is ${count(w.workload)} touches a week against a capacity of ${count(w.capacity)}: ${
      w.over ? `over capacity by ${count(w.gap)}` : `within capacity, with ${count(w.gap)} to spare`
    }`;
  }
  return `${at}, ${volume}, ${conv}, ${capture}${cost}${load}.${tail(o)}`;
}

function tail(o) {
  const role = cutoffRole(o.row.threshold, o);
  const others = [
    o.recommended !== null && o.row.threshold !== o.recommended
      ? `the recommended one is ${o.recommended}`
      : null,
    o.current !== null && o.row.threshold !== o.current ? `the one in use is ${o.current}` : null,
  ].filter(Boolean);
  if (role) return ` This is ${role}${others.length ? `; ${others.join(", ")}` : ""}.`;
  return others.length ? ` For comparison, ${others.join(" and ")}.` : "";
}
