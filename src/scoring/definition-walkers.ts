import { requiredFieldColumns } from "./labels.ts";
import type { Condition, Definition, NegativeCriterion } from "./schema.ts";
import { asList } from "./sql-fragments.ts";

/**
 * Walks over a definition: which lead columns, activity types and regular expressions it reads, each
 * with its path in the file (for checks against the data and before a query is built).
 */

/** A negative criterion's conditions: its any_of list, or itself. */
export function conditionsOf(n: NegativeCriterion): Condition[] {
  return n.any_of ?? [n];
}

/** Every lead column a definition reads, with where it is read (for checks against the data). */
export function columnsUsed(def: Definition): { column: string; path: (string | number)[] }[] {
  const out: { column: string; path: (string | number)[] }[] = [];
  for (const section of ["fit", "situational"] as const) {
    def[section].forEach((c, i) => {
      out.push({ column: c.column, path: [section, i, "column"] });
    });
  }
  def.negative.forEach((n, i) => {
    if (n.any_of) {
      n.any_of.forEach((c, j) => {
        if (c.column) out.push({ column: c.column, path: ["negative", i, "any_of", j, "column"] });
      });
    } else if (n.column) out.push({ column: n.column, path: ["negative", i, "column"] });
  });
  def.completeness?.fields.forEach((f, i) => {
    for (const column of requiredFieldColumns(f)) out.push({ column, path: ["completeness", "fields", i] });
  });
  return out;
}

/** Every activity type a definition counts, with where. */
export function activityTypesUsed(def: Definition): { type: string; path: (string | number)[] }[] {
  const out: { type: string; path: (string | number)[] }[] = [];
  def.engagement.criteria.forEach((c, i) => {
    for (const type of asList(c.activity))
      out.push({ type, path: ["engagement", "criteria", i, "activity"] });
  });
  def.negative.forEach((n, i) => {
    const conds = n.any_of
      ? n.any_of.map((c, j) => ({ c, path: ["negative", i, "any_of", j] }))
      : [{ c: n as Condition, path: ["negative", i] }];
    for (const { c, path } of conds) {
      for (const type of asList(c.activity)) out.push({ type, path: [...path, "activity"] });
    }
  });
  return out;
}

/** Every regular expression in a definition, with where (checked by DuckDB's RE2 before use). */
export function patternsUsed(def: Definition): { pattern: string; path: (string | number)[] }[] {
  const out: { pattern: string; path: (string | number)[] }[] = [];
  for (const section of ["fit", "situational"] as const) {
    def[section].forEach((c, i) => {
      (c.values ?? []).forEach((r, j) => {
        if (r.matches) out.push({ pattern: r.matches, path: [section, i, "values", j, "matches"] });
      });
    });
  }
  def.negative.forEach((n, i) => {
    if (n.matches) out.push({ pattern: n.matches, path: ["negative", i, "matches"] });
    n.any_of?.forEach((c, j) => {
      if (c.matches) out.push({ pattern: c.matches, path: ["negative", i, "any_of", j, "matches"] });
    });
  });
  return out;
}
