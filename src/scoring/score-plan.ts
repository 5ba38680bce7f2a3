import { conditionsOf } from "./definition-walkers.ts";
import { requiredFieldColumns } from "./labels.ts";
import { conditionKind } from "./rules.ts";
import type {
  ColumnCriterion,
  Condition,
  Decay,
  Definition,
  EngagementCriterion,
  NegativeCriterion,
  RequiredField,
} from "./schema.ts";
import { asList, type ColumnRef, conditionReadsNumber, readsNumber } from "./sql-fragments.ts";

/**
 * What the scoring query is built from: the definition's criteria with their keys in the SQL (f0,
 * s0, e0, n0, ...), the lead columns they read and the aggregates over activities. Nothing here is
 * SQL; the CTEs (./score-ctes.ts, ./activity-ctes.ts, ./result-ctes.ts) are written from it.
 */

/** Which leads to score, as of when. */
export type AsOfScope =
  /** Every lead that existed at `at` (a naive UTC timestamp 'YYYY-MM-DD HH:MM:SS[.ffffff]'). */
  | { kind: "fixed"; at: string }
  /** Each lead at its own moment, from the definition's point_in_time. */
  | { kind: "per-lead" }
  /** Moments chosen elsewhere: a table or view with columns lead_id and as_of. */
  | { kind: "table"; table: string };

export interface ScoreQueryOptions {
  scope: AsOfScope;
  /**
   * Add columns per criterion, for calibration and checks: pts_<name> (points it gave); for column
   * criteria case_<name> (the case in words: missing, a rule's label, other), rule_<name> (0 missing,
   * 1..n the rule, n+1 other) and counts_<name> (false when another member of its group applied);
   * for engagement n_<name> (events counted) and w_<name> (the events' decay factors summed: events
   * as the criterion weighs them, before points and cap); for negative hit_<name>.
   */
  withCriteria?: boolean;
}

export interface ColumnItem {
  key: string;
  section: "fit" | "situational";
  /** Position in the file, across sections (ties between reasons go to the earlier). */
  ord: number;
  c: ColumnCriterion;
  rules: NonNullable<ColumnCriterion["bands"]>;
  ref: ColumnRef;
}

export interface EngagementItem {
  key: string;
  ord: number;
  c: EngagementCriterion;
  window: number;
  decay: Decay;
}

export interface ConditionItem {
  /** Key of the condition's aggregates: <criterion key>_<index>. */
  key: string;
  c: Condition;
  /** The lead column of a column condition. */
  ref?: ColumnRef;
}

export interface NegativeItem {
  key: string;
  ord: number;
  c: NegativeCriterion;
  conds: ConditionItem[];
}

export interface FieldItem {
  key: string;
  f: RequiredField;
  refs: ColumnRef[];
}

/** One lead column as the `lt` CTE reads it: c<k>_t always, c<k>_n when some rule compares numbers. */
export interface LeadColumn {
  column: string;
  k: number;
  numeric: boolean;
}

/** An aggregate over a lead's events at its moment. */
export type Aggregate =
  /** Points times decay, summed over matching events: <key>_raw. */
  | { kind: "points"; key: string; points: number; decay: Decay }
  /** Matching events counted: <key>_n. */
  | { kind: "count"; key: string }
  /** Decay shares of matching events summed: <key>_w. */
  | { kind: "weight"; key: string; decay: Decay }
  /** Age in days of the newest event (matching ones when `matched`): <key>_last. */
  | { kind: "last"; key: string; matched: boolean };

/** Does an event count for an aggregate: its activity filter, and how recent it must be. */
export interface EventMatch {
  key: string;
  filter: Pick<EngagementCriterion, "activity" | "detail" | "party">;
  withinDays?: number;
}

/** Aggregates over one set of events: which events they match, how far back they look, which types. */
export interface Bucket {
  matches: EventMatch[];
  aggs: Aggregate[];
  lookbacks: number[];
  /** The activity types they read; null when some read every type. */
  types: Set<string> | null;
  /** The decays they weigh events by, in order of first use (column w<index> of the events). */
  decays: Decay[];
}

export interface ScorePlan {
  def: Definition;
  scope: AsOfScope;
  withCriteria: boolean;
  columns: ColumnItem[];
  engagement: EngagementItem[];
  negative: NegativeItem[];
  fields: FieldItem[];
  leadColumns: LeadColumn[];
  /** Criteria within their longest finite window (CTEs ev, eng; joined as e). */
  windowed: Bucket;
  /** Criteria over the whole history, reading only their own activity types (evu, engu; joined as u). */
  unbounded: Bucket;
}

