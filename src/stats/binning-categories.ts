import { checkCounts, describeGroup } from "./binning-woe.ts";

export interface CategoryLevel {
  values: string[];
  label: string;
  /** True for the level of pooled rare values (a value spelled "other" keeps its own level, false). */
  pooled: boolean;
  leads: number;
  events: number;
  rate: number;
  woe: number;
  iv: number;
}

/**
 * **Grouping of a categorical variable** for discovering criteria: each value with enough leads is its
 * own level; values under minShare of the non-missing leads or under minLeads are pooled into one level
 * labelled "other" (its `values` list them, by leads descending), as scorecard::woebin's
 * count_distr_limit and optbinning's cat_cutoff pool rare categories. Levels are ordered by event rate
 * descending (ties: more leads first, then label). WoE and IV as in ./binning-woe.ts, the missing
 * leads being their own group that counts in the totals; the pooled "other" level is kept even when it
 * is itself small.
 *
 * `tail`: the summed counts of values the caller did not list (the long tail of a column with many
 * values, summed in DuckDB rather than sent one row each). They go to "other" (its `values` list only
 * the listed ones) and count in the non-missing leads minShare is a share of, so the result is the
 * one listing them would give provided each of them is under minShare or minLeads, as the values
 * after the most common few hundred are.
 *
 * Cost O(values log values). Throws a RangeError on a repeated value, counts (rows, missing, tail)
 * with events outside [0, leads], or minShare outside [0, 1] / minLeads < 0.
 *
 * @example groupCategories([{ value: "web", leads: 600, events: 60 }, { value: "fax", leads: 2, events: 0 }],
 *   { leads: 0, events: 0 }, { minLeads: 30 }).levels.map((l) => l.label) // ["web", "other"]
 */
export function groupCategories(
  rows: { value: string; leads: number; events: number }[],
  missing: { leads: number; events: number },
  opts: { minShare?: number; minLeads?: number; tail?: { leads: number; events: number } } = {},
): {
  levels: CategoryLevel[];
  missing: { leads: number; events: number; rate: number | null; woe: number; iv: number } | null;
  iv: number;
} {
  const minShare = opts.minShare ?? 0.05;
  const minLeads = opts.minLeads ?? 30;
  if (!(minShare >= 0 && minShare <= 1)) throw new RangeError(`minShare must be in [0, 1], got ${minShare}`);
  if (!(minLeads >= 0)) throw new RangeError(`minLeads must be >= 0, got ${minLeads}`);
  checkCounts(missing, "missing");
  const tail = opts.tail ?? { leads: 0, events: 0 };
  checkCounts(tail, "tail");
  const seen = new Set<string>();
  let leads = 0;
  let events = 0;
  rows.forEach((row, j) => {
    if (seen.has(row.value))
      throw new RangeError(`rows[${j}]: value ${JSON.stringify(row.value)} appears twice`);
    seen.add(row.value);
    checkCounts(row, `rows[${j}]`);
    leads += row.leads;
    events += row.events;
  });
  leads += tail.leads;
  events += tail.events;
  const totalEvents = events + missing.events;
  const totalNonEvents = leads - events + missing.leads - missing.events;

  const kept = rows.filter((r) => r.leads > 0 && r.leads >= minShare * leads && r.leads >= minLeads);
  const pooled = rows
    .filter((r) => r.leads > 0 && !kept.includes(r))
    .sort((a, b) => b.leads - a.leads || (a.value < b.value ? -1 : 1));
  const groups = kept.map((r) => ({
    values: [r.value],
    label: r.value,
    pooled: false,
    leads: r.leads,
    events: r.events,
  }));
  if (pooled.length || tail.leads > 0)
    groups.push({
      values: pooled.map((r) => r.value),
      label: "other",
      pooled: true,
      leads: pooled.reduce((s, r) => s + r.leads, tail.leads),
      events: pooled.reduce((s, r) => s + r.events, tail.events),
    });
  const levels = groups
    .map((g) => ({
      values: g.values,
      label: g.label,
      pooled: g.pooled,
      ...describeGroup(g, totalEvents, totalNonEvents),
    }))
    .sort((a, b) => b.rate - a.rate || b.leads - a.leads || (a.label < b.label ? -1 : 1));
  const missingGroup = missing.leads > 0 ? describeGroup(missing, totalEvents, totalNonEvents) : null;
  const iv = levels.reduce((s, l) => s + l.iv, 0) + (missingGroup?.iv ?? 0);
  return { levels, missing: missingGroup, iv };
}
