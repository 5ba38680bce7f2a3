import {
  AUTHORITY_WEIGHTS,
  CHANNEL_SPECS,
  CHANNELS,
  COUNTRIES,
  DEPARTMENT_WEIGHTS,
  HOUR_WEIGHTS,
  INDUSTRIES,
  SENIORITY_WEIGHTS,
} from "./names.ts";
import { pickCase } from "./random.ts";

/**
 * demo_leads: one row per lead, with what the leads file shows (firmographics, person, BANT, channel)
 * and what it hides (the latent engagement `g` and intent `h`, the eventual MQL moment).
 *
 * Leads are spread over the window with a growing trend and fewer leads at weekends and at night;
 * created_at never decreases with the lead number, so lead ids read in time order as in a real CRM.
 * BANT fields are captured on the form that created the lead, so they are known at creation.
 */

/** Authority depends on seniority: one weighted pick per seniority level. */
const authorityCase = `(case sen_ix ${AUTHORITY_WEIGHTS.map((w, j) => `when ${j + 1} then ${pickCase("rnd(i, 40)", w)}`).join(" ")} end)`;

export const DAYS_SQL = `
create or replace temp table demo_days as
with d as (
  select day_idx::integer as day_idx,
    (1.0 + 0.6 * day_idx / getvariable('ndays'))
      * (case when isodow(getvariable('start_ts')::date + day_idx::integer) >= 6 then 0.3 else 1.0 end) as w
  from range(getvariable('ndays')) t(day_idx)
)
select day_idx, (sum(w) over (order by day_idx) - w) / sum(w) over () as lo, w / sum(w) over () as width
from d`;

