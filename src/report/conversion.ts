import type { DuckDBConnection } from "@duckdb/node-api";
import { wilson } from "../stats/index.ts";
import type { Milestones } from "./milestones.ts";
import { execute, queryOne, queryRows } from "./query.ts";

/**
 * Conversion whatever the dates: how many leads there are, how many converted, and the rate with
 * its Wilson 95% interval, overall and by each segment the leads carry (channel, source, industry,
 * company size band, country). It needs no date at all, so it serves the export the design calls
 * common: a leads file with a converted flag and nothing else.
 *
 * **Converted** means, per lead and counted once: the export's converted flag (`is_converted`) is
 * true, or the stage history, a deal or the lifecycle field shows the lead reached SQL or a later
 * stage (opportunity, won). A lead with both the flag and an SQL stage is one converted lead; a
 * lead whose flag is missing (null) and that has no later stage counts as not converted.
 *
 * **Small cells.** A value held by fewer than `MIN_CELL` leads is grouped into "Other" with the
 * other rare values, and so is any value beyond the `MAX_NAMED` largest. If "Other" would still
 * hold fewer than `MIN_CELL` leads, the smallest named values are folded into it until it does, so
 * no group (not even "Other", which the total minus the named groups would reveal) can point at a
 * handful of leads. A segment no lead has a value for is left out. Missing values form "(not set)".
 */

/** Groups smaller than this are folded into "Other". */
export const MIN_CELL = 5;
/** At most this many named groups per segment; the rest are "Other". */
export const MAX_NAMED = 12;

/** The segments, in display order. */
export const SEGMENTS = [
  { key: "channel", label: "channel" },
  { key: "source", label: "source" },
  { key: "industry", label: "industry" },
  { key: "size_band", label: "company size (employees)" },
  { key: "country", label: "country" },
] as const;
export type SegmentKey = (typeof SEGMENTS)[number]["key"];

/** Size bands by employee count, in display order ("(not set)" for no count). */
export const CONVERSION_SIZE_BANDS = ["1-49", "50-199", "200-999", "1,000+", "(not set)"] as const;

export interface RateWithInterval {
  leads: number;
  converted: number;
  /** converted / leads; null with no leads. */
  rate: number | null;
  /** Wilson 95% interval of the rate; null with no leads. */
  low: number | null;
  high: number | null;
}

/** One row per segment x group (grain). */
export interface ConversionSegmentRow extends RateWithInterval {
  segment: SegmentKey;
  group: string;
}

export interface ConversionReport {
  /** What in the data says a lead converted: the flag, the stage history (SQL or later), both, neither. */
  basis: { flag: boolean; stages: boolean };
  /** In plain words, what was counted as converted. */
  counted: string;
  /** Every lead loaded, dated or not; converted is null when nothing in the data records conversion. */
  overall: Omit<RateWithInterval, "converted"> & {
    converted: number | null;
    /** Converted by the flag, by the stage history, and by both (each lead once in `converted`). */
    byFlag: number;
    byStage: number;
    byBoth: number;
    /** Leads whose converted flag is empty, when the data has the flag. */
    flagMissing: number;
  };
  /** The segments the data has, in display order, with how many groups each shows. */
  segments: { key: SegmentKey; label: string; groups: number }[];
  /** Segments left out because no lead has a value for them. */
  absent: SegmentKey[];
  rows: ConversionSegmentRow[];
  minCell: number;
  maxNamed: number;
}

// Grain: one row per lead (lead_id), with its segment values and whether it converted.
// Needs report_leads (prepareMilestones) on the same connection, for reached_sql.
const LEAD_OUTCOMES_SQL = `
create or replace temp table report_lead_outcomes as
with
leads_in as (
  select
    l.lead_id,
    l.is_converted,
    nullif(trim(l.channel), '') as channel,
    nullif(trim(l.source), '') as source,
    nullif(trim(l.industry), '') as industry,
    case
      when l.employees is null then null
      when l.employees < 50 then '1-49'
      when l.employees < 200 then '50-199'
      when l.employees < 1000 then '200-999'
      else '1,000+'
    end as size_band,
    nullif(trim(l.country), '') as country,
    coalesce(r.reached_sql, false) as is_sql_or_later
  from leads as l
  left join report_leads as r on r.lead_id = l.lead_id
)
select
  *,
  coalesce(is_converted, false) as is_flag_converted,
  coalesce(is_converted, false) or is_sql_or_later as is_lead_converted
from leads_in
`;

const OVERALL_SQL = `
select
  count(*)::integer as leads,
  count(*) filter (where is_lead_converted)::integer as converted,
  count(*) filter (where is_flag_converted)::integer as by_flag,
  count(*) filter (where is_sql_or_later)::integer as by_stage,
  count(*) filter (where is_flag_converted and is_sql_or_later)::integer as by_both,
  count(*) filter (where is_converted is null)::integer as flag_missing,
  (count(is_converted) > 0) as has_flag
from report_lead_outcomes
`;

