/**
 * demo_touches: calls, emails and meetings by sales after a lead becomes SQL. Service levels are mostly
 * met: about 72% of touched SQLs get a first touch within 30 minutes, about 93% within a day; about 80%
 * get the full cadence (3-5 calls and 3-5 emails within 14 days), the rest 0-2 of each; about 4% of SQLs
 * are never touched.
 * Opportunities add 1-3 meetings. The owner rep makes almost every touch.
 */
export const TOUCHES_SQL = `
create or replace temp table demo_touches as
with sqls as (
  select f.i, f.sql_at, f.opp_at, l.rep_ix,
    f.sql_at + case
      when rnd(f.i, 101) < 0.72 then secs(60 + 1740 * rnd(f.i, 102))
      when rnd(f.i, 101) < 0.93 then secs(1800 + least(84000.0, 14400 * rexp(f.i, 103)))
      else secs(86400 * (1 + 4 * rnd(f.i, 104)))
    end as first_at,
    case when rnd(f.i, 105) < 0.8 then 3 + floor(3 * rnd(f.i, 106)) else floor(3 * rnd(f.i, 106)) end::integer
      as n_calls,
    case when rnd(f.i, 105) < 0.8 then 3 + floor(3 * rnd(f.i, 108)) else floor(3 * rnd(f.i, 108)) end::integer
      as n_emails,
    case when f.opp_at is not null then 1 + floor(3 * rnd(f.i, 109)) else 0 end::integer as n_meetings
  from demo_funnel f join demo_leads l using (i)
  where f.sql_at is not null and rnd(f.i, 100) >= 0.04
),
follow_up as (
  select i, k, rep_ix,
    case when k = 0 then first_at else first_at + secs(86400 * 13.5 * rnd3(i, k, 110)) end as occurred_at,
    case when k < n_calls then 'call' else 'email' end as kind
  from (select *, unnest(range(0, greatest(1, n_calls + n_emails))) as k from sqls)
),
meetings as (
  select i, k, rep_ix,
    greatest(sql_at + to_hours(2), opp_at - to_days(1) + secs(86400 * 21 * rnd3(i, k, 111))) as occurred_at,
    'meeting' as kind
  from (select *, unnest(range(100, 100 + n_meetings)) as k from sqls)
)
select i::uinteger as i, k::usmallint as k, occurred_at, kind,
  case when rnd3(i, k, 112) < 0.05 then 1 + floor(rnd3(i, k, 113) * getvariable('nreps'))::integer else rep_ix end
    as rep_ix
from (select * from follow_up union all select * from meetings)
where occurred_at < getvariable('end_ts')`;