export const LEADS_SQL = `
create or replace temp table demo_leads as
with spread as (
  select i, (i - 1 + rnd(i, 1)) / getvariable('n') as u
  from range(1, getvariable('n') + 1) t(i)
),
dated as (
  select s.i, d.day_idx, least(greatest((s.u - d.lo) / d.width, 0.0), 0.999999) as f
  from spread s asof join demo_days d on s.u >= d.lo
),
timed as (
  select i, day_idx, f, ${pickCase("f", HOUR_WEIGHTS)} as hr from dated
),
base as (
  select i,
    getvariable('start_ts') + to_days(day_idx) + to_hours(hr - 1)
      + secs(3600 * least(greatest((f - getvariable('hour_lo')[hr]) / getvariable('hour_w')[hr], 0.0), 0.9999))
      as created_at,
    floor(getvariable('ncomp') * pow(rnd(i, 2), 1.6))::bigint as company_idx
  from timed
),
firm as (
  select b.*,
    ${pickCase(
      "rnd(company_idx, 201)",
      COUNTRIES.map((c) => c.weight),
    )} as country_ix,
    ${pickCase(
      "rnd(company_idx, 202)",
      INDUSTRIES.map((x) => x.weight),
    )} as industry_ix,
    greatest(1, least(250000, round(exp(ln(120) + 1.7 * rnorm(company_idx, 203)))))::integer as employees_true,
    exp(0.35 * rnorm(company_idx, 204)) as revenue_noise,
    rnd(company_idx, 205) as suffix_u,
    getvariable('prefixes')[1 + company_idx % len(getvariable('prefixes'))] as prefix,
    getvariable('roots')[1 + (company_idx // len(getvariable('prefixes'))) % len(getvariable('roots'))] as root,
    company_idx // (len(getvariable('prefixes')) * len(getvariable('roots'))) as name_round
  from base b
),
person as (
  select f.*,
    ${pickCase("rnd(i, 10)", SENIORITY_WEIGHTS)} as sen_ix,
    ${pickCase("rnd(i, 11)", DEPARTMENT_WEIGHTS)} as dep_ix,
    choose(rnd(i, 12), getvariable('first_names')) as first_name,
    choose(rnd(i, 13), getvariable('last_names')) as last_name,
    rnd(i, 14) as email_u,
    exp(0.9 * rnorm(i, 20) - 0.405) as g,
    ${pickCase(
      "rnd(i, 30)",
      CHANNELS.map((c) => CHANNEL_SPECS[c].weight),
    )} as ch_ix
  from firm f
),
kinds as (
  select p.*,
    case
      when sen_ix = 6 then (case when email_u < 0.8 then 'student' else 'personal' end)
      when email_u < 0.006 then 'competitor'
      when email_u < 0.126 then 'personal'
      when email_u < 0.151 then 'blank'
      else 'business'
    end as email_kind,
    (sen_ix = 6 and rnd(i, 15) < 0.15) or (sen_ix = 5 and rnd(i, 15) < 0.04) or rnd(i, 15) < 0.004
      as job_seeker,
    sigmoid(1.3 * rnorm(i, 21) - 0.4) * (case when sen_ix = 6 then 0.3 else 1.0 end) as h
  from person p
),
company as (
  select k.*,
    case when email_kind = 'competitor' then 1 + floor(rnd(i, 16) * len(getvariable('competitor_domains')))::integer end
      as comp_ix,
    slug(first_name) as first_slug,
    slug(last_name) as last_slug,
    slug(prefix || root) || (case when name_round > 0 then name_round::varchar else '' end)
      || '.' || getvariable('country_tld')[country_ix] as own_domain
  from kinds k
),
named as (
  select c.*,
    case
      when comp_ix is not null then getvariable('competitor_domains')[comp_ix]
      else own_domain
    end as work_domain,
    case
      when comp_ix is not null then getvariable('competitor_companies')[comp_ix]
      when sen_ix = 6 and rnd(i, 17) < 0.6 then null
      when rnd(i, 17) < 0.03 then null
      when getvariable('country_suffix')[country_ix] = 'Inc.' and suffix_u < 0.3 then prefix || ' ' || root || ', Inc.'
      when suffix_u < 0.6 then prefix || ' ' || root || ' ' || getvariable('country_suffix')[country_ix]
      else prefix || ' ' || root
    end as company,
    case when comp_ix is not null then 'software' else getvariable('industry_names')[industry_ix] end
      as industry_true
  from company c
),
seniority as (
  select n.*,
    getvariable('seniorities')[sen_ix] as seniority_true,
    getvariable('departments')[dep_ix] as department_true,
    case sen_ix
      when 1 then getvariable('dept_c_title')[dep_ix]
      when 2 then (case when rnd(i, 18) < 0.5 then 'VP of ' else 'VP, ' end) || getvariable('dept_function')[dep_ix]
      when 3 then (case when rnd(i, 18) < 0.5 then 'Director of ' || getvariable('dept_function')[dep_ix]
                        else getvariable('dept_function')[dep_ix] || ' Director' end)
      when 4 then getvariable('dept_function')[dep_ix] || ' Manager'
      when 5 then getvariable('dept_ic_title')[dep_ix]
      else choose(rnd(i, 18), ['Student', 'MBA Candidate', 'Graduate Student'])
    end as title_true
  from named n
)
select
  i,
  created_at,
  company_idx,
  country_ix,
  employees_true,
  email_kind,
  job_seeker,
  g,
  h,
  sen_ix,
  ch_ix,
  getvariable('channels')[ch_ix] as channel,
  getvariable('channel_source')[ch_ix] as source,
  case
    when len(getvariable('channel_campaigns')[ch_ix]) = 0 or rnd(i, 32) < 0.08 then null
    else choose(rnd(i, 31), getvariable('channel_campaigns')[ch_ix])
      || '-' || year(created_at) || 'q' || quarter(created_at)
  end as campaign,
  getvariable('channel_utm')[ch_ix] as utm_medium,
  company,
  case when rnd(i, 33) < 0.08 then null else employees_true end as employees,
  case when rnd(i, 34) < 0.3 then null
    else (round(employees_true * getvariable('industry_rpe')[industry_ix] * revenue_noise / 1000) * 1000)::bigint
  end as annual_revenue,
  case when rnd(i, 35) < 0.05 then null else industry_true end as industry,
  getvariable('country_codes')[country_ix] as country,
  first_name,
  last_name,
  case email_kind
    when 'blank' then null
    when 'business' then
      (case when rnd(i, 19) < 0.6 then first_slug || '.' || last_slug
            when rnd(i, 19) < 0.85 then left(first_slug, 1) || last_slug
            else first_slug end) || '@' || work_domain
    when 'competitor' then first_slug || '.' || last_slug || '@' || work_domain
    when 'personal' then first_slug || (case when rnd(i, 19) < 0.5 then '.' else '' end) || last_slug
      || (case when rnd(i, 22) < 0.6 then (10 + floor(rnd(i, 23) * 90))::integer::varchar else '' end)
      || '@' || choose(rnd(i, 24), getvariable('personal_domains'))
    else first_slug || '.' || last_slug || '@' || choose(rnd(i, 24), getvariable('student_domains'))
  end as email,
  case
    when rnd(i, 25) < 0.15 then null
    when getvariable('country_phone')[country_ix] = '+1'
      then '+1 ' || (201 + floor(rnd(i, 26) * 780))::integer || '-555-01' || lpad(floor(rnd(i, 27) * 100)::integer::varchar, 2, '0')
    when country_ix = 2 then '+44 20 7946 0' || lpad(floor(rnd(i, 27) * 1000)::integer::varchar, 3, '0')
    else getvariable('country_phone')[country_ix] || ' ' || (10 + floor(rnd(i, 26) * 89))::integer
      || ' ' || lpad(floor(rnd(i, 27) * 10000000)::integer::varchar, 7, '0')
  end as phone,
  case when rnd(i, 36) < 0.05 then null else title_true end as job_title,
  case when rnd(i, 37) < 0.04 then null else seniority_true end as seniority,
  case when rnd(i, 38) < 0.06 then null else department_true end as department,
  case
    when rnd(i, 39) < 0.04 + 0.12 * h then 'confirmed'
    when rnd(i, 39) < 0.16 + 0.24 * h then 'planned'
    when rnd(i, 39) < 0.41 + 0.14 * h then 'none'
  end as budget,
  getvariable('authorities')[${authorityCase}] as authority,
  case
    when rnd(i, 41) < 0.05 + 0.25 * h then 'high'
    when rnd(i, 41) < 0.25 + 0.25 * h then 'medium'
    when rnd(i, 41) < 0.45 + 0.15 * h then 'low'
  end as need,
  case
    when rnd(i, 42) < 0.03 + 0.15 * h then 'this_quarter'
    when rnd(i, 42) < 0.11 + 0.25 * h then 'next_quarter'
    when rnd(i, 42) < 0.26 + 0.25 * h then 'this_year'
    when rnd(i, 42) < 0.41 + 0.2 * h then 'none'
  end as timeline,
  case when email_kind in ('business', 'competitor') then work_domain end as company_domain,
  rnd(i, 43) < 0.07 - 0.05 * h as is_unsub,
  created_at + secs(86400 * (1 + 45 * rexp(i, 44))) as unsub_at,
  -- the activity that created the lead: 10 demo_request, 4 content_download, 6 webinar_registration, 5 form_fill
  case
    when rnd(i, 45) < 0.01 + 0.08 * h then 10
    when rnd(i, 45) < 0.28 + 0.08 * h then 4
    when rnd(i, 45) < 0.40 + 0.08 * h then 6
    else 5
  end::utinyint as creation_type,
  1 + floor(rnd(i, 46) * getvariable('nreps'))::integer as rep_ix,
  1 + floor(rnd(i, 47) * getvariable('nsdrs'))::integer as sdr_ix
from seniority`;

/**
 * The eventual MQL moment of each lead, from a model of hidden engagement and fit that the truth file
 * describes but a calibration cannot (and need not) recover. An MQL after \`end\` has not happened yet.
 */
export const MQL_SQL = `
create or replace temp table demo_mql as
with m as (
  select i, created_at, creation_type,
    getvariable('mql_intercept')
      + 1.1 * ln(g) + 2.5 * (h - 0.4)
      + (case when creation_type = 10 then 2.5 else 0 end)
      + (case when employees_true between 200 and 4999 then 0.3 else 0 end)
      + (case when sen_ix <= 3 then 0.3 else 0 end)
      + (case email_kind when 'personal' then -1.2 when 'student' then -2.5 when 'competitor' then -2.5 else 0 end)
      + (case when is_unsub then -1.0 else 0 end)
      + (case when job_seeker then -1.5 else 0 end) as mql_logit
  from demo_leads
)
select i,
  rnd(i, 50) < sigmoid(mql_logit) as mql_eventual,
  created_at + case
    when creation_type = 10 then secs(600 + least(86400, 10800 * rexp(i, 51)))
    else secs(86400 * least(150.0, greatest(0.05, exp(ln(7) + 0.9 * rnorm(i, 52)))))
  end as mql_at
from m`;
