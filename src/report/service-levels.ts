import type { DuckDBConnection } from "@duckdb/node-api";
import { addDays } from "../db/dates.ts";
import type { ReportSettings } from "../settings.ts";
import { type Coverage, readCoverage } from "./coverage.ts";
import { prepareMilestones } from "./milestones.ts";
import {
  type AsOf,
  type MedianRow,
  mediansByPeriod,
  type PeriodOption,
  periodOptions,
  quarterRange,
  quarterSql,
  resolveAsOf,
} from "./periods.ts";
import { execute, queryRows } from "./query.ts";
import { bucketCaseSql, delayBuckets } from "./service-levels-delays.ts";

/**
 * The Service levels page: does sales keep its side of the qualified-lead agreement (speed to
 * first touch, touches in the first days, status kept up to date), and does marketing deliver the
 * SQL volume it committed to?
 *
 * - The clock starts when the lead enters the SQL stage (the first dated 'sql' stage change).
 * - A touch counts if it happened at or after that moment: touches before the handover are not a
 *   response to it.
 * - Each share is over the SQLs old enough to be judged: the 30-minute share over SQLs at least
 *   30 minutes old at the as-of date, the 14-day touch count over SQLs at least 14 days old.
 *   Younger SQLs are neither passes nor failures yet.
 * - "Never updated": an SQL old enough, with no later stage (opportunity, won, lost, disqualified,
 *   recycled) and no deal created since it became an SQL.
 * - Marketing's SQL volume counts leads entering SQL by the week of the quarter they did so
 *   (a lead that skipped the SQL stage in the CRM counts at its next stage), against the settings'
 *   quarterly commitment.
 */

/** One row per SQL quarter x channel (grain): counts of SQLs, and of those meeting each policy. */
export interface SlaCubeRow {
  quarter: string;
  channel: string;
  sqls: number;
  touched: number;
  eligible_target: number;
  within_target: number;
  eligible_limit: number;
  within_limit: number;
  untouched: number;
  eligible_window: number;
  calls_ok: number;
  emails_ok: number;
  both_ok: number;
  eligible_update: number;
  never_updated: number;
}

/** One row per SQL quarter x channel x delay bucket: SQLs by time to first touch. */
export interface DelayRow {
  quarter: string;
  channel: string;
  bucket: string;
  bucket_order: number;
  sqls: number;
}

/** One row per quarter x week of the quarter (1-13): SQLs that entered that week, all channels. */
export interface WeekRow {
  quarter: string;
  week: number;
  sqls: number;
}

export interface ServiceLevelReport {
  asOf: AsOf;
  policy: ReportSettings["serviceLevels"];
  periods: PeriodOption[];
  channels: string[];
  cube: SlaCubeRow[];
  delays: DelayRow[];
  /** The delay buckets in order (bucket_order indexes them; one past the end: not touched yet). */
  buckets: { label: string; upTo: number | null }[];
  /** Median minutes from SQL to first touch (touched SQLs only), by period and channel. */
  medianMinutes: MedianRow[];
  weeks: WeekRow[];
  commitments: { quarter: string; commitment: number }[];
  /** The first day any lead entered the funnel: the first quarter may start part-way through. */
  dataFrom: string | null;
  /** Whole weeks of the as-of quarter that have passed by the as-of date. */
  asOfWeek: number | null;
  recorded: { sql: boolean; touches: boolean };
  coverage: Coverage;
  missing: string[];
}

const SQL_TOUCH_SQL = `
create or replace temp table report_sql_touch as
with
sqls as (
  select lead_id, channel_group as channel, sql_at,
         ${quarterSql("sql_at")} as quarter
  from report_leads
  where sql_at is not null and sql_at < $as_of_end::timestamp
),
touches as (
  select
    s.lead_id,
    min(t.occurred_at) as first_touch_at,
    count(*) filter (where t.kind = 'call' and t.occurred_at < s.sql_at + to_days($window_days)) as calls,
    count(*) filter (where t.kind = 'email' and t.occurred_at < s.sql_at + to_days($window_days)) as emails
  from sqls s
  join sales_touches t on t.lead_id = s.lead_id and t.occurred_at >= s.sql_at and t.occurred_at < $as_of_end::timestamp
  group by s.lead_id
),
updates as (
  select s.lead_id from sqls s
  join lead_stage_changes c on c.lead_id = s.lead_id and c.entered_at > s.sql_at
    and c.stage in ('opportunity', 'won', 'lost', 'disqualified', 'recycled')
  union
  select s.lead_id from sqls s
  join deals d on d.lead_id = s.lead_id and d.created_at >= s.sql_at
)
select
  s.quarter,
  s.channel,
  epoch(t.first_touch_at - s.sql_at) / 60.0 as minutes,
  coalesce(t.calls, 0) as calls,
  coalesce(t.emails, 0) as emails,
  u.lead_id is not null as updated,
  epoch($as_of_end::timestamp - s.sql_at) / 60.0 as age_minutes
from sqls s
left join touches t on t.lead_id = s.lead_id
left join updates u on u.lead_id = s.lead_id
`;

