import type { DuckDBConnection } from "@duckdb/node-api";
import { FUNNEL_STAGES, type FunnelStage } from "../vocabulary.ts";
import { quarterSql } from "./periods.ts";
import { queryOne } from "./query.ts";

/**
 * The report's working table: one row per lead (grain: lead_id), with the moment it entered the
 * funnel and the moment it reached each stage, merged from the stage history, the deals and the
 * export's own lifecycle field. It lives in a temporary table of the report's connection and is
 * never written to the database or shipped to the site: report queries aggregate it.
 *
 * Stages run lead -> mql -> sql -> opportunity -> won. For each stage there are two views:
 * - the observed time (`sql_at`): when the history says the lead entered that stage;
 * - the effective time (`eff_sql_at`): the earliest observed time at that stage *or any later
 *   one*, so a lead that skipped a stage in the CRM (went straight from MQL to won) still counts
 *   as having passed it, at the date of the next stage it reached.
 * `reached_sql` says the lead got there at all (dated or not, including later stages).
 */

export { FUNNEL_STAGES, type FunnelStage };

export const STAGE_LABELS: Record<FunnelStage, string> = {
  lead: "Lead",
  mql: "MQL",
  sql: "SQL",
  opportunity: "Opportunity",
  won: "Won",
};

/** How many channels and industries are shown by name; the rest are grouped as "Other". */
export const MAX_GROUPS = 12;

/** Company size bands by employee count, in display order. */
export const SIZE_BANDS = ["1-49", "50-199", "200-999", "1,000+", "Unknown"] as const;

const MILESTONES_SQL = `
create or replace temp table report_leads as
with
stage_pivot as (
  select
    lead_id,
    min(entered_at) filter (where stage = 'mql') as mql_at,
    bool_or(stage = 'mql') as has_mql,
    min(entered_at) filter (where stage = 'sql') as sql_at,
    bool_or(stage = 'sql') as has_sql,
    min(entered_at) filter (where stage = 'opportunity') as opp_at,
    bool_or(stage = 'opportunity') as has_opp,
    min(entered_at) filter (where stage = 'won') as won_at,
    bool_or(stage = 'won') as has_won,
    min(entered_at) filter (where stage in ('lost', 'disqualified')) as lost_at,
    bool_or(stage in ('lost', 'disqualified')) as has_lost,
    min(entered_at) filter (where stage <> 'lead') as first_stage_at,
    min(entered_at) filter (where stage = 'lead') as lead_stage_at
  from lead_stage_changes
  group by lead_id
),
deal_pivot as (
  select
    lead_id,
    min(created_at) as deal_created_at,
    min(closed_at) filter (where outcome = 'won') as deal_won_at,
    bool_or(outcome = 'won') as has_won_deal,
    min(closed_at) filter (where outcome = 'lost') as deal_lost_at,
    bool_or(outcome = 'lost') as has_lost_deal
  from deals
  where lead_id is not null
  group by lead_id
),
channel_column as (
  -- The channel column when the export fills it for any lead; otherwise the source column.
  select count(nullif(trim(channel), '')) > 0 as has_channel from leads
),
base as (
  select
    l.lead_id,
    coalesce(
      nullif(trim(case when cc.has_channel then l.channel else l.source end), ''), '(not set)'
    ) as channel,
    case
      when l.employees is null then 'Unknown'
      when l.employees < 50 then '1-49'
      when l.employees < 200 then '50-199'
      when l.employees < 1000 then '200-999'
      else '1,000+'
    end as size_band,
    coalesce(nullif(trim(l.industry), ''), 'Unknown') as industry_raw,
    coalesce(l.created_at, s.lead_stage_at, s.first_stage_at, d.deal_created_at, d.deal_won_at) as entered_at,
    s.mql_at,
    s.sql_at,
    least(s.opp_at, d.deal_created_at) as opp_at,
    least(s.won_at, d.deal_won_at) as won_at,
    least(s.lost_at, d.deal_lost_at) as lost_at,
    coalesce(s.has_won, false) or coalesce(d.has_won_deal, false) or coalesce(l.lifecycle_stage = 'won', false) as r_won,
    coalesce(s.has_opp, false) or d.lead_id is not null or coalesce(l.lifecycle_stage = 'opportunity', false) as r_opp,
    coalesce(s.has_sql, false) or coalesce(l.lifecycle_stage = 'sql', false) as r_sql,
    coalesce(s.has_mql, false) or coalesce(l.lifecycle_stage = 'mql', false) as r_mql,
    coalesce(s.has_lost, false) or coalesce(d.has_lost_deal, false)
      or coalesce(l.lifecycle_stage in ('lost', 'disqualified'), false) as r_lost
  from leads l
  cross join channel_column cc
  left join stage_pivot s on s.lead_id = l.lead_id
  left join deal_pivot d on d.lead_id = l.lead_id
),
channel_rank as (
  select channel, row_number() over (order by count(*) desc, channel) as rank
  from base
  group by channel
),
industry_rank as (
  select industry_raw, row_number() over (order by count(*) desc, industry_raw) as rank
  from base
  where industry_raw <> 'Unknown'
  group by industry_raw
)
select
  b.lead_id,
  b.channel,
  case when c.rank <= ${MAX_GROUPS} then b.channel else 'Other' end as channel_group,
  b.size_band,
  case when b.industry_raw = 'Unknown' then 'Unknown'
       when i.rank <= ${MAX_GROUPS} then b.industry_raw else 'Other' end as industry,
  b.entered_at,
  ${quarterSql("b.entered_at")} as cohort,
  b.mql_at,
  b.sql_at,
  b.opp_at,
  b.won_at,
  b.lost_at,
  b.won_at as eff_won_at,
  least(b.opp_at, b.won_at) as eff_opp_at,
  least(b.sql_at, b.opp_at, b.won_at) as eff_sql_at,
  least(b.mql_at, b.sql_at, b.opp_at, b.won_at) as eff_mql_at,
  b.r_won as reached_won,
  b.r_won or b.r_opp as reached_opportunity,
  b.r_won or b.r_opp or b.r_sql as reached_sql,
  b.r_won or b.r_opp or b.r_sql or b.r_mql as reached_mql,
  b.r_lost and not b.r_won as is_lost
from base b
join channel_rank c on c.channel = b.channel
left join industry_rank i on i.industry_raw = b.industry_raw
`;

