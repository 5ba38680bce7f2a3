import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { latestMoment } from "../scoring/as-of.ts";
import type { Definition } from "../scoring/schema.ts";
import { perLeadMomentsSql } from "../scoring/score-query.ts";
import { bigint, str } from "../scoring/sql-fragments.ts";
import { funnelIndex, stageAndLater } from "../vocabulary.ts";

/**
 * The training population, point-in-time: one row per lead in the temp table `cal_pop`
 * (lead_id, as_of, y, status, quarter), where
 * - as_of is the lead's scoring moment (the definition's point_in_time);
 * - the outcome is reaching the target stage (or a later funnel stage, or the deal that implies it)
 *   strictly after as_of and before as_of + horizon;
 * - status says why a lead is or is not used: converted / not converted (used), already (it had
 *   reached the outcome by its scoring moment), open (its horizon has not passed by the end of the
 *   data: right-censored, left out rather than counted as a loss), no moment (no date to score it at),
 *   not among (with `among`: it had not reached that stage by its scoring moment).
 *
 * With no dates anywhere (an export of leads with a converted flag), the flag is the outcome, every
 * lead is scored as of one fixed moment, and point-in-time cannot be checked: `dated` is false.
 */

export type Target = "sql" | "opportunity" | "won";
/** A stage a lead must have reached by its scoring moment to be in the population (`--among`). */
export type Among = "mql" | "sql" | "opportunity";
export const AMONG_STAGES: readonly Among[] = ["mql", "sql", "opportunity"];

export interface Population {
  dated: boolean;
  /** The end of the data (midnight after its newest timestamp), null without dates. */
  end: string | null;
  /** The moment used for every lead when there are no dates. */
  fixedMoment: string | null;
  counts: { status: string; leads: number; conversions: number }[];
  used: number;
  conversions: number;
  notes: string[];
}

/** With no timestamps at all, leads are scored as of this fixed moment (nothing can fall after it). */
const UNDATED_MOMENT = "2100-01-01 00:00:00";
const DAY_US = 86_400_000_000;

/** The SQL giving, per lead, when it first reached `target` (stage history, then deals). */
function reachedSql(target: Target | Among): string {
  const stages = stageAndLater(target);
  const parts = [
    `select lead_id, entered_at as t from lead_stage_changes
     where stage in (${stages.map(str).join(", ")}) and entered_at is not null`,
  ];
  // A deal means the lead reached an opportunity (and so was sales qualified); a won deal, won.
  if (target !== "won")
    parts.push(
      "select lead_id, created_at as t from deals where lead_id is not null and created_at is not null",
    );
  parts.push(
    "select lead_id, closed_at as t from deals where lead_id is not null and closed_at is not null and outcome = 'won'",
  );
  return `select lead_id, min(t) as reached_at from (${parts.join("\nunion all\n")}) group by lead_id`;
}

