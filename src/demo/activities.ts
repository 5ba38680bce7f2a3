import { ACTIVITY_TYPES } from "./truth-features.ts";

/**
 * demo_activities: engagement events, stored compactly (lead number, event number, time, type code) and
 * given their text (type name, detail, party) only when written out.
 *
 * Three kinds happen before the outcomes are drawn, so the features the outcomes depend on see them:
 *  - the activity that created the lead, at created_at (event 0);
 *  - background engagement, spread after creation (mean 45 days), as many as the lead's hidden
 *    engagement `g` says (events 1..);
 *  - for leads that will become MQL, a burst in the 30 days before the MQL moment, richer in pricing views
 *    and demo requests the higher the lead's hidden intent `h` (events 1000..);
 *  - an unsubscribe for some (event 5000); email opens and clicks stop after it.
 * A fourth kind comes after the outcomes (events 6000..): engagement after the SQL moment, heavier for
 * leads that go on to win. It is a trap for anything that is not point-in-time.
 */

/** Type codes: 1-12 follow ACTIVITY_TYPES; 13 is a page_view of a careers page (a job seeker). */
export const TYPE_CODE = Object.fromEntries(ACTIVITY_TYPES.map((t, j) => [t, j + 1])) as Record<
  (typeof ACTIVITY_TYPES)[number],
  number
>;
export const CAREERS_VIEW = 13;
export const TYPE_NAMES = [...ACTIVITY_TYPES, "page_view"];

/** A type mix: share of each type at intent h, as base + slope * h; page_view takes what is left. */
type Mix = [code: number, base: number, slope: number][];

const T = TYPE_CODE;

export const BACKGROUND_MIX: Mix = [
  [T.pricing_page_view, 0.02, 0.05],
  [T.demo_request, 0.002, 0.006],
  [T.intent_signal, 0.01, 0.03],
  [T.content_download, 0.05, 0],
  [T.webinar_registration, 0.025, 0],
  [T.webinar_attendance, 0.015, 0],
  [T.form_fill, 0.015, 0],
  [T.email_open, 0.2, 0],
  [T.email_click, 0.05, 0],
  [T.return_visit, 0.1, 0],
];

export const BURST_MIX: Mix = [
  [T.pricing_page_view, 0.05, 0.15],
  [T.demo_request, 0.02, 0.06],
  [T.intent_signal, 0.02, 0.06],
  [T.content_download, 0.12, 0],
  [T.webinar_registration, 0.04, 0],
  [T.webinar_attendance, 0.06, 0],
  [T.form_fill, 0.04, 0],
  [T.email_open, 0.1, 0],
  [T.email_click, 0.1, 0],
  [T.return_visit, 0.12, 0],
];

export const POST_SQL_MIX: Mix = [
  [T.pricing_page_view, 0.3, 0],
  [T.email_open, 0.2, 0],
  [T.email_click, 0.1, 0],
  [T.return_visit, 0.1, 0],
];

/**
 * SQL choosing a type code from a mix for a uniform `u` and intent `h`; a job seeker's page views are
 * careers pages half the time (decided by a second uniform `v`).
 */
export function mixCase(mix: Mix, u: string, h: string, jobSeeker: string, v: string): string {
  let base = 0;
  let slope = 0;
  const whens = mix.map(([code, b, s]) => {
    base += b;
    slope += s;
    return `when ${u} < ${base.toFixed(4)} + ${slope.toFixed(4)} * ${h} then ${code}`;
  });
  if (base + slope > 1) throw new Error("an activity mix adds up to more than 1");
  return `(case ${whens.join(" ")} when ${jobSeeker} and ${v} < 0.5 then ${CAREERS_VIEW} else ${T.page_view} end)::utinyint`;
}

