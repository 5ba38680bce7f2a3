// The Cost per SQL page's arithmetic, as pure functions over the loader's month rows (one row per
// month and channel, the cost booked to no channel under the channel "unallocated"): blended and
// channel cost, the months without cost left out of every ratio, the quarter trend and the channel
// ranking. The page wires its filters to these and formats what they return.
import { filterRows, groupSum, sum } from "./cube.js";
import { count, money, percent, quarterOf, ratio } from "./format.js";

/** The additive fields of a month row. */
export const FIELDS = ["marketing_cost", "sales_cost", "unallocated_share", "leads", "mqls", "sqls", "won"];

/** The channel that holds the cost booked to no channel. */
const UNALLOCATED = "unallocated";

/** Marketing plus sales cost: for a channel, its own cost. */
export function directCost(t) {
  return t.marketing_cost + t.sales_cost;
}

/**
 * The cost a selection carries. Blended (channel null): every cost, including "unallocated". A
 * channel: its own cost plus its share of the unallocated.
 */
export function costOf(t, channel) {
  return channel === null ? directCost(t) : directCost(t) + t.unallocated_share;
}

/** A count of a stage the data does not record is unknown (null, shown as "—"), not zero. */
export function known(v, recorded) {
  return recorded ? v : null;
}

/**
 * Cost per lead, MQL, SQL and won deal. Null where the cost is unknown, the count is zero, or the
 * data does not record MQLs or wins (`recorded.mql`, `recorded.won`).
 */
export function unitCosts(cost, t, recorded) {
  return {
    lead: ratio(cost, t.leads),
    mql: recorded.mql ? ratio(cost, t.mqls) : null,
    sql: ratio(cost, t.sqls),
    won: recorded.won ? ratio(cost, t.won) : null,
  };
}

/**
 * What the period and channel filters select. `inPeriod`: every channel's rows in the period;
 * `selected`: the channel's (all of them when it is null); `monthsWithCost`: the period's months with
 * any cost loaded. A month without cost data is unknown, not free, so every ratio uses only those
 * months: `costed` (the selection's) and `allCosted` (every channel's). `totals` sums `costed`,
 * `cost` is its cost (blended or the channel's fully loaded), `unallocatedCost` the part of it
 * booked to no channel (what the blended figure says it includes).
 */
export function selectCosts(months, { period, channel = null }) {
  const inPeriod = filterRows(months, { period });
  const selected = channel === null ? inPeriod : inPeriod.filter((r) => r.channel === channel);
  const monthsWithCost = new Set(inPeriod.filter((r) => r.month_has_cost).map((r) => r.month));
  const costed = selected.filter((r) => monthsWithCost.has(r.month));
  const allCosted = inPeriod.filter((r) => monthsWithCost.has(r.month));
  const totals = sum(costed, FIELDS);
  const unallocated = sum(
    costed.filter((r) => r.channel === UNALLOCATED),
    FIELDS,
  );
  return {
    inPeriod,
    selected,
    monthsWithCost,
    costed,
    allCosted,
    totals,
    cost: costOf(totals, channel),
    unallocatedCost: directCost(unallocated),
  };
}

/**
 * One row a month of the selection, in month order. Cost figures are null in a month without cost;
 * the share of unallocated cost and the direct cost per SQL only for a channel; counts of stages
 * the data does not record are null. `to_date` marks the as-of month.
 */
export function monthlyRows(sel, { channel = null, recorded, asOfMonth }) {
  return groupSum(sel.selected, "month", FIELDS)
    .map((m) => {
      const hasCost = sel.monthsWithCost.has(m.key);
      const cost = costOf(m, channel);
      return {
        month: m.key,
        quarter: quarterOf(m.key),
        marketing_cost: hasCost ? m.marketing_cost : null,
        sales_cost: hasCost ? m.sales_cost : null,
        unallocated_share: hasCost && channel !== null ? m.unallocated_share : null,
        cost: hasCost ? cost : null,
        leads: m.leads,
        mqls: known(m.mqls, recorded.mql),
        sqls: known(m.sqls, recorded.sql),
        won: known(m.won, recorded.won),
        cpsql: hasCost ? ratio(cost, m.sqls) : null,
        direct_cpsql: hasCost && channel !== null ? ratio(directCost(m), m.sqls) : null,
        to_date: m.key === asOfMonth,
      };
    })
    .sort((a, b) => a.month.localeCompare(b.month));
}

