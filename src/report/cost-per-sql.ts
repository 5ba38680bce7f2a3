import type { DuckDBConnection } from "@duckdb/node-api";
import type { ReportSettings } from "../settings.ts";
import { type Coverage, readCoverage } from "./coverage.ts";
import { prepareMilestones } from "./milestones.ts";
import { type AsOf, type PeriodOption, periodOptions, quarterSql, resolveAsOf } from "./periods.ts";
import { queryRows } from "./query.ts";

/**
 * The Cost per SQL page. CPSQL = (marketing cost + sales cost) / SQLs, for a period and channel.
 *
 * - A cost row covers period_start to period_end, both days included; a period longer than a month
 *   is split over the months it touches in proportion to their days (a quarter's invoice lands
 *   31/90, 28/90 and 31/90 in January, February and March).
 * - Leads, MQLs, SQLs and won deals are counted in the month they happened (a lead entering SQL in
 *   March counts in March), not by cohort: CPSQL compares the money spent in a period with the SQLs
 *   produced in the same period.
 * - Cost booked to the channel 'unallocated' (typically sales salaries and tools) is in the blended
 *   figures. For a channel's "fully loaded" CPSQL, each month's unallocated cost is shared out over
 *   the channels in proportion to the SQLs each produced that month, so every SQL of a month carries
 *   the same share. A month with unallocated cost and no SQL cannot be shared out; that cost stays in
 *   the blended figures only and the page says how much it was.
 */

/** One row per month x channel (grain). Channel 'unallocated' carries only cost. */
export interface CostMonthRow {
  month: string;
  quarter: string;
  channel: string;
  marketing_cost: number;
  sales_cost: number;
  /** This row's share of the month's unallocated cost (0 for the 'unallocated' row itself). */
  unallocated_share: number;
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
  /** Is any cost loaded for this month? Without it the month's cost is unknown, not zero. */
  month_has_cost: boolean;
}

export interface CostReport {
  asOf: AsOf;
  currency: string;
  /** Which counts the data can give at all. */
  recorded: { mql: boolean; sql: boolean; won: boolean; costs: boolean };
  months: CostMonthRow[];
  channels: string[];
  periods: PeriodOption[];
  unallocated: { total: number; shared: number; notShared: number };
  /** Cost dated after the as-of month, left out of every figure. */
  costAfterAsOf: number;
  coverage: Coverage;
  missing: string[];
}

const MONTHS_SQL = `
with
cost_months as (
  -- Each cost row split over the calendar months its period touches, in proportion to days.
  select
    c.channel,
    c.team,
    m.month_start::date as month_start,
    c.amount * (
      date_diff('day',
        greatest(m.month_start::date, c.period_start),
        least((m.month_start + interval 1 month)::date - 1, c.period_end)) + 1
    ) / (date_diff('day', c.period_start, c.period_end) + 1) as amount
  from costs c,
    unnest(generate_series(date_trunc('month', c.period_start)::timestamp, c.period_end::timestamp, interval 1 month))
      as m(month_start)
  where c.period_end >= c.period_start
),
cost_month as (
  select
    strftime(month_start, '%Y-%m') as month,
    channel,
    coalesce(sum(amount) filter (where team = 'marketing'), 0) as marketing_cost,
    coalesce(sum(amount) filter (where team = 'sales'), 0) as sales_cost
  from cost_months
  group by all
),
lead_channels as (
  -- A lead keeps its own channel when costs are booked to it; the long tail goes to its group.
  select
    *,
    case when channel in (select channel from costs) then channel else channel_group end as cost_channel
  from report_leads
),
events as (
  select strftime(entered_at, '%Y-%m') as month, cost_channel as channel, 1 as leads, 0 as mqls, 0 as sqls, 0 as won
  from lead_channels where entered_at is not null
  union all
  select strftime(eff_mql_at, '%Y-%m'), cost_channel, 0, 1, 0, 0
  from lead_channels where $mql and eff_mql_at is not null
  union all
  select strftime(eff_sql_at, '%Y-%m'), cost_channel, 0, 0, 1, 0
  from lead_channels where $sql and eff_sql_at is not null
  union all
  select strftime(eff_won_at, '%Y-%m'), cost_channel, 0, 0, 0, 1
  from lead_channels where $won and eff_won_at is not null
),
counts as (
  select month, channel, sum(leads) as leads, sum(mqls) as mqls, sum(sqls) as sqls, sum(won) as won
  from events
  group by all
),
joined as (
  select
    coalesce(c.month, n.month) as month,
    coalesce(c.channel, n.channel) as channel,
    coalesce(c.marketing_cost, 0) as marketing_cost,
    coalesce(c.sales_cost, 0) as sales_cost,
    coalesce(n.leads, 0) as leads,
    coalesce(n.mqls, 0) as mqls,
    coalesce(n.sqls, 0) as sqls,
    coalesce(n.won, 0) as won,
    c.month is not null as has_cost_row
  from cost_month c
  full join counts n on n.month = c.month and n.channel = c.channel
  where coalesce(c.month, n.month) <= $last_month
),
shared as (
  select
    *,
    sum(case when channel = 'unallocated' then marketing_cost + sales_cost else 0 end)
      over (partition by month) as month_unallocated,
    sum(case when channel = 'unallocated' then 0 else sqls end) over (partition by month) as month_sqls,
    bool_or(has_cost_row) over (partition by month) as month_has_cost
  from joined
)
select
  month,
  ${quarterSql("(month || '-01')::date")} as quarter,
  channel,
  marketing_cost::double as marketing_cost,
  sales_cost::double as sales_cost,
  (case when channel <> 'unallocated' and month_sqls > 0 then month_unallocated * sqls / month_sqls else 0 end)::double
    as unallocated_share,
  leads::integer as leads,
  mqls::integer as mqls,
  sqls::integer as sqls,
  won::integer as won,
  month_has_cost
from shared
order by month, channel
`;

