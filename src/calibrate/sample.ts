import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import type { SampleInfo } from "./report.ts";

/**
 * The bound on what calibration reads into JavaScript: at most `maxLeads` leads of each part of the
 * population (training, holdout, recent: open outcome windows), chosen in DuckDB before anything is
 * read. A part over the cap keeps a seeded sample: within each class (converted or not) the leads
 * with the smallest hash(lead_id, seed), as many as keep the part's share of converters, so the same
 * data and seed give the same sample. A part at or under the cap is read whole, and when no part is
 * over it nothing is sampled and every query is the one it was before (./features.ts, ./holdout-scores.ts).
 * The population's counts and windows (cal_pop) always describe every lead.
 */

/** Leads of each part read by default. */
export const MAX_LEADS = 1_000_000;
/** The smallest cap accepted: under it a fit or a holdout AUC is noise. */
export const MIN_MAX_LEADS = 1_000;

export interface Sample {
  /** SQL that narrows a query on cal_pop to the sampled leads ("" when nothing is sampled). */
  where: string;
  /** What was sampled, null when no part was over the cap. */
  info: SampleInfo | null;
}

export const UNSAMPLED: Sample = { where: "", info: null };

/** Validates the cap (`flag` names it in the message: --max-leads, or maxLeads in the library). */
export function checkMaxLeads(value: number, flag = "maxLeads"): number {
  if (!Number.isInteger(value) || value < MIN_MAX_LEADS)
    throw new UserError(
      `${flag}: expected a whole number of leads per part of at least ${MIN_MAX_LEADS.toLocaleString("en-US")}, such as 1000000; got ${value}`,
    );
  return value;
}

/** --max-leads as typed: digits, optionally grouped with _ (1_000_000). */
export function parseMaxLeads(text: string): number {
  const t = text.trim();
  if (!/^\d+(_\d+)*$/.test(t))
    throw new UserError(
      `--max-leads: expected a whole number of leads per part of at least ${MIN_MAX_LEADS.toLocaleString("en-US")}, such as 1000000; got ${JSON.stringify(text)}`,
    );
  return checkMaxLeads(Number(t.replaceAll("_", "")), "--max-leads");
}

const PART_CODE = "case when part = 'train' then 0 when part = 'holdout' then 1 else 2 end";
const READ = "part in ('train', 'holdout') or status = 'open'";

/**
 * Chooses the leads calibration reads: the temp table cal_sample (lead_id, part_code) when a part is
 * over `maxLeads`, and the SQL that narrows cal_pop to it.
 */
export async function sampleLeads(
  conn: DuckDBConnection,
  opts: { maxLeads: number; seed: number },
): Promise<Sample> {
  const sizes = (
    await conn.runAndReadAll(
      `select ${PART_CODE} as p, count(*)::bigint::varchar as n from cal_pop where ${READ} group by 1`,
    )
  ).getRowObjectsJson();
  const of = [0, 0, 0];
  for (const r of sizes) of[Number(r.p)] = Number(r.n);
  if (of.every((n) => n <= opts.maxLeads)) return UNSAMPLED;
  await conn.run(
    `create or replace temp table cal_sample as
     with p as (select lead_id, y, ${PART_CODE} as part_code from cal_pop where ${READ}),
     r as (
       select lead_id, part_code, y,
         row_number() over (partition by part_code, y order by hash(lead_id, $seed::bigint), lead_id) as k,
         count(*) over (partition by part_code) as n,
         sum(y::integer) over (partition by part_code) as n1
       from p)
     select lead_id, part_code from r
     where n <= $cap::bigint
        or k <= case when y then round($cap::double * n1 / n)
                     else $cap::bigint - round($cap::double * n1 / n) end`,
    { seed: String(opts.seed), cap: String(opts.maxLeads) },
  );
  const read = [0, 0, 0];
  for (const r of (
    await conn.runAndReadAll(
      "select part_code as p, count(*)::bigint::varchar as n from cal_sample group by 1",
    )
  ).getRowObjectsJson())
    read[Number(r.p)] = Number(r.n);
  const part = (k: number) => ({ leads: read[k] as number, of: of[k] as number });
  return {
    where: "lead_id in (select lead_id from cal_sample)",
    info: { maxLeads: opts.maxLeads, seed: opts.seed, training: part(0), holdout: part(1), recent: part(2) },
  };
}

/** The sample in one sentence, for the report's notes, the CLI and the draft ("" when nothing was sampled). */
export function describeSample(info: SampleInfo | null): string {
  if (!info) return "";
  const n = (x: number) => x.toLocaleString("en-US");
  const part = (
    p: { leads: number; of: number },
    whole: string,
    sampled: (a: string, b: string) => string,
  ) => (p.leads < p.of ? sampled(n(p.leads), n(p.of)) : whole);
  const pieces = [
    part(
      info.training,
      `fitted on all ${n(info.training.of)} training leads`,
      (a, b) => `fitted on a seeded sample of ${a} of the ${b} training leads`,
    ),
    part(
      info.holdout,
      `holdout measured on all ${n(info.holdout.of)}`,
      (a, b) => `holdout measured on ${a} of ${b}`,
    ),
    ...(info.recent.of
      ? [
          part(
            info.recent,
            `drift on all ${n(info.recent.of)} recent leads`,
            (a, b) => `drift on ${a} of ${b} recent leads`,
          ),
        ]
      : []),
  ];
  return `${pieces.join("; ")} (at most ${n(info.maxLeads)} leads of each part are read, --max-leads; a sampled part is drawn by hash of lead id and seed ${info.seed}, keeping its share of converters; the population's counts and windows are of every lead)`;
}