export async function buildPopulation(
  conn: DuckDBConnection,
  def: Definition,
  opts: { target: Target; horizonDays: number; among?: Among },
): Promise<Population> {
  const notes: string[] = [];
  const among = opts.among;
  if (among && funnelIndex(among) >= funnelIndex(opts.target))
    throw new UserError(
      `--among ${among}: the population must be an earlier stage than the target ${opts.target} (a lead that has reached ${among} has reached ${opts.target} or is past it)`,
    );
  const end = await latestMoment(conn);
  const moments = Number(
    (
      await conn.runAndReadAll(`select count(*)::integer as n from (${perLeadMomentsSql(def.point_in_time)})`)
    ).getRowObjectsJson()[0]?.n ?? 0,
  );
  const leads = Number(
    (await conn.runAndReadAll("select count(*)::integer as n from leads")).getRowObjectsJson()[0]?.n ?? 0,
  );
  if (leads === 0)
    throw new UserError("no leads are loaded: load leads before calibrating (npx leadcal load ...)");
  const dated = moments > 0 && end !== null;
  if (dated) {
    const horizonUs = Math.round(opts.horizonDays * DAY_US);
    await conn.run(
      `create or replace temp table cal_pop as
       with m as (${perLeadMomentsSql(def.point_in_time)}),
       r as (${reachedSql(opts.target)})${among ? `,\n       a as (${reachedSql(among)})` : ""}
       select l.lead_id, m.as_of, r.reached_at,
         case
           when m.as_of is null then 'no moment'${among ? "\n           when a.reached_at is null or a.reached_at > m.as_of then 'not among'" : ""}
           when r.reached_at is not null and r.reached_at <= m.as_of then 'already'
           when m.as_of + to_microseconds(${bigint(horizonUs)}) > $end::timestamp then 'open'
           when r.reached_at is not null and r.reached_at < m.as_of + to_microseconds(${bigint(horizonUs)}) then 'converted'
           else 'not converted'
         end as status
       from leads as l
       left join m on m.lead_id = l.lead_id
       left join r on r.lead_id = l.lead_id${among ? "\n       left join a on a.lead_id = l.lead_id" : ""}`,
      { end },
    );
  } else {
    // No dates: the converted flag (or the lifecycle stage the export says the lead is in) is the outcome.
    const later = stageAndLater(opts.target);
    await conn.run(
      `create or replace temp table cal_pop as
       select l.lead_id, $moment::timestamp as as_of, null::timestamp as reached_at,
         case
           when l.is_converted is not null then case when l.is_converted then 'converted' else 'not converted' end
           when l.lifecycle_stage is not null then
             case when lower(l.lifecycle_stage) in (${later.map(str).join(", ")}) then 'converted' else 'not converted' end
           else 'no outcome'
         end as status
       from leads as l`,
      { moment: end ?? UNDATED_MOMENT },
    );
    notes.push(
      "the data has no dates to score each lead at its own moment: the converted flag is the outcome and the lead's own columns are the features; point-in-time could not be checked",
    );
    if (among)
      throw new UserError(
        `--among ${among}: the data has no dates, so whether a lead had reached ${among} when it was scored cannot be told; calibrate without --among`,
      );
  }
  await conn.run(
    `alter table cal_pop add column y boolean;
     update cal_pop set y = (status = 'converted');`,
  );
  const counts = (
    await conn.runAndReadAll(
      `select status, count(*)::integer as leads, count(*) filter (where reached_at is not null)::integer as conversions
       from cal_pop group by status order by status`,
    )
  )
    .getRowObjectsJson()
    .map((r) => ({ status: String(r.status), leads: Number(r.leads), conversions: Number(r.conversions) }));
  const used = counts.filter((c) => c.status === "converted" || c.status === "not converted");
  const n = used.reduce((a, c) => a + c.leads, 0);
  const conversions = counts.find((c) => c.status === "converted")?.leads ?? 0;
  if (dated && conversions === 0) {
    const anyReached = Number(
      (
        await conn.runAndReadAll(`select count(*)::integer as n from (${reachedSql(opts.target)})`)
      ).getRowObjectsJson()[0]?.n ?? 0,
    );
    if (anyReached === 0) {
      throw new UserError(
        `no lead in the data ever reached the target stage '${opts.target}' (no stage change, no deal): choose a target the data records with --target sql|opportunity|won`,
      );
    }
  }
  return {
    dated,
    end,
    fixedMoment: dated ? null : (end ?? UNDATED_MOMENT),
    counts,
    used: n,
    conversions,
    notes,
  };
}

/** Why each lead left out of training was left out, in words, with counts. */
export function populationReasons(
  p: Population,
  horizonDays: number,
  among?: Among,
): { reason: string; leads: number }[] {
  const words: Record<string, string> = {
    converted: "used: reached the outcome within the horizon",
    "not converted": "used: did not reach the outcome within the horizon",
    already: "left out: had already reached the outcome at its scoring moment",
    open: `left out: its ${horizonDays}-day outcome window had not closed by the end of the data (not counted as a loss)`,
    "no moment": "left out: no date to score it at (no creation date, no stage change)",
    "no outcome": "left out: no converted flag or lifecycle stage to say whether it converted",
    "not among": `left out: had not reached ${among ?? "the --among stage"} by its scoring moment (--among ${among ?? ""})`,
  };
  return p.counts.map((c) => ({ reason: words[c.status] ?? c.status, leads: c.leads }));
}

/**
 * Refuses a population a fit cannot use (no lead with a known outcome, or one class only) with a
 * UserError saying why, and returns the warning for a small one (under about 1,000 leads or 100
 * conversions, the sizes under which the commercial tools refuse).
 */
export function checkPopulation(
  pop: Population,
  o: { target: Target; horizonDays: number; among?: Among },
): string[] {
  if (pop.used === 0) {
    throw new UserError(
      `no lead can be used for calibration: ${populationReasons(pop, o.horizonDays, o.among)
        .map((r) => `${r.leads} ${r.reason}`)
        .join("; ")}`,
    );
  }
  if (pop.conversions === 0 || pop.conversions === pop.used) {
    throw new UserError(
      `of the ${pop.used} leads whose outcome is known, ${pop.conversions === 0 ? "none" : "all"} reached ${o.target} within ${o.horizonDays} days: a fit needs both converters and non-converters`,
    );
  }
  if (pop.used < 1000 || pop.conversions < 100) {
    return [
      `only ${pop.used} leads and ${pop.conversions} conversions: points fitted on fewer than about 1,000 leads or 100 conversions are noisy (the intervals below say how noisy)`,
    ];
  }
  return [];
}