const RECORDED_SQL = `
select
  (select count(*) from leads)::integer as leads,
  (select count(*) from report_leads where entered_at is null)::integer as undated_leads,
  exists (select 1 from lead_stage_changes where stage = 'mql')
    or exists (select 1 from leads where lifecycle_stage = 'mql') as mql,
  exists (select 1 from lead_stage_changes where stage = 'sql')
    or exists (select 1 from leads where lifecycle_stage = 'sql') as sql,
  exists (select 1 from lead_stage_changes where stage = 'opportunity')
    or exists (select 1 from leads where lifecycle_stage = 'opportunity')
    or exists (select 1 from deals where outcome in ('lost', 'open')) as opportunity,
  exists (select 1 from lead_stage_changes where stage = 'won')
    or exists (select 1 from leads where lifecycle_stage = 'won')
    or exists (select 1 from deals where outcome = 'won') as won,
  (select count(*) filter (where reached_mql) from report_leads)::integer as reached_mql,
  (select count(*) filter (where reached_sql) from report_leads)::integer as reached_sql
`;

export interface StageInfo {
  key: FunnelStage;
  label: string;
  /** Does the loaded data record this stage at all? */
  recorded: boolean;
  /** Is this the stage the funnel starts at (every loaded lead had already reached it)? */
  start: boolean;
}

export interface Milestones {
  stages: StageInfo[];
  /** The recorded stages from the start stage on, in funnel order. */
  funnel: FunnelStage[];
  leads: number;
  /** Leads with no date at all (no creation date, no dated stage, no deal date). */
  undatedLeads: number;
}

/**
 * Builds `report_leads` on this connection and says which stages the data records.
 * A stage is recorded if any stage change, lifecycle value or deal speaks of it; an opportunity
 * is recorded from deals only when some deal is lost or open (a list of won deals alone is not a
 * pipeline). The funnel starts at the latest stage every lead had reached: an MQL list starts at MQL.
 */
export async function prepareMilestones(conn: DuckDBConnection): Promise<Milestones> {
  await conn.run(MILESTONES_SQL);
  const r = await queryOne<{
    leads: number;
    undated_leads: number;
    mql: boolean;
    sql: boolean;
    opportunity: boolean;
    won: boolean;
    reached_mql: number;
    reached_sql: number;
  }>(conn, RECORDED_SQL);
  const recorded: Record<FunnelStage, boolean> = {
    lead: r.leads > 0,
    mql: r.mql,
    sql: r.sql,
    opportunity: r.opportunity,
    won: r.won,
  };
  let start: FunnelStage = "lead";
  if (r.leads > 0 && recorded.mql && r.reached_mql === r.leads) start = "mql";
  if (start === "mql" && recorded.sql && r.reached_sql === r.leads) start = "sql";
  const startIndex = FUNNEL_STAGES.indexOf(start);
  const stages = FUNNEL_STAGES.map((key) => ({
    key,
    label: STAGE_LABELS[key],
    recorded: recorded[key],
    start: key === start,
  }));
  const funnel = FUNNEL_STAGES.filter((s, i) => i >= startIndex && recorded[s]);
  return { stages, funnel, leads: r.leads, undatedLeads: r.undated_leads };
}

/** SQL expression: the effective time a lead reached `stage` (its entry time for the first stage). */
export function stageTimeSql(stage: FunnelStage): string {
  return stage === "lead" ? "entered_at" : `eff_${stage === "opportunity" ? "opp" : stage}_at`;
}

/** SQL expression: the observed time a lead entered `stage` (null when the history does not say). */
export function observedTimeSql(stage: FunnelStage): string {
  return stage === "lead" ? "entered_at" : `${stage === "opportunity" ? "opp" : stage}_at`;
}

/** SQL expression: did the lead reach `stage` at all? */
export function reachedSql(stage: FunnelStage): string {
  return stage === "lead" ? "true" : `reached_${stage}`;
}
