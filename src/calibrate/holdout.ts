import type { DuckDBConnection } from "@duckdb/node-api";
import { quarterOf } from "../db/calendar.ts";
import { UserError } from "../errors.ts";
import type { Population } from "./population.ts";

/**
 * Splits the used leads of `cal_pop` into training and holdout (column `part`: train, holdout, or
 * newer for known leads after an out-of-time holdout's quarter), and returns what it did in words.
 *
 * - `latest` (the default with dates): the holdout is the newest complete quarter cohort, the newest
 *   calendar quarter of scoring moments every one of whose leads has had its whole horizon by the end
 *   of the data; training is every used lead scored before that quarter. Leads after it whose own
 *   window has closed are left out: their quarter is not complete, so they would be a biased sample
 *   (only its earliest leads).
 * - a date: the holdout is every used lead scored on or after that date; training is before it.
 * - `stratified:F`: a seeded random share F of the used leads, the same share of converters and of
 *   the rest (the default without dates). Not out of time: every report says so.
 */
export type HoldoutRule =
  | { kind: "latest" }
  | { kind: "date"; date: string }
  | { kind: "stratified"; fraction: number };

export interface HoldoutResult {
  rule: string;
  outOfTime: boolean;
  description: string;
  notes: string[];
}

export function parseHoldout(text: string | undefined, dated: boolean): HoldoutRule {
  if (text === undefined) return dated ? { kind: "latest" } : { kind: "stratified", fraction: 0.25 };
  const t = text.trim();
  if (t === "latest") return { kind: "latest" };
  const s = /^stratified(?::(0?\.\d+|[01](?:\.0*)?))?$/.exec(t);
  if (s) {
    const fraction = s[1] === undefined ? 0.25 : Number(s[1]);
    if (!(fraction > 0 && fraction < 1)) {
      throw new UserError(
        `--holdout stratified:F needs a fraction between 0 and 1, such as stratified:0.25; got ${text}`,
      );
    }
    return { kind: "stratified", fraction };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(`${t}T00:00:00Z`)))
    return { kind: "date", date: t };
  throw new UserError(
    `--holdout: expected latest, a date (2026-01-01) or stratified:FRACTION (stratified:0.25); got ${JSON.stringify(text)}`,
  );
}

export async function assignHoldout(
  conn: DuckDBConnection,
  pop: Population,
  rule: HoldoutRule,
  opts: { seed: number; horizonDays: number },
): Promise<HoldoutResult> {
  const notes: string[] = [];
  await conn.run("alter table cal_pop add column part varchar");
  const used = "status in ('converted', 'not converted')";
  let description: string;
  let outOfTime = true;
  let label: string;
  if ((rule.kind === "latest" || rule.kind === "date") && !pop.dated) {
    throw new UserError(
      "the data has no dates, so an out-of-time holdout is impossible: use --holdout stratified:0.25 (or leave --holdout out)",
    );
  }
  if (rule.kind === "latest") {
    // The newest quarter whose every lead's horizon has passed by the end of the data.
    const rows = (
      await conn.runAndReadAll(
        `select strftime(q, '%Y-%m-%d') as q_start, strftime(q + interval 3 month, '%Y-%m-%d') as q_end
         from (select distinct date_trunc('quarter', as_of) as q from cal_pop where ${used})
         where q + interval 3 month + to_days(${Math.trunc(opts.horizonDays)}) <= $end::timestamp
         order by q desc limit 1`,
        { end: pop.end },
      )
    ).getRowObjectsJson();
    const q = rows[0];
    if (!q) {
      throw new UserError(
        `no quarter of scoring moments has had its whole ${opts.horizonDays}-day horizon by the end of the data (${pop.end}): load a longer history, shorten --horizon, or use --holdout stratified:0.25`,
      );
    }
    await conn.run(
      `update cal_pop set part = case
         when as_of < $qs::timestamp then 'train'
         when as_of < $qe::timestamp then 'holdout'
         else 'newer' end
       where ${used}`,
      { qs: String(q.q_start), qe: String(q.q_end) },
    );
    const quarter = quarterOf(String(q.q_start));
    label = "latest";
    description = `out of time: the newest complete quarter cohort (${quarter}, leads scored ${q.q_start} to before ${q.q_end}), trained on every earlier lead`;
  } else if (rule.kind === "date") {
    await conn.run(
      `update cal_pop set part = case when as_of < $d::timestamp then 'train' else 'holdout' end where ${used}`,
      { d: rule.date },
    );
    label = rule.date;
    description = `out of time: leads scored on or after ${rule.date}, trained on every earlier lead`;
  } else {
    outOfTime = false;
    // A seeded shuffle within each class: hash(seed, lead_id) orders the leads, the first F of each class are held out.
    await conn.run(
      `update cal_pop set part = s.part from (
         select lead_id, case when row_number() over (partition by y order by hash($seed::varchar || lead_id), lead_id)
                  <= round(count(*) over (partition by y) * $f::double) then 'holdout' else 'train' end as part
         from cal_pop where ${used}
       ) as s where s.lead_id = cal_pop.lead_id`,
      { seed: String(opts.seed), f: String(rule.fraction) },
    );
    label = `stratified:${rule.fraction}`;
    description = `not out of time: a seeded stratified random ${Math.round(rule.fraction * 100)}% of the leads (seed ${opts.seed}), the same share of converters and of the rest`;
    notes.push(
      "the holdout is a random sample, not out of time: the metrics say how well the points separate leads of the same period, not how they will do next quarter",
    );
  }
  const split = (
    await conn.runAndReadAll(
      `select part, count(*)::integer as leads, count(*) filter (where y)::integer as conversions
       from cal_pop where part is not null group by part`,
    )
  ).getRowObjectsJson();
  const get = (p: string) => split.find((r) => r.part === p);
  for (const p of ["train", "holdout"]) {
    const r = get(p);
    const n = Number(r?.leads ?? 0);
    const c = Number(r?.conversions ?? 0);
    if (n === 0 || c === 0 || c === n) {
      throw new UserError(
        `the ${p === "train" ? "training set" : "holdout"} (${description}) has ${n} leads and ${c} conversions: both converters and non-converters are needed. ${
          p === "holdout"
            ? "Choose another --holdout (an earlier date, or stratified:0.25)."
            : "Choose a later --holdout date or stratified:0.25."
        }`,
      );
    }
  }
  const newer = Number(get("newer")?.leads ?? 0);
  if (newer > 0)
    notes.push(
      `${newer} leads scored after the holdout quarter (their quarter is not complete yet) are left out of both`,
    );
  return { rule: label, outOfTime, description, notes };
}
