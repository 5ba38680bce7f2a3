import { activityCtes } from "./activity-ctes.ts";
import { finalSelect, rankedCte, stagedCte } from "./result-ctes.ts";
import type { Definition } from "./schema.ts";
import { ltCte, partsCte, ptsCte, scopeCte, scoredCte, totalsCte } from "./score-ctes.ts";
import { planScoreQuery, type ScoreQueryOptions } from "./score-plan.ts";

export { activityTypesUsed, columnsUsed, patternsUsed } from "./definition-walkers.ts";
export { perLeadMomentsSql } from "./score-ctes.ts";
export type { AsOfScope, ScoreQueryOptions } from "./score-plan.ts";

/**
 * Builds the one set-based query that scores every lead in scope from a definition.
 *
 * Grain of the result: one row per lead and moment in scope (lead_id, as_of); a table of moments
 * may hold the same lead at several moments. The shape, as CTEs:
 *   scope   - which leads are scored and the moment each is scored as of;
 *   ev      - their activities before that moment, no further back than the longest window, of the
 *             types the criteria read;
 *   eng     - one row per lead and moment: decayed points and counts per engagement criterion, activity hits
 *             and the age of the last activity for negative criteria;
 *   evu/engu - the same for criteria over the whole history (an unsubscribe at any time), reading
 *             only their own activity types;
 *   lt      - the scoped leads with each column the definition reads, normalised once;
 *   parts   - one row per lead: the rule each column criterion matched, engagement points after
 *             caps and rounding, which negative criteria hold, which required fields are present;
 *   pts     - points per criterion (group alternatives resolved);
 *   totals  - fit, situational, engagement, negative, total, disqualified, completeness;
 *   staged  - grade, stage by points, stage after completeness;
 *   ranked  - the contributions ranked, as integer keys;
 * then the final select adds the probability (when calibrated) and the top reasons in words.
 *
 * The query is written from a plan of the definition (./score-plan.ts), one function per CTE
 * (./score-ctes.ts, ./activity-ctes.ts, ./result-ctes.ts).
 *
 * Point in time: activities count only when they happened strictly before as_of (the moment itself
 * is the boundary, as in "as of the start of June 30"), and a window of N days reaches back to
 * as_of - N days inclusive; a lead is in scope when it was created at or before as_of (or has no
 * creation date). Lead attributes are read as loaded (leads carry no attribute history).
 */

export interface ScoreQuery {
  sql: string;
  params: Record<string, string>;
}

/** The columns of the query's result, in order (without the per-criterion ones). */
export const SCORE_COLUMNS = [
  "lead_id",
  "as_of",
  "total",
  "fit",
  "situational",
  "engagement",
  "negative",
  "probability",
  "grade",
  "stage",
  "points_stage",
  "is_disqualified",
  "is_complete",
  "completeness",
  "missing_fields",
  "reasons",
] as const;

export function buildScoreQuery(def: Definition, opts: ScoreQueryOptions): ScoreQuery {
  const plan = planScoreQuery(def, opts);
  const params: Record<string, string> = {};
  const ctes: [string, string][] = [
    ["lt", ltCte(plan)],
    ["parts", partsCte(plan)],
    ["pts", ptsCte(plan)],
    ["totals", totalsCte(plan)],
    ["scored", scoredCte()],
    ["staged", stagedCte(plan)],
    ["ranked", rankedCte(plan)],
  ];
  const sql = `with
scope as (
  ${scopeCte(plan, params)}
)${activityCtes(plan)}${ctes.map(([name, body]) => `,\n${name} as (\n  ${body}\n)`).join("")}
${finalSelect(plan)}`;
  return { sql, params };
}
