import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { UserError } from "../errors.ts";
import { checkRules } from "./rules.ts";
import { type Definition, definitionSchema } from "./schema.ts";

/** A validated definition with where it came from, so later errors can point at a line. */
export interface LoadedDefinition {
  def: Definition;
  /** The file, or a label such as "(inline)". */
  origin: string;
  /** SHA-256 of the text, to tell two files with the same version apart. */
  sha256: string;
  text: string;
  /** The line (1-based) of the YAML node at this path, or of its nearest parent that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export interface DefinitionProblem {
  path: (string | number)[];
  line?: number;
  message: string;
}

/** The default definition: data/definition.yaml under the working directory. */
export const DEFAULT_DEFINITION = "data/definition.yaml";

/** Reads and validates a definition file; a problem is a UserError listing every issue with its line. */
export function loadDefinitionFile(file: string): LoadedDefinition {
  if (!existsSync(file)) throw new UserError("scoring definition not found", { file });
  return parseDefinition(readFileSync(file, "utf8"), file);
}

/** Parses definition text; `origin` names it in messages. */
export function parseDefinition(text: string, origin = "(inline)"): LoadedDefinition {
  const result = validateDefinition(text, origin);
  if (!result.ok) {
    throw new UserError(formatProblems(result.problems), { file: origin });
  }
  return result.loaded;
}

/** Like parseDefinition, but returns the problems instead of throwing (for `definition check`). */
export function validateDefinition(
  text: string,
  origin = "(inline)",
): { ok: true; loaded: LoadedDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: [],
        line: e.linePos?.[0]?.line,
        message: `not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const lineOf = (path: readonly (string | number)[]) => nodeLine(doc.contents, path, lineCounter);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        { path: [], line: 1, message: "expected a YAML mapping with version, outcome, thresholds, ..." },
      ],
    };
  }
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      return { path, line: lineOf(issueAnchor(issue, path)), message: describeIssue(issue, raw, path) };
    });
    return { ok: false, problems: dedupe(problems) };
  }
  const def = parsed.data;
  // An unquoted version is read as a number (2026.10 would become 2026.1): keep it as written.
  const versionNode = doc.get("version", true);
  if (isScalar(versionNode) && typeof versionNode.value === "number" && versionNode.range) {
    def.version = text.slice(versionNode.range[0], versionNode.range[1]).trim();
  }
  const ruleIssues = checkRules(def);
  if (ruleIssues.length > 0) {
    return {
      ok: false,
      problems: ruleIssues
        .map((r) => ({ path: r.path, line: lineOf(r.path), message: r.message }))
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    };
  }
  return {
    ok: true,
    loaded: {
      def,
      origin,
      text,
      sha256: createHash("sha256").update(text).digest("hex"),
      lineOf,
    },
  };
}

/** "line 12, fit[2] (industry).values[0].points: expected a whole number, got 1.5", one per line. */
export function formatProblems(problems: DefinitionProblem[]): string {
  const lines = problems.map((p) => `  ${formatProblem(p)}`);
  const n = problems.length;
  return `the scoring definition has ${n === 1 ? "a problem" : `${n} problems`}:\n${lines.join("\n")}`;
}

export function formatProblem(p: DefinitionProblem): string {
  const where = [p.line !== undefined ? `line ${p.line}` : undefined, formatPath(p.path)].filter(Boolean);
  return `${where.join(", ")}${where.length ? ": " : ""}${p.message}`;
}

/** fit[2].values[0].points */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function nodeLine(root: unknown, path: readonly (string | number)[], lc: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  let best: number | undefined = lineAt(node, lc);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(key));
      if (!pair) break;
      best = lineAt(pair.key as Node, lc) ?? best;
      node = pair.value as Node | null;
      if (node && !isScalar(node)) best = best ?? lineAt(node, lc);
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key] as Node | null | undefined;
      best = lineAt(node, lc) ?? best;
    } else {
      break;
    }
  }
  return best;
}

function lineAt(node: Node | null | undefined, lc: LineCounter): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lc.linePos(start).line;
}

/** For an unknown key the useful line is the key's own, not its parent's. */
function issueAnchor(issue: z.core.$ZodIssue, path: (string | number)[]): (string | number)[] {
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
function describeIssue(issue: z.core.$ZodIssue, raw: unknown, path: (string | number)[]): string {
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

/** The nearest name within a few edits (two, or a quarter of the word's length), for a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

function dedupe(problems: DefinitionProblem[]): DefinitionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${formatPath(p.path)}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
