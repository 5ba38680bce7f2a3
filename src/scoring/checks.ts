import type { Check } from "../db/checks.ts";

/**
 * Table checks for the scores (same shape as src/db/checks.ts; src/checks.ts adds them to the list `check` runs).
 * lead_scores: one row per lead x definition version x as-of moment.
 */
export const SCORE_CHECKS: Check[] = [
  {
    name: "lead_scores key (lead_id, definition_version, as_of) is unique",
    table: "lead_scores",
    kind: "unique",
    failing: `select lead_id || ' / ' || definition_version || ' / ' || as_of::varchar || ' appears ' || count(*) || ' times' as example
              from lead_scores group by lead_id, definition_version, as_of having count(*) > 1`,
  },
  {
    name: "lead_scores.run_id refers to a scoring run",
    table: "lead_scores",
    kind: "relationship",
    failing:
      "select 'run ' || s.run_id as example from lead_scores s anti join score_runs r on r.run_id = s.run_id",
  },
  {
    name: "lead_scores.lead_id refers to a lead",
    table: "lead_scores",
    kind: "relationship",
    failing: "select s.lead_id as example from lead_scores s anti join leads l on l.lead_id = s.lead_id",
  },
  {
    name: "lead_scores.total = fit + situational + engagement + negative",
    table: "lead_scores",
    kind: "invariant",
    failing: `select lead_id || ': ' || total || ' <> ' || (fit + situational + engagement + negative) as example
              from lead_scores where total <> fit + situational + engagement + negative`,
  },
  {
    name: "lead_scores.negative <= 0 and 0 <= completeness <= 1",
    table: "lead_scores",
    kind: "invariant",
    failing: `select lead_id || ': negative ' || negative || ', completeness ' || completeness as example
              from lead_scores where negative > 0 or completeness < 0 or completeness > 1`,
  },
];