const CUBE_SQL = `
select
  quarter,
  channel,
  count(*)::integer as sqls,
  count(minutes)::integer as touched,
  count(*) filter (where age_minutes >= $target)::integer as eligible_target,
  count(*) filter (where age_minutes >= $target and minutes <= $target)::integer as within_target,
  count(*) filter (where age_minutes >= $limit)::integer as eligible_limit,
  count(*) filter (where age_minutes >= $limit and minutes <= $limit)::integer as within_limit,
  count(*) filter (where age_minutes >= $limit and minutes is null)::integer as untouched,
  count(*) filter (where age_minutes >= $window_minutes)::integer as eligible_window,
  count(*) filter (where age_minutes >= $window_minutes and calls >= $min_calls)::integer as calls_ok,
  count(*) filter (where age_minutes >= $window_minutes and emails >= $min_emails)::integer as emails_ok,
  count(*) filter (where age_minutes >= $window_minutes and calls >= $min_calls and emails >= $min_emails)::integer
    as both_ok,
  count(*) filter (where age_minutes >= $update_minutes)::integer as eligible_update,
  count(*) filter (where age_minutes >= $update_minutes and not updated)::integer as never_updated
from report_sql_touch
group by all
order by all
`;

const WEEKS_SQL = `
select
  ${quarterSql("eff_sql_at")} as quarter,
  least(13, date_diff('day', date_trunc('quarter', eff_sql_at)::date, eff_sql_at::date) // 7 + 1)::integer as week,
  count(*)::integer as sqls
from report_leads
where eff_sql_at is not null and eff_sql_at < $as_of_end::timestamp
group by all
order by all
`;

function missingNotes(recorded: ServiceLevelReport["recorded"], c: Coverage): string[] {
  const notes: string[] = [];
  if (!recorded.sql) {
    notes.push(
      "The data records no dated SQL stage (stage changes with stage 'sql' and a date), so there is no " +
        "moment to measure sales' response from, and no SQL volume to set against the commitment.",
    );
  }
  if (!recorded.touches) {
    notes.push(
      "No sales touches (calls, emails, meetings) are loaded, so speed to first touch and touches per SQL " +
        "cannot be measured. Load a sales-activity export (preset leadcal-sales-touches) and rebuild.",
    );
  }
  if (c.stageChanges === 0 && c.deals === 0) {
    notes.push("No stage history or deals are loaded, so status updates after SQL cannot be checked.");
  }
  return notes;
}

export async function serviceLevelReport(
  conn: DuckDBConnection,
  settings: ReportSettings,
): Promise<ServiceLevelReport> {
  const policy = settings.serviceLevels;
  const asOf = await resolveAsOf(conn, settings);
  const milestones = await prepareMilestones(conn);
  const sqlRecorded = milestones.stages.some((s) => s.key === "sql" && s.recorded);
  const coverage = await readCoverage(conn);
  const asOfEnd = asOf.date ? `${addDays(asOf.date, 1)} 00:00:00` : "9999-12-31 00:00:00";
  await execute(conn, SQL_TOUCH_SQL, { as_of_end: asOfEnd, window_days: policy.touchWindowDays });
  const cube = await queryRows<SlaCubeRow>(conn, CUBE_SQL, {
    target: policy.firstTouchTargetMinutes,
    limit: policy.firstTouchLimitMinutes,
    window_minutes: policy.touchWindowDays * 1440,
    min_calls: policy.minCalls,
    min_emails: policy.minEmails,
    update_minutes: policy.statusUpdateDays * 1440,
  });
  const buckets = delayBuckets(policy);
  const bucketSql = bucketCaseSql(buckets);
  const bucketParams = Object.fromEntries(buckets.map((b, i) => [`b${i}`, b.label]));
  const delays = await queryRows<DelayRow>(
    conn,
    `select quarter, channel, ${bucketSql.label} as bucket, (${bucketSql.order})::integer as bucket_order,
            count(*)::integer as sqls
     from report_sql_touch group by all order by all`,
    { ...bucketParams, untouched: "not touched yet" },
  );
  const weeks = sqlRecorded ? await queryRows<WeekRow>(conn, WEEKS_SQL, { as_of_end: asOfEnd }) : [];
  const quarters = [...new Set([...cube.map((r) => r.quarter), ...weeks.map((r) => r.quarter)])].sort();
  const periods = periodOptions(quarters, asOf.quarter);
  await conn.run(
    "create or replace temp table report_touch_minutes as select 'first_touch' as key, quarter, channel, minutes as value from report_sql_touch where minutes is not null",
  );
  const medianMinutes = await mediansByPeriod(conn, "report_touch_minutes", periods);
  const allQuarters = quarters.length
    ? quarterRange(quarters[0] as string, asOf.quarter ?? (quarters.at(-1) as string))
    : [];
  const commitments = allQuarters.map((quarter) => ({
    quarter,
    commitment: policy.sqlCommitmentByQuarter[quarter] ?? policy.sqlCommitmentPerQuarter,
  }));
  const [span] = await queryRows<{ first: string | null }>(
    conn,
    "select min(entered_at)::date::varchar as first from report_leads",
  );
  const channelTotals = new Map<string, number>();
  for (const r of cube) channelTotals.set(r.channel, (channelTotals.get(r.channel) ?? 0) + r.sqls);
  const recorded = {
    sql: sqlRecorded && cube.length > 0,
    touches: coverage.salesTouches > 0,
  };
  return {
    asOf,
    policy,
    periods,
    channels: [...channelTotals.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([c]) => c),
    cube,
    delays,
    buckets,
    medianMinutes,
    weeks,
    commitments,
    dataFrom: span?.first ?? null,
    asOfWeek: asOf.date ? weekOfQuarter(asOf.date) : null,
    recorded,
    coverage,
    missing: missingNotes(recorded, coverage),
  };
}

/** Week of the quarter (1-13) that a date falls in, as the weekly SQL counts number them. */
export function weekOfQuarter(date: string): number {
  const d = new Date(`${date}T00:00:00Z`);
  const qStart = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
  return Math.min(13, Math.floor((d.getTime() - qStart) / 86_400_000 / 7) + 1);
}
