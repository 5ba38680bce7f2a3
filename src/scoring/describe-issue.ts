import type { z } from "zod";
import { closest } from "./closest.ts";

// What zod says is wrong with a definition, in words a marketer can act on, and the line it points at.

/** For an unknown key the useful line is the key's own, not its parent's. */
export function issueAnchor(issue: z.core.$ZodIssue, path: (string | number)[]): (string | number)[] {
  if (issue.code === "unrecognized_keys" && issue.keys[0]) return [...path, issue.keys[0]];
  return path;
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = raw;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "an empty value";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return String(v);
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (field: value lines)",
  literal: "a fixed value",
};

/** One zod issue in words a marketer can act on. */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown, path: (string | number)[]): string {
  const value = valueAt(raw, path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (value === undefined) return `is required (expected ${expected})`;
      return `expected ${expected}, got ${show(value)}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}, got ${show(value)}`
        : `expected one of ${issue.values.map((v) => String(v)).join(", ")}; got ${show(value)}`;
    case "unrecognized_keys": {
      return issue.keys
        .map((k) => {
          const guess = closest(k, ALL_FIELDS);
          return `unknown field ${k}${guess ? ` (did you mean ${guess}?)` : ""}`;
        })
        .join("; ");
    }
    case "too_small":
      if (!/^Too small/.test(issue.message)) return `${issue.message}, got ${show(value)}`;
      if (issue.origin === "array")
        return `needs at least ${issue.minimum} entr${issue.minimum === 1 ? "y" : "ies"}`;
      if (issue.origin === "string") return "must not be empty";
      return `expected ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}, got ${show(value)}`;
    case "too_big":
      if (!/^Too big/.test(issue.message)) return `${issue.message}, got ${show(value)}`;
      if (issue.origin === "array" || issue.origin === "string")
        return `is too long (at most ${issue.maximum})`;
      return `expected ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}, got ${show(value)}`;
    case "invalid_union": {
      if (path.at(-1) === "decay" || path.at(-2) === "decay") {
        return `expected none, { half_life_days: N } or { fade_out_days: N }; got ${show(value)}`;
      }
      if (value === undefined) return "is required";
      const expected = new Set<string>();
      for (const branch of issue.errors) {
        for (const e of branch) {
          if (e.path.length === 0 && e.code === "invalid_type")
            expected.add(TYPE_WORDS[e.expected] ?? e.expected);
        }
      }
      const branchMessages = issue.errors.flatMap((b) => b.filter((e) => e.path.length > 0));
      if (branchMessages.length > 0 && typeof value === "object" && value !== null) {
        const e = branchMessages[0];
        if (e)
          return describeIssue(e, raw, [
            ...path,
            ...e.path.filter((p): p is string | number => typeof p !== "symbol"),
          ]);
      }
      return expected.size > 0
        ? `expected ${[...expected].join(" or ")}, got ${show(value)}`
        : `got ${show(value)}`;
    }
    case "invalid_format":
      return `${issue.message.replace(/^Invalid string: /, "")}; got ${show(value)}`;
    default:
      return issue.message;
  }
}

/** The fields the format allows, for "did you mean" suggestions. */
const ALL_FIELDS = [
  "version",
  "name",
  "status",
  "notes",
  "approved",
  "review",
  "outcome",
  "point_in_time",
  "fit",
  "situational",
  "engagement",
  "negative",
  "completeness",
  "thresholds",
  "grades",
  "top_reasons",
  "calibration",
  "label",
  "description",
  "column",
  "group",
  "bands",
  "values",
  "missing",
  "otherwise",
  "treat_as_missing",
  "in",
  "contains",
  "matches",
  "min",
  "max",
  "points",
  "activity",
  "detail",
  "party",
  "cap",
  "window_days",
  "decay",
  "half_life_days",
  "fade_out_days",
  "criteria",
  "within_days",
  "min_count",
  "inactive_days",
  "disqualify",
  "any_of",
  "required_for",
  "fields",
  "one_of",
  "stage",
  "min_score",
  "min_fit",
  "min_engagement",
  "on",
  "grade",
  "horizon_days",
  "days_after_created",
  "by",
  "role",
  "every",
  "next",
  "base_score",
  "base_odds",
  "points_to_double_odds",
];