export const ACTIVITIES_SQL = `
create or replace temp table demo_activities as
with lead as (
  select l.i, l.created_at, l.g, l.h, l.job_seeker, l.is_unsub, l.unsub_at, l.creation_type,
    m.mql_eventual, m.mql_at,
    greatest(l.created_at, m.mql_at - to_days(30)) as burst_lo,
    least(400, floor(getvariable('background_mean') * l.g * rexp(l.i, 70)))::integer as n_background,
    case when m.mql_eventual then least(60, 2 + floor(5 * sqrt(l.g) * rexp(l.i, 71))) else 0 end::integer as n_burst
  from demo_leads l join demo_mql m using (i)
),
creation as (
  select i, 0 as k, created_at as occurred_at, creation_type as atype from lead
),
background as (
  select i, k, created_at + secs(86400 * 45 * rexp3(i, k, 1)) as occurred_at,
    ${mixCase(BACKGROUND_MIX, "rnd3(i, k, 2)", "h", "job_seeker", "rnd3(i, k, 4)")} as atype
  from (select i, created_at, h, job_seeker, unnest(range(1, n_background + 1)) as k from lead)
),
burst as (
  select i, k, burst_lo + secs(date_diff('second', burst_lo, mql_at) * rnd3(i, k, 1)) as occurred_at,
    ${mixCase(BURST_MIX, "rnd3(i, k, 2)", "h", "job_seeker", "rnd3(i, k, 4)")} as atype
  from (select i, burst_lo, mql_at, h, job_seeker, unnest(range(1000, 1000 + n_burst)) as k from lead)
),
unsubscribe as (
  select i, 5000 as k, unsub_at as occurred_at, ${T.unsubscribe}::utinyint as atype from lead where is_unsub
),
every as (
  select * from creation
  union all select * from background
  union all select * from burst
  union all select * from unsubscribe
)
select e.i::uinteger as i, e.k::usmallint as k, e.occurred_at, e.atype
from every e join lead l using (i)
where e.occurred_at < getvariable('end_ts')
  and not (l.is_unsub and e.atype in (${T.email_open}, ${T.email_click}) and e.occurred_at > l.unsub_at)`;

/** Engagement after the SQL moment, appended once the outcomes are known. */
export const POST_SQL_ACTIVITIES_SQL = `
insert into demo_activities
with lead as (
  select f.i, f.sql_at, l.job_seeker, l.is_unsub, l.unsub_at,
    floor((case when f.y_won then 10 else 4 end) * rexp(f.i, 72))::integer as n_post
  from demo_funnel f join demo_leads l using (i)
  where f.sql_at is not null
),
post as (
  select i, k, sql_at + secs(3600 + 86400 * 25 * rexp3(i, k, 1)) as occurred_at,
    ${mixCase(POST_SQL_MIX, "rnd3(i, k, 2)", "0", "job_seeker", "rnd3(i, k, 4)")} as atype,
    is_unsub, unsub_at
  from (select *, unnest(range(6000, 6000 + n_post)) as k from lead)
)
select i::uinteger, k::usmallint, occurred_at, atype
from post
where occurred_at < getvariable('end_ts')
  and not (is_unsub and atype in (${T.email_open}, ${T.email_click}) and occurred_at > unsub_at)`;

/** The text of an activity: its type name, detail (page, asset, webinar, email, topic) and party. */
export const ACTIVITY_TEXT_MACROS = [
  `create or replace temp macro activity_type_name(atype) as getvariable('activity_types')[atype]`,
  `create or replace temp macro activity_party(atype) as case when atype = ${T.intent_signal} then 'third' else 'first' end`,
  `create or replace temp macro activity_detail(atype, i, k, ts) as case atype
    when ${T.page_view} then choose(rnd3(i, k, 3), getvariable('pages'))
    when ${CAREERS_VIEW} then choose(rnd3(i, k, 3), getvariable('careers_pages'))
    when ${T.pricing_page_view} then choose(rnd3(i, k, 3), getvariable('pricing_pages'))
    when ${T.return_visit} then choose(rnd3(i, k, 3), getvariable('return_pages'))
    when ${T.content_download} then choose(rnd3(i, k, 3), getvariable('assets'))
    when ${T.form_fill} then choose(rnd3(i, k, 3), getvariable('forms'))
    when ${T.webinar_registration} then 'webinar: ' || choose(rnd3(i, k, 3), getvariable('webinars')) || ' (' || left(ts::varchar, 7) || ')'
    when ${T.webinar_attendance} then 'webinar: ' || choose(rnd3(i, k, 3), getvariable('webinars')) || ' (' || left(ts::varchar, 7) || ')'
    when ${T.email_open} then choose(rnd3(i, k, 3), getvariable('emails')) || ' ' || left(ts::varchar, 7)
    when ${T.email_click} then choose(rnd3(i, k, 3), getvariable('emails')) || ' ' || left(ts::varchar, 7)
    when ${T.demo_request} then choose(rnd3(i, k, 3), getvariable('demo_forms'))
    when ${T.intent_signal} then choose(rnd3(i, k, 3), getvariable('intent_topics'))
    when ${T.unsubscribe} then choose(rnd3(i, k, 3), getvariable('unsubscribe_details'))
  end`,
];
