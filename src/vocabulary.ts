/**
 * The product's words, at the bottom of every layer: the lifecycle stages and the funnel they form,
 * the closed lists some columns accept, and the canonical tables. Every other module (load, db,
 * scoring, calibrate, thresholds, report) takes these from here and defines none of its own.
 */

/** Every lifecycle stage a lead can be recorded in (the stage history accepts these). */
export const STAGES = [
  "lead",
  "mql",
  "sql",
  "opportunity",
  "won",
  "lost",
  "disqualified",
  "recycled",
] as const;
export type Stage = (typeof STAGES)[number];

/** The funnel, in order: a lead at a stage has passed every stage before it. */
export const FUNNEL_STAGES = ["lead", "mql", "sql", "opportunity", "won"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Index of a stage in the funnel (-1 for stages off the funnel: lost, disqualified, recycled). */
export function funnelIndex(stage: string): number {
  return (FUNNEL_STAGES as readonly string[]).indexOf(stage);
}

/** The stage and every later one in the funnel. */
export function stageAndLater(stage: FunnelStage): FunnelStage[] {
  return FUNNEL_STAGES.slice(funnelIndex(stage));
}

export const DEAL_OUTCOMES = ["won", "lost", "open"] as const;
export const TOUCH_KINDS = ["call", "email", "meeting"] as const;
export const TEAMS = ["marketing", "sales"] as const;
export const PARTIES = ["first", "third"] as const;
export const EMAIL_DOMAIN_KINDS = ["business", "personal", "student", "competitor", "unknown"] as const;

export const CANONICAL_TABLES = [
  "leads",
  "lead_stage_changes",
  "activities",
  "sales_touches",
  "deals",
  "costs",
  "accounts",
] as const;
export type CanonicalTable = (typeof CANONICAL_TABLES)[number];