// Grain: one row per segment x group, rare values folded into "Other" (see the module comment).
const SEGMENTS_SQL = `
with
lead_values as (
  select
    lead_id,
    is_lead_converted,
    coalesce(channel, '(not set)') as channel,
    coalesce(source, '(not set)') as source,
    coalesce(industry, '(not set)') as industry,
    coalesce(size_band, '(not set)') as size_band,
    coalesce(country, '(not set)') as country
  from report_lead_outcomes
),
long as (
  select * from lead_values
  unpivot (value for segment in (channel, source, industry, size_band, country))
),
present as (
  select segment from long group by segment having count(*) filter (where value <> '(not set)') > 0
),
raw_groups as (
  select
    segment,
    value,
    count(*)::integer as leads,
    count(*) filter (where is_lead_converted)::integer as converted
  from long
  where segment in (select segment from present)
  group by segment, value
),
ranked as (
  select
    *,
    leads >= $min_cell and value <> 'Other' as is_big,
    row_number() over (
      partition by segment, leads >= $min_cell and value <> 'Other' order by leads desc, value
    ) as size_rank
  from raw_groups
),
pooled as (
  select *, not (is_big and size_rank <= $max_named) as is_pooled from ranked
),
pool_size as (
  select segment, coalesce(sum(leads) filter (where is_pooled), 0) as pool_leads from pooled group by segment
),
named as (
  select
    p.*,
    s.pool_leads,
    coalesce(sum(p.leads) over (
      partition by p.segment order by p.leads, p.value desc rows between unbounded preceding and 1 preceding
    ), 0) as smaller_named_leads
  from pooled as p
  join pool_size as s on s.segment = p.segment
  where not p.is_pooled
),
grouped as (
  select segment, 'Other' as value, leads, converted from pooled where is_pooled
  union all
  select
    segment,
    case when pool_leads > 0 and pool_leads + smaller_named_leads < $min_cell then 'Other' else value end,
    leads,
    converted
  from named
)
select segment, value as "group", sum(leads)::integer as leads, sum(converted)::integer as converted
from grouped
group by segment, value
order by
  list_position(['channel', 'source', 'industry', 'size_band', 'country'], segment),
  "group" = 'Other',
  "group" = '(not set)',
  case when segment = 'size_band' then list_position([${CONVERSION_SIZE_BANDS.map((b) => `'${b}'`).join(", ")}], "group") end,
  leads desc,
  "group"
`;

/** A rate and its Wilson 95% interval; nulls when there are no leads. */
export function rateWithInterval(leads: number, converted: number): RateWithInterval {
  if (leads === 0) return { leads, converted, rate: null, low: null, high: null };
  const { low, high } = wilson(converted, leads);
  return { leads, converted, rate: converted / leads, low, high };
}

function countedText(basis: ConversionReport["basis"]): string {
  if (basis.flag && basis.stages)
    return "a lead whose converted flag is true or that reached SQL or a later stage (opportunity, won), each lead counted once";
  if (basis.flag) return "a lead whose converted flag is true";
  if (basis.stages) return "a lead that reached SQL or a later stage (opportunity, won)";
  return "nothing: the data has no converted flag and no SQL or later stage";
}

/**
 * Leads, converted and the rate, overall and by segment, for every lead loaded whatever its dates.
 * `milestones` is the result of prepareMilestones on this connection (it builds report_leads).
 */
export async function conversionReport(
  conn: DuckDBConnection,
  milestones: Milestones,
): Promise<ConversionReport> {
  await execute(conn, LEAD_OUTCOMES_SQL);
  const o = await queryOne<{
    leads: number;
    converted: number;
    by_flag: number;
    by_stage: number;
    by_both: number;
    flag_missing: number;
    has_flag: boolean;
  }>(conn, OVERALL_SQL);
  const stages = milestones.stages.some(
    (s) => s.recorded && (s.key === "sql" || s.key === "opportunity" || s.key === "won"),
  );
  const basis = { flag: o.has_flag, stages };
  const known = basis.flag || basis.stages;
  const rows = known
    ? (
        await queryRows<{ segment: SegmentKey; group: string; leads: number; converted: number }>(
          conn,
          SEGMENTS_SQL,
          { min_cell: MIN_CELL, max_named: MAX_NAMED },
        )
      ).map((r) => ({ segment: r.segment, group: r.group, ...rateWithInterval(r.leads, r.converted) }))
    : [];
  const overall = rateWithInterval(o.leads, known ? o.converted : 0);
  return {
    basis,
    counted: countedText(basis),
    overall: {
      ...overall,
      converted: known ? o.converted : null,
      rate: known ? overall.rate : null,
      low: known ? overall.low : null,
      high: known ? overall.high : null,
      byFlag: o.by_flag,
      byStage: o.by_stage,
      byBoth: o.by_both,
      flagMissing: basis.flag ? o.flag_missing : 0,
    },
    segments: SEGMENTS.filter((s) => rows.some((r) => r.segment === s.key)).map((s) => ({
      key: s.key,
      label: s.label,
      groups: rows.filter((r) => r.segment === s.key).length,
    })),
    absent: known ? SEGMENTS.filter((s) => !rows.some((r) => r.segment === s.key)).map((s) => s.key) : [],
    rows,
    minCell: MIN_CELL,
    maxNamed: MAX_NAMED,
  };
}
