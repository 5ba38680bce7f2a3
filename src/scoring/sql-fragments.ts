import { quotedIdentifier, quotedString } from "@duckdb/node-api";
import type { Condition, Decay, EngagementCriterion, ValueRule } from "./schema.ts";

/**
 * SQL pieces built from a definition. Every identifier goes through quotedIdentifier and every text
 * through quotedString (the library's own helpers); numbers are checked finite before they are
 * written. Nothing from the definition reaches SQL any other way.
 */

export const ident = quotedIdentifier;
export const str = quotedString;

/** A finite number as a DOUBLE literal. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return `(${String(n)})::double`;
}

/** A whole number literal (points). */
export function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${n}`);
  return `(${String(n)})::integer`;
}

/** A whole number literal that may exceed 32 bits (microseconds). */
export function bigint(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${n}`);
  return `(${String(n)})::bigint`;
}

/**
 * How SQL reads one lead column: `text`, its value lowercased and trimmed (what rules match), and
 * `num`, its value as a DOUBLE or null (what bands compare). The scoring query computes both once per
 * lead in a CTE; a simple check query reads them straight from the table (directRef).
 */
export interface ColumnRef {
  text: string;
  num: string;
}

/** The column read in place, from the table or CTE aliased `alias`. */
export function directRef(alias: string, column: string): ColumnRef {
  const col = `${alias}.${ident(column)}`;
  return { text: `lower(trim(cast(${col} as varchar)))`, num: `try_cast(${col} as double)` };
}

/** Normalises a value written in the definition the same way a column's text is normalised. */
export function normalise(v: string | number | boolean): string {
  return String(v).trim().toLowerCase();
}

/** Missing: null, empty or blank, or one of the criterion's own "not known" values. */
export function missingExpr(ref: ColumnRef, treatAsMissing: (string | number | boolean)[] = []): string {
  const t = ref.text;
  const extra = treatAsMissing.map(normalise).filter((v) => v !== "");
  const list = extra.length ? ` or ${t} in (${extra.map(str).join(", ")})` : "";
  return `(${t} is null or ${t} = ''${list})`;
}

/**
 * Does the column match this rule? (the caller has already ruled out missing). Regular expressions
 * run on the trimmed value, ignoring case.
 */
export function ruleExpr(
  ref: ColumnRef,
  rule: Pick<ValueRule, "in" | "contains" | "matches" | "min" | "max">,
): string {
  if (rule.in !== undefined) {
    if (readsNumber(rule)) {
      return `coalesce(${ref.num} in (${rule.in.map((v) => num(v as number)).join(", ")}), false)`;
    }
    return `coalesce(${ref.text} in (${rule.in.map((v) => str(normalise(v))).join(", ")}), false)`;
  }
  if (rule.contains !== undefined) {
    return `coalesce(${rule.contains.map((c) => `contains(${ref.text}, ${str(normalise(c))})`).join(" or ")}, false)`;
  }
  if (rule.matches !== undefined) {
    return `coalesce(regexp_matches(${ref.text}, ${str(rule.matches)}, 'i'), false)`;
  }
  const parts = [`${ref.num} is not null`];
  if (rule.min !== undefined) parts.push(`${ref.num} >= ${num(rule.min)}`);
  if (rule.max !== undefined) parts.push(`${ref.num} < ${num(rule.max)}`);
  return `(${parts.join(" and ")})`;
}

/** Does a rule compare the column's number (`ref.num`: a band, or a list of numbers) rather than its text? */
export function readsNumber(rule: Pick<ValueRule, "in" | "contains" | "matches">): boolean {
  if (rule.in !== undefined) return rule.in.every((v) => typeof v === "number");
  return rule.contains === undefined && rule.matches === undefined;
}

/** A detail pattern with `*` wildcards as an ILIKE pattern (escaping % and _ which are literal here). */
export function likePattern(pattern: string): string {
  return pattern.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_").replaceAll("*", "%");
}

export function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Does an activity row (alias `ev`) match the filter? */
export function activityMatch(f: Pick<EngagementCriterion, "activity" | "detail" | "party">): string {
  const types = asList(f.activity);
  const parts = [`ev.activity_type in (${types.map(str).join(", ")})`];
  const details = asList(f.detail);
  if (details.length) {
    parts.push(
      `(${details.map((d) => `coalesce(ev.detail ilike ${str(likePattern(d))} escape '\\', false)`).join(" or ")})`,
    );
  }
  if (f.party) parts.push(`ev.party = ${str(f.party)}`);
  return `(${parts.join(" and ")})`;
}

/**
 * The share of an event's points left at `age` days (age >= 0):
 * half-life h: 0.5^(age/h); fade over L days: max(0, 1 - age/L); none: 1.
 */
export function decayExpr(decay: Decay, age: string): string {
  if (decay === "none") return "1.0";
  if ("half_life_days" in decay) return `pow(0.5, ${age} / ${num(decay.half_life_days)})`;
  return `greatest(0.0, 1.0 - ${age} / ${num(decay.fade_out_days)})`;
}

/** A column condition (negative criteria). */
export function columnConditionExpr(ref: ColumnRef, c: Condition): string {
  if (c.missing) return missingExpr(ref);
  return `(not ${missingExpr(ref)} and ${ruleExpr(ref, c)})`;
}

/** Does a column condition (columnConditionExpr) read the column's number? */
export function conditionReadsNumber(c: Condition): boolean {
  return !c.missing && readsNumber(c);
}

/** Points as "+20" / "-15" in SQL. */
export function signed(expr: string): string {
  return `printf('%+d', ${expr})`;
}
