/**
 * demo_deals: one deal per opportunity, linked to its lead. Amounts grow with company size (log-normal
 * around $9,000 for a 100-person company). A deal is open until its win or loss, which may lie after `end`.
 */
export const DEALS_SQL = `
create or replace temp table demo_deals as
select f.i, f.opp_at as created_at,
  coalesce(f.won_at, f.lost_at) as closed_at,
  case when f.won_at is not null then 'won' when f.lost_at is not null then 'lost' else 'open' end as outcome,
  case
    when f.won_at is not null then 'Closed Won'
    when f.lost_at is not null then 'Closed Lost'
    when getvariable('end_ts') - f.opp_at < to_days(14) then getvariable('open_deal_stages')[1]
    when getvariable('end_ts') - f.opp_at < to_days(45) then getvariable('open_deal_stages')[2]
    else getvariable('open_deal_stages')[3]
  end as stage,
  (greatest(1500, least(750000,
    round(exp(ln(9000) + 0.45 * ln(greatest(l.employees_true, 10) / 100) + 0.5 * rnorm(f.i, 120)) / 100) * 100)))::bigint
    as amount,
  l.company as account,
  l.rep_ix
from demo_funnel f join demo_leads l using (i)
where f.opp_at is not null`;
