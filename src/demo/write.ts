import { quotedString as qs } from "@duckdb/node-api";

/**
 * The demo's files, in the plain formats the leadcal-* presets read. Each is written by one COPY of a
 * fully ordered query, so the same tables always give the same bytes. Timestamps are YYYY-MM-DD HH:MM:SS,
 * UTC; blanks are empty fields.
 */

export const DEMO_FILES = {
  leads: "leads.csv",
  stageChanges: "stage_changes.csv",
  activities: "activities.csv",
  salesTouches: "sales_touches.csv",
  deals: "deals.csv",
  costs: "costs.csv",
} as const;
export type DemoFile = keyof typeof DEMO_FILES;

/**
 * Activities sorted once on their four narrow columns; the COPY then streams the table in its stored
 * order (DuckDB keeps insertion order), instead of sorting twenty million wide text rows.
 */
export const SORT_ACTIVITIES_SQL = `
create or replace temp table demo_activities_sorted as
select * from demo_activities order by occurred_at, i, k`;

export const WRITE_MACROS = [
  `create or replace temp macro lead_id(i) as 'L' || lpad(i::varchar, getvariable('id_width'), '0')`,
  `create or replace temp macro money(cents) as (cents // 100)::varchar || '.' || lpad((cents % 100)::varchar, 2, '0')`,
];

const QUERIES: Record<DemoFile, string> = {
  leads: `
with last_activity as (select i, max(occurred_at) as at from demo_activities group by i),
last_touch as (select i, max(occurred_at) as at from demo_touches group by i),
last_stage as (
  select i, arg_max(stage, epoch(entered_at) * 10 + ord) as stage, max(entered_at) as at
  from demo_stage_changes group by i
)
select lead_id(l.i) as lead_id, l.created_at, l.source, l.channel, l.campaign, l.company,
  l.employees, l.annual_revenue, l.industry, l.country, l.first_name, l.last_name, l.email, l.phone,
  l.job_title, l.seniority, l.department, l.budget, l.authority, l.need, l.timeline,
  s.stage as lifecycle_stage,
  case when f.sql_at is not null then getvariable('reps')[l.rep_ix]
       when f.mql_at is not null then getvariable('sdrs')[l.sdr_ix] end as owner,
  greatest(l.created_at, s.at, a.at, t.at) as updated_at,
  l.utm_medium, l.company_domain
from demo_leads l
join demo_funnel f using (i)
join last_stage s using (i)
left join last_activity a using (i)
left join last_touch t using (i)
order by l.i`,
  stageChanges: `
select lead_id(i) as lead_id, stage, entered_at
from demo_stage_changes
order by entered_at, i, ord`,
  activities: `
select 'A' || (i::bigint * 10000 + k)::varchar as activity_id, lead_id(i) as lead_id, occurred_at,
  activity_type_name(atype) as activity_type, activity_detail(atype, i, k, occurred_at) as detail,
  activity_party(atype) as party
from demo_activities_sorted`,
  salesTouches: `
select 'T' || (i::bigint * 1000 + k)::varchar as touch_id, lead_id(i) as lead_id, occurred_at,
  kind, getvariable('reps')[rep_ix] as rep
from demo_touches
order by occurred_at, i, k`,
  deals: `
select 'D' || lpad(i::varchar, getvariable('id_width'), '0') as deal_id, lead_id(i) as lead_id, account,
  created_at, closed_at, outcome, stage, amount,
  getvariable('reps')[rep_ix] as owner
from demo_deals
order by created_at, i`,
  costs: `
select period, channel, team, money(cents) as amount, 'USD' as currency
from demo_costs
order by period, ord, ch_ix`,
};

/** The COPY statement writing one demo file to `path` (a path the generator chose, quoted as a literal). */
export function copySql(file: DemoFile, path: string): string {
  return `copy (${QUERIES[file]}) to ${qs(path)} (format csv, header true)`;
}