export function planScoreQuery(def: Definition, opts: ScoreQueryOptions): ScorePlan {
  const withCriteria = opts.withCriteria ?? false;
  const leads = new LeadColumnIndex();
  let ord = 0;
  const columns: ColumnItem[] = [];
  for (const section of ["fit", "situational"] as const) {
    def[section].forEach((c, i) => {
      const rules = c.bands ?? c.values ?? [];
      const ref = leads.ref(c.column, rules.some(readsNumber));
      columns.push({ key: `${section === "fit" ? "f" : "s"}${i}`, section, ord: ord++, c, rules, ref });
    });
  }
  const engagement = def.engagement.criteria.map((c, i) => ({
    key: `e${i}`,
    ord: ord++,
    c,
    window: c.window_days ?? def.engagement.window_days,
    decay: c.decay ?? def.engagement.decay,
  }));
  const negative = def.negative.map((c, i) => {
    const key = `n${i}`;
    const conds = conditionsOf(c).map((cond, m) => ({
      key: `${key}_${m}`,
      c: cond,
      ref:
        conditionKind(cond) === "column"
          ? leads.ref(cond.column as string, conditionReadsNumber(cond))
          : undefined,
    }));
    return { key, ord: ord++, c, conds };
  });
  const fields = (def.completeness?.fields ?? []).map((f, i) => ({
    key: `r${i}`,
    f,
    refs: requiredFieldColumns(f).map((col) => leads.ref(col, false)),
  }));
  const windowed = emptyBucket();
  const unbounded = emptyBucket();
  for (const e of engagement) addEngagement(windowed, e, withCriteria);
  for (const n of negative) for (const cond of n.conds) addCondition(windowed, unbounded, cond);
  return {
    def,
    scope: opts.scope,
    withCriteria,
    columns,
    engagement,
    negative,
    fields,
    leadColumns: leads.list(),
    windowed,
    unbounded,
  };
}

function emptyBucket(): Bucket {
  return { matches: [], aggs: [], lookbacks: [], types: new Set(), decays: [] };
}

function addTypes(b: Bucket, types: string[] | null): void {
  if (types === null || b.types === null) b.types = null;
  else for (const t of types) b.types.add(t);
}

/** The index of a decay among the bucket's (its event column w<index>); -1 when not used. */
export function decayIndex(b: Bucket, d: Decay): number {
  return b.decays.findIndex((x) => JSON.stringify(x) === JSON.stringify(d));
}

function useDecay(b: Bucket, d: Decay): void {
  if (d !== "none" && decayIndex(b, d) < 0) b.decays.push(d);
}

function addEngagement(b: Bucket, e: EngagementItem, withCriteria: boolean): void {
  b.matches.push({ key: e.key, filter: e.c, withinDays: e.window });
  useDecay(b, e.decay);
  b.aggs.push({ kind: "points", key: e.key, points: e.c.points, decay: e.decay });
  b.aggs.push({ kind: "count", key: e.key });
  if (withCriteria) b.aggs.push({ kind: "weight", key: e.key, decay: e.decay });
  b.lookbacks.push(e.window);
  addTypes(b, asList(e.c.activity));
}

function addCondition(windowed: Bucket, unbounded: Bucket, { key, c }: ConditionItem): void {
  const kind = conditionKind(c);
  if (kind === "activity") {
    const b = c.within_days === undefined ? unbounded : windowed;
    b.matches.push({ key, filter: withActivity(c), withinDays: c.within_days });
    b.aggs.push({ kind: "count", key });
    if (c.within_days !== undefined) b.lookbacks.push(c.within_days);
    addTypes(b, asList(c.activity));
  } else if (kind === "inactivity") {
    if (c.activity) windowed.matches.push({ key, filter: withActivity(c) });
    windowed.aggs.push({ kind: "last", key, matched: Boolean(c.activity) });
    windowed.lookbacks.push(c.inactive_days as number);
    addTypes(windowed, c.activity ? asList(c.activity) : null);
  }
}

/** A condition that reads activities (its kind says so), as an activity filter. */
function withActivity(c: Condition): Pick<EngagementCriterion, "activity" | "detail" | "party"> {
  return c as Required<Pick<Condition, "activity">>;
}

/**
 * The lead columns a definition reads, each normalised once per lead in the `lt` CTE: c<k>_t (text,
 * lowercased and trimmed) and, only where some rule compares numbers, c<k>_n (DOUBLE).
 */
class LeadColumnIndex {
  private readonly index = new Map<string, LeadColumn>();

  ref(column: string, numeric: boolean): ColumnRef {
    let col = this.index.get(column);
    if (col === undefined) {
      col = { column, k: this.index.size, numeric: false };
      this.index.set(column, col);
    }
    col.numeric ||= numeric;
    return { text: `l.c${col.k}_t`, num: `l.c${col.k}_n` };
  }

  list(): LeadColumn[] {
    return [...this.index.values()];
  }
}