/**
 * The monthly line chart's points: blended cost per SQL, or for a channel its fully loaded and its
 * direct cost per SQL. Months without cost or without SQLs have no point.
 */
export function monthlyLines(monthly, channel = null) {
  return monthly
    .flatMap((m) => [
      {
        month: m.month,
        series:
          channel === null ? "blended (all cost / all SQLs)" : "fully loaded (own + share of unallocated)",
        value: m.cpsql,
        sqls: m.sqls,
        cost: m.cost,
      },
      ...(channel !== null
        ? [
            {
              month: m.month,
              series: "direct (own cost only)",
              value: m.direct_cpsql,
              sqls: m.sqls,
              cost: m.marketing_cost === null ? null : m.marketing_cost + m.sales_cost,
            },
          ]
        : []),
    ])
    .filter((r) => r.value !== null);
}

/**
 * Cost per SQL in the last two quarters before the as-of quarter (`asOfQuarter`: the quarter still
 * to date, or null when the data runs to its end), over the months with cost; quarters without SQLs
 * are skipped. `change` is the relative change from `prev` to `last`, null without both.
 */
export function quarterTrend(sel, { channel = null, asOfQuarter = null }) {
  const quarters = groupSum(sel.costed, "quarter", FIELDS)
    .map((q) => ({ quarter: q.key, cpsql: ratio(costOf(q, channel), q.sqls) }))
    .filter((q) => q.cpsql !== null)
    .sort((a, b) => a.quarter.localeCompare(b.quarter))
    .filter((q) => q.quarter !== asOfQuarter);
  const last = quarters.at(-1) ?? null;
  const prev = quarters.at(-2) ?? null;
  return { last, prev, change: last && prev ? (last.cpsql - prev.cpsql) / prev.cpsql : null };
}

/** The page's sentence on the selection's cost per SQL and its quarter trend. */
export function trendSentence({ channel = null, periodText, cost, sqls, trend, currency }) {
  const $ = (v) => money(v, currency);
  const { last, prev, change } = trend;
  return (
    `${channel === null ? "Blended cost" : `Cost for ${channel}`} per SQL over ${periodText} was ${$(ratio(cost, sqls))} (${count(sqls)} SQLs for ${$(cost)})` +
    (change === null
      ? "."
      : `; in ${last.quarter} it was ${$(last.cpsql)}, ${change <= 0 ? "down" : "up"} ${percent(Math.abs(change), 0)} on ${prev.quarter}.`)
  );
}

/**
 * One row a quarter of the selection, in quarter order: its cost over the months with cost (null
 * when it has none), the counts of every month, and the cost per lead, MQL, SQL and won deal.
 * `label` marks the as-of quarter "(to date)".
 */
export function quarterRows(sel, { channel = null, recorded, asOfQuarter = null }) {
  return groupSum(sel.selected, "quarter", FIELDS)
    .map((q) => {
      const costedQ = sel.costed.filter((r) => r.quarter === q.key);
      const months = new Set(costedQ.map((r) => r.month)).size;
      const qc = sum(costedQ, FIELDS);
      const cost = months ? costOf(qc, channel) : null;
      const per = unitCosts(cost, qc, recorded);
      return {
        quarter: q.key,
        label: q.key === asOfQuarter ? `${q.key} (to date)` : q.key,
        cost,
        sqls: known(q.sqls, recorded.sql),
        cpsql: per.sql,
        months,
        cost_per_lead: per.lead,
        cost_per_mql: per.mql,
        cost_per_won: per.won,
        leads: q.leads,
        mqls: known(q.mqls, recorded.mql),
        won: known(q.won, recorded.won),
      };
    })
    .sort((a, b) => a.quarter.localeCompare(b.quarter));
}

/**
 * One row a channel, every channel whatever the channel filter, over the period's months with
 * cost: its own (direct) cost, its share of the unallocated and the two added (fully loaded), with
 * cost per SQL both ways; cost per lead, MQL and won deal use the own cost. The "unallocated"
 * channel keeps only its cost and counts.
 */