const COST_AFTER_SQL = `
select coalesce(sum(amount * greatest(0, date_diff('day', greatest(period_start, $after::date), period_end) + 1)
                / (date_diff('day', period_start, period_end) + 1)), 0)::double as amount
from costs
where period_end >= $after::date and period_end >= period_start
`;

function missingNotes(r: CostReport["recorded"], c: Coverage): string[] {
  const notes: string[] = [];
  if (c.leads === 0) notes.push("No leads are loaded.");
  if (!r.costs) {
    notes.push(
      "No costs are loaded, so no cost per SQL can be computed. Load a costs file " +
        "(one row per period, channel and team, marketing or sales, with the amount) and rebuild.",
    );
  }
  if (!r.sql) {
    notes.push(
      "The data records no SQL stage (no stage change or lifecycle value 'sql'), so there are no SQLs " +
        "to divide the cost by.",
    );
  }
  if (r.costs && !c.costUnallocated) {
    notes.push("No cost is booked to 'unallocated': every cost belongs to a channel.");
  }
  return notes;
}

export async function costPerSqlReport(
  conn: DuckDBConnection,
  settings: ReportSettings,
): Promise<CostReport> {
  const asOf = await resolveAsOf(conn, settings);
  const milestones = await prepareMilestones(conn);
  const coverage = await readCoverage(conn);
  const recordedStage = (k: string) => milestones.stages.some((s) => s.key === k && s.recorded);
  const recorded = {
    mql: recordedStage("mql"),
    sql: recordedStage("sql"),
    won: recordedStage("won"),
    costs: coverage.costs > 0,
  };
  const lastMonth = asOf.date ? asOf.date.slice(0, 7) : "9999-12";
  const months = await queryRows<CostMonthRow>(conn, MONTHS_SQL, {
    mql: recorded.mql,
    sql: recorded.sql,
    won: recorded.won,
    last_month: lastMonth,
  });
  const costAfter = asOf.date
    ? ((
        await queryRows<{ amount: number }>(conn, COST_AFTER_SQL, {
          after: nextMonthStart(lastMonth),
        })
      )[0]?.amount ?? 0)
    : 0;
  const channelCost = new Map<string, number>();
  const channelLeads = new Map<string, number>();
  let unallocatedTotal = 0;
  let shared = 0;
  for (const m of months) {
    const cost = m.marketing_cost + m.sales_cost;
    channelCost.set(m.channel, (channelCost.get(m.channel) ?? 0) + cost);
    channelLeads.set(m.channel, (channelLeads.get(m.channel) ?? 0) + m.leads);
    if (m.channel === "unallocated") unallocatedTotal += cost;
    shared += m.unallocated_share;
  }
  const channels = [...channelCost.keys()]
    .filter((c) => c !== "unallocated")
    .sort(
      (a, b) =>
        (channelCost.get(b) ?? 0) - (channelCost.get(a) ?? 0) ||
        (channelLeads.get(b) ?? 0) - (channelLeads.get(a) ?? 0) ||
        a.localeCompare(b),
    );
  return {
    asOf,
    currency: settings.currency,
    recorded,
    months,
    channels,
    periods: periodOptions(
      months.map((m) => m.quarter),
      asOf.quarter,
    ),
    unallocated: { total: unallocatedTotal, shared, notShared: Math.max(0, unallocatedTotal - shared) },
    costAfterAsOf: costAfter,
    coverage,
    missing: missingNotes(recorded, coverage),
  };
}

function nextMonthStart(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}
