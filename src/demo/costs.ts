/**
 * demo_costs: monthly cost in whole cents, for every month of the window.
 *  - marketing, per channel: the channel's leads that month times its cost per lead, +/- 15%;
 *  - sales, per channel: $55 per lead handled (the team scales with volume), +/- 15%;
 *  - unallocated (empty channel): marketing tools and brand ($4 per lead) and sales tools ($5 per lead).
 * With the demo's rates this puts the cost per SQL near $2,000.
 */
export const COSTS_SQL = `
create or replace temp table demo_costs as
with months as (
  select m as month_ix, getvariable('months')[m] as period from range(1, len(getvariable('months')) + 1) t(m)
),
channels as (
  select c as ch_ix, getvariable('channels')[c] as channel, getvariable('channel_cpl')[c] as cpl
  from range(1, len(getvariable('channels')) + 1) t(c)
),
volume as (
  select strftime(created_at, '%Y-%m') as period, ch_ix, count(*) as leads from demo_leads group by all
),
grid as (
  select m.month_ix, m.period, c.ch_ix, c.channel, c.cpl, coalesce(v.leads, 0) as leads
  from months m cross join channels c left join volume v on v.period = m.period and v.ch_ix = c.ch_ix
),
monthly as (
  select month_ix, period, sum(leads) as leads from grid group by all
)
select period, channel, 'marketing' as team,
  round(leads * cpl * 100 * (0.85 + 0.3 * rnd(month_ix * 100 + ch_ix, 300)))::bigint as cents, 1 as ord, ch_ix
from grid
union all
select period, channel, 'sales', round(leads * 5500 * (0.85 + 0.3 * rnd(month_ix * 100 + ch_ix, 301)))::bigint, 2, ch_ix
from grid
union all
select period, null, 'marketing', round(leads * 400 * (0.85 + 0.3 * rnd(month_ix, 302)))::bigint, 3, 0 from monthly
union all
select period, null, 'sales', round(leads * 500 * (0.85 + 0.3 * rnd(month_ix, 303)))::bigint, 4, 0 from monthly`;