export function channelRows(sel, { recorded }) {
  return groupSum(sel.allCosted, "channel", FIELDS).map((g) => {
    const own = g.key !== UNALLOCATED;
    const direct = directCost(g);
    const loaded = direct + g.unallocated_share;
    const per = unitCosts(direct, g, recorded);
    return {
      channel: g.key,
      direct_cost: direct,
      unallocated_share: own ? g.unallocated_share : null,
      loaded_cost: own ? loaded : null,
      leads: g.leads,
      mqls: g.mqls,
      sqls: g.sqls,
      won: g.won,
      direct_cpsql: own ? per.sql : null,
      loaded_cpsql: own ? ratio(loaded, g.sqls) : null,
      cost_per_lead: own ? per.lead : null,
      cost_per_mql: own ? per.mql : null,
      cost_per_won: own ? per.won : null,
    };
  });
}

/**
 * The channel table: the channels by own cost, dearest first, then "unallocated", then the blended
 * total of every channel (its cost per SQL is fully loaded by definition).
 */
export function channelTable(rows, sel, { recorded }) {
  const blended = sum(sel.allCosted, FIELDS);
  const cost = directCost(blended);
  const per = unitCosts(cost, blended, recorded);
  return [
    ...rows.filter((r) => r.channel !== UNALLOCATED).sort((a, b) => b.direct_cost - a.direct_cost),
    ...rows.filter((r) => r.channel === UNALLOCATED),
    {
      channel: "All channels (blended)",
      direct_cost: cost,
      unallocated_share: null,
      loaded_cost: cost,
      leads: blended.leads,
      mqls: blended.mqls,
      sqls: blended.sqls,
      won: blended.won,
      direct_cpsql: null,
      loaded_cpsql: per.sql,
      cost_per_lead: per.lead,
      cost_per_mql: per.mql,
      cost_per_won: per.won,
    },
  ];
}

/** The stacked bars by channel: own cost per SQL, then the share of unallocated, for channels with SQLs. */
export function channelBars(rows) {
  return rows
    .filter((r) => r.channel !== UNALLOCATED && r.sqls > 0)
    .flatMap((r) => [
      {
        channel: r.channel,
        part: "own cost per SQL",
        partOrder: 0,
        value: r.direct_cpsql,
        loaded: r.loaded_cpsql,
        direct: r.direct_cpsql,
        sqls: r.sqls,
      },
      {
        channel: r.channel,
        part: "share of unallocated cost per SQL",
        partOrder: 1,
        value: r.loaded_cpsql - r.direct_cpsql,
        loaded: r.loaded_cpsql,
        direct: r.direct_cpsql,
        sqls: r.sqls,
      },
    ]);
}

/** Channels with fewer SQLs are not ranked cheapest or dearest. */
export const MIN_RANKED_SQLS = 10;

/**
 * `ranked`: the channels with 10+ SQLs and some cost of their own, cheapest fully loaded cost per SQL
 * first. `noCost`: the channels with SQLs but no cost of their own (organic or unbudgeted).
 */
export function channelRanking(rows) {
  const channels = rows.filter((r) => r.channel !== UNALLOCATED);
  return {
    ranked: channels
      .filter((r) => r.sqls >= MIN_RANKED_SQLS && r.direct_cost > 0)
      .sort((a, b) => a.loaded_cpsql - b.loaded_cpsql),
    noCost: channels.filter((r) => r.sqls > 0 && r.direct_cost === 0).map((r) => r.channel),
  };
}

/** The page's sentence on the cheapest and dearest channels, and those with no cost of their own. */
export function rankingSentence({ ranked, noCost }, currency) {
  const $ = (v) => money(v, currency);
  const one = noCost.length === 1;
  return (
    (ranked.length >= 2
      ? `Cheapest per SQL: ${ranked[0].channel} at ${$(ranked[0].loaded_cpsql)} fully loaded; dearest: ${ranked.at(-1).channel} at ${$(ranked.at(-1).loaded_cpsql)}.`
      : `Too few channels with ${MIN_RANKED_SQLS}+ SQLs and their own cost to compare.`) +
    (noCost.length
      ? ` ${noCost.join(", ")} ${one ? "has" : "have"} no cost of ${one ? "its" : "their"} own (organic or unbudgeted): only a share of unallocated cost.`
      : "")
  );
}
