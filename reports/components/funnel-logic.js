// The Funnel page's arithmetic, as pure functions over the loader's cohort rows (one row per cohort
// quarter, channel and segment, counting the leads that reached each stage within the outcome
// window): complete against maturing cohorts, the share of each stage reaching the next, the
// weakest step, the cohorts' range and the segments' conversion. The page wires its filters to
// these and formats what they return.
import { sum } from "./cube.js";
import { count, percent, ratio } from "./format.js";

/** The additive fields of a cohort row. */
export const FIELDS = ["leads", "mql", "sql", "opportunity", "won", "lost"];

/** The field counting a stage: "lead" is counted in "leads", every other stage under its own key. */
export function field(stage) {
  return stage === "lead" ? "leads" : stage;
}

/**
 * The selection's totals, split by cohort: `complete` sums the cohorts whose window has closed
 * (their quarter is in `mature`), `maturing` the others. Rates compare complete cohorts; with no
 * lead in one, every cohort is used (`useComplete` false: rates so far, which will still rise).
 * `base` is the totals rates are taken over, `basis` the rows behind it, `maturingQuarters` the open
 * cohorts, in order.
 */
export function cohortTotals(rows, mature) {
  const completeRows = rows.filter((r) => mature.has(r.quarter));
  const maturingRows = rows.filter((r) => !mature.has(r.quarter));
  const complete = sum(completeRows, FIELDS);
  const maturing = sum(maturingRows, FIELDS);
  const useComplete = complete.leads > 0;
  return {
    complete,
    maturing,
    useComplete,
    base: useComplete ? complete : Object.fromEntries(FIELDS.map((k) => [k, complete[k] + maturing[k]])),
    basis: useComplete ? completeRows : rows,
    maturingQuarters: [...new Set(maturingRows.map((r) => r.quarter))].sort(),
  };
}

/**
 * One row a stage: the leads that reached it in complete and in maturing cohorts, their total, and
 * (after the first stage) the share of the previous stage's leads that reached it, over `base`;
 * null where the previous stage has none.
 */
export function stageRows(stages, totals) {
  const { complete, maturing, base } = totals;
  return stages.map((s, i) => ({
    stage: s,
    order: i,
    complete: complete[field(s)],
    maturing: maturing[field(s)],
    total: complete[field(s)] + maturing[field(s)],
    rate: i === 0 ? null : ratio(base[field(s)], base[field(stages[i - 1])]),
  }));
}

/** Each step from one stage to the next with its rate over `base`; steps nobody could take are left out. */
export function stepRates(stages, base) {
  return stages
    .slice(1)
    .map((s, i) => ({ from: stages[i], to: s, rate: ratio(base[field(s)], base[field(stages[i])]) }))
    .filter((x) => x.rate !== null);
}

/** The first of `xs` with the lowest `key`, or null when there is none. */
function lowest(xs, key) {
  return xs.slice().sort((a, b) => a[key] - b[key])[0] ?? null;
}

/** The first of `xs` with the highest `key`, or null when there is none. */
function highest(xs, key) {
  return xs.slice().sort((a, b) => b[key] - a[key])[0] ?? null;
}

/** The step with the lowest rate (the steepest drop); the earlier step on a tie; null without steps. */
export function weakestStep(steps) {
  return lowest(steps, "rate");
}

/** The share of the first stage's leads that reached the last stage, over `base`. */
export function endToEnd(stages, base) {
  return ratio(base[field(stages.at(-1))], base[field(stages[0])]);
}

/**
 * The lowest and the highest share reaching stage `last` among the complete cohorts with leads
 * (`byCohort`: groupSum by quarter); the earlier cohort on a tie; null when no cohort is complete.
 */
export function cohortRange(byCohort, mature, last) {
  const rates = byCohort
    .filter((c) => mature.has(c.key) && c.leads > 0)
    .map((c) => ({ q: c.key, rate: c[field(last)] / c.leads }));
  return rates.length ? { lo: lowest(rates, "rate"), hi: highest(rates, "rate") } : null;
}

/**
 * A cohort's outcome at stage `last`: the share of its leads that reached it, and the leads still
 * open (neither there nor lost) while it matures; null once it is complete.
 */
export function cohortOutcome(c, last, isMature) {
  return {
    open: isMature ? null : c.leads - c[field(last)] - c.lost,
    conversion: ratio(c[field(last)], c.leads),
  };
}

/** Groups (groupSum rows) with leads, as the share of their leads reaching stage field `target`. */
export function conversionRates(groups, target) {
  return groups
    .filter((g) => g.leads > 0)
    .map((g) => ({ group: g.key, rate: g[target] / g.leads, reached: g[target], leads: g.leads }));
}

/** Groups with fewer leads are shown but not named best or worst. */
export const MIN_GROUP = 30;

/** Groups that are not a real segment, never named best or worst. */
const NOT_A_GROUP = new Set(["Unknown", "Other", "(not set)"]);

/** The sentence naming the best and the worst converting of `rates` (what: "channels", ...). */
export function bestWorst(rates, what) {
  const big = rates.filter((r) => r.leads >= MIN_GROUP && !NOT_A_GROUP.has(r.group));
  if (big.length < 2) return `Too few ${what} with ${MIN_GROUP}+ leads to compare.`;
  const byRate = big.slice().sort((a, b) => b.rate - a.rate);
  const top = byRate[0];
  const bottom = byRate.at(-1);
  return `${top.group} converts best (${percent(top.rate)} of ${count(top.leads)}), ${bottom.group} worst (${percent(bottom.rate)} of ${count(bottom.leads)}).`;
}

/** The step with the longest median (`value`) among those measured; null when none is. */
export function slowestStep(measured) {
  return highest(measured, "value");
}
