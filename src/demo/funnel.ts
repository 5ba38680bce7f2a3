import { SQL_MODEL, WON_MODEL } from "./truth.ts";
import { featuresQuery, logOddsExpr } from "./truth-sql.ts";

/**
 * The funnel after the MQL moment: the ground-truth features of each MQL, the outcomes drawn from the
 * truth models, the times things happen, and the stage history they make. Anything that would happen at
 * or after `end` has not happened yet (right-censoring): a recent MQL whose SQL is drawn for next month is
 * still an MQL in the files.
 */

/** The relations `featuresQuery` reads: MQLs known at `end`, and activities with their text. */
export const TRUTH_INPUT_SQL = [
  `create or replace temp view demo_truth_leads as
select l.i as lead_key, m.mql_at as moment, l.employees, l.industry, l.seniority, l.email,
  l.budget, l.authority, l.need, l.timeline
from demo_leads l join demo_mql m using (i)
where m.mql_eventual and m.mql_at < getvariable('end_ts')`,
  `create or replace temp view demo_activity_text as
select i as lead_key, occurred_at, activity_type_name(atype) as activity_type,
  activity_detail(atype, i, k, occurred_at) as detail
from demo_activities`,
];

export const FEATURES_SQL = `create or replace temp table demo_features as
${featuresQuery("demo_truth_leads", "demo_activity_text")}`;

const days = (x: string) => `secs(86400 * (${x}))`;

export const FUNNEL_SQL = `
create or replace temp table demo_funnel as
with scored as (
  select f.lead_key as i,
    sigmoid(${logOddsExpr(SQL_MODEL, "f")}) as p_sql,
    sigmoid(${logOddsExpr(WON_MODEL, "f")}) as p_won
  from demo_features f
),
drawn as (
  select l.i, l.created_at, l.email_kind, l.job_seeker,
    case when m.mql_eventual and m.mql_at < getvariable('end_ts') then m.mql_at end as mql_at,
    s.p_sql, s.p_won,
    coalesce(rnd(l.i, 80) < s.p_sql, false) as y_sql,
    coalesce(rnd(l.i, 81) < s.p_won, false) as y_won_draw,
    rnd(l.i, 85) as after_mql_u,
    rnd(l.i, 90) as after_sql_u
  from demo_leads l join demo_mql m using (i) left join scored s using (i)
),
sql_timed as (
  select *,
    case when y_sql then mql_at + (case
      when rnd(i, 82) < 0.4 then secs(least(172800, 36000 * rexp(i, 83)))
      else ${days("least(59.0, 1 + 8 * rexp(i, 84))")} end) end as sql_raw
  from drawn
),
sql_known as (
  select *, case when sql_raw < getvariable('end_ts') then sql_raw end as sql_at from sql_timed
),
paths as (
  select *,
    sql_at is not null and y_won_draw as y_won,
    case when sql_at is not null and (y_won_draw or after_sql_u < 0.55)
      then sql_at + ${days("least(30.0, 1 + 6 * rexp(i, 88))")} end as opp_raw
  from sql_known
),
raw as (
  select *,
    case when y_won then opp_raw + ${days("least(150.0, 20 + 35 * rexp(i, 89))")} end as won_raw,
    case when not y_won and opp_raw is not null then opp_raw + ${days("least(150.0, 10 + 30 * rexp(i, 91))")} end
      as lost_raw,
    case
      when sql_at is not null and not y_won and after_sql_u >= 0.55 and after_sql_u < 0.8
        then sql_at + ${days("least(60.0, 3 + 10 * rexp(i, 92))")}
      when mql_at is not null and not y_sql and after_mql_u >= 0.45 and after_mql_u < 0.65
        then mql_at + ${days("2 + least(60.0, 7 * rexp(i, 87))")}
      when mql_at is null and rnd(i, 94) < (case
          when email_kind in ('student', 'competitor') then 0.7
          when job_seeker then 0.5
          when email_kind = 'personal' then 0.15
          else 0.03 end)
        then created_at + ${days("1 + least(60.0, 10 * rexp(i, 95))")}
    end as disqualified_raw,
    case
      when sql_at is not null and not y_won and after_sql_u >= 0.8
        then sql_at + ${days("least(90.0, 10 + 20 * rexp(i, 93))")}
      when mql_at is not null and not y_sql and after_mql_u < 0.45
        then mql_at + ${days("20 + least(120.0, 25 * rexp(i, 86))")}
    end as recycled_raw
  from paths
)
select i, created_at, mql_at, sql_at, p_sql, p_won, y_sql, y_won,
  case when opp_raw < getvariable('end_ts') then opp_raw end as opp_at,
  case when won_raw < getvariable('end_ts') then won_raw end as won_at,
  case when lost_raw < getvariable('end_ts') then lost_raw end as lost_at,
  case when disqualified_raw < getvariable('end_ts') then disqualified_raw end as disqualified_at,
  case when recycled_raw < getvariable('end_ts') then recycled_raw end as recycled_at,
  opp_raw is not null and opp_raw >= getvariable('end_ts') as opp_pending
from raw`;

/** One row per lead entering a stage, with the stage's place in the funnel to break ties in time. */
export const STAGE_CHANGES_SQL = `
create or replace temp table demo_stage_changes as
select i, stage, entered_at, ord from (
  select i, 'lead' as stage, created_at as entered_at, 1 as ord from demo_funnel
  union all select i, 'mql', mql_at, 2 from demo_funnel where mql_at is not null
  union all select i, 'sql', sql_at, 3 from demo_funnel where sql_at is not null
  union all select i, 'opportunity', opp_at, 4 from demo_funnel where opp_at is not null
  union all select i, 'won', won_at, 5 from demo_funnel where won_at is not null
  union all select i, 'lost', lost_at, 6 from demo_funnel where lost_at is not null
  union all select i, 'disqualified', disqualified_at, 7 from demo_funnel where disqualified_at is not null
  union all select i, 'recycled', recycled_at, 8 from demo_funnel where recycled_at is not null
)`;
