import type { Condition, Definition, ValueRule } from "./schema.ts";
import { BASE_STAGE, DISQUALIFIED_STAGE } from "./schema.ts";

/**
 * Checks the schema cannot express: one way to match per rule, bands that do not overlap, names
 * that are unique, thresholds that climb. Each problem names the field path it is about.
 */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

export type RuleKind = "band" | "in" | "contains" | "matches";

/** Which way a value rule matches (a numeric band, a list, a substring, a regular expression). */
export function ruleKind(r: Pick<ValueRule, "in" | "contains" | "matches" | "min" | "max">): RuleKind | null {
  const kinds: RuleKind[] = [];
  if (r.in !== undefined) kinds.push("in");
  if (r.contains !== undefined) kinds.push("contains");
  if (r.matches !== undefined) kinds.push("matches");
  if (r.min !== undefined || r.max !== undefined) kinds.push("band");
  return kinds.length === 1 ? (kinds[0] ?? null) : null;
}

export type ConditionKind = "column" | "activity" | "inactivity";

export function conditionKind(c: Condition): ConditionKind | null {
  const kinds: ConditionKind[] = [];
  if (c.column !== undefined) kinds.push("column");
  if (c.inactive_days !== undefined) kinds.push("inactivity");
  else if (c.activity !== undefined) kinds.push("activity");
  return kinds.length === 1 ? (kinds[0] ?? null) : null;
}

/** The stage that needs complete fields: as written, else `sql` when there is one, else the top layer. */
export function completenessStage(def: Definition): string | undefined {
  if (!def.completeness) return undefined;
  if (def.completeness.required_for) return def.completeness.required_for;
  const stages = def.thresholds.map((t) => t.stage);
  return stages.includes("sql") ? "sql" : stages.at(-1);
}

export function checkRules(def: Definition): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  for (const section of ["fit", "situational"] as const) {
    const groups = new Map<string, string>();
    def[section].forEach((c, i) => {
      const at = [section, i];
      if ((c.bands === undefined) === (c.values === undefined)) {
        add(at, "give either bands (numeric ranges) or values (lists of values), not both or neither");
        return;
      }
      if (c.bands) {
        c.bands.forEach((b, j) => {
          if (b.in !== undefined || b.contains !== undefined || b.matches !== undefined) {
            add([...at, "bands", j], "a band has min and/or max only; put value lists under values");
          } else if (b.min === undefined && b.max === undefined) {
            add([...at, "bands", j], "a band needs min, max or both");
          } else if (b.min !== undefined && b.max !== undefined && b.min >= b.max) {
            add([...at, "bands", j], `min (${b.min}) must be below max (${b.max}); max is excluded`);
          }
        });
        c.bands.forEach((b, j) => {
          for (let k = 0; k < j; k++) {
            const o = c.bands?.[k];
            if (o && overlaps(o, b)) {
              add([...at, "bands", j], `overlaps bands[${k}]: each value must fall in at most one band`);
              break;
            }
          }
        });
      }
      c.values?.forEach((v, j) => {
        const kind = ruleKind(v);
        if (kind === null || kind === "band") {
          add([...at, "values", j], "a value rule needs exactly one of in, contains or matches");
        }
      });
      if (c.group) {
        const other = groups.get(c.group);
        if (other && other !== section) add([...at, "group"], `group ${c.group} is already used in ${other}`);
        groups.set(c.group, section);
      }
    });
  }
  const fitGroups = new Set(def.fit.flatMap((c) => (c.group ? [c.group] : [])));
  def.situational.forEach((c, i) => {
    if (c.group && fitGroups.has(c.group)) {
      add(
        ["situational", i, "group"],
        `group ${c.group} is already used in fit; a group stays in one section`,
      );
    }
  });

  def.negative.forEach((n, i) => {
    const at = ["negative", i];
    const inline = conditionKind(n) !== null || hasAnyConditionField(n);
    if (n.any_of && inline) {
      add(at, "give one condition inline or several under any_of, not both");
    } else if (n.any_of) {
      n.any_of.forEach((c, j) => {
        checkCondition(c, [...at, "any_of", j], add);
      });
    } else {
      checkCondition(n, at, add);
    }
  });

  const names = new Map<string, string>();
  const sections = [
    ["fit", def.fit],
    ["situational", def.situational],
    ["engagement.criteria", def.engagement.criteria],
    ["negative", def.negative],
  ] as const;
  for (const [section, list] of sections) {
    list.forEach((c, i) => {
      const seen = names.get(c.name);
      const path = [...section.split("."), i, "name"];
      if (seen) add(path, `the name ${c.name} is already used in ${seen}; names must be unique`);
      else names.set(c.name, section);
    });
  }

  const stages = new Set<string>();
  def.thresholds.forEach((t, i) => {
    if (t.stage === BASE_STAGE || t.stage === DISQUALIFIED_STAGE) {
      add(
        ["thresholds", i, "stage"],
        `${t.stage} is the stage a lead has below every threshold (or when disqualified); pick another name`,
      );
    }
    if (stages.has(t.stage)) add(["thresholds", i, "stage"], `stage ${t.stage} appears twice`);
    stages.add(t.stage);
    const prev = def.thresholds[i - 1];
    if (prev && t.min_score <= prev.min_score) {
      add(
        ["thresholds", i, "min_score"],
        `thresholds climb: ${t.stage} needs more than ${prev.stage}'s ${prev.min_score} points`,
      );
    }
  });
  const handover = def.completeness?.required_for;
  if (handover && !stages.has(handover)) {
    add(["completeness", "required_for"], `expected one of the threshold stages (${[...stages].join(", ")})`);
  }

  if (def.grades) {
    const grades = new Set<string>();
    const bands = def.grades.bands;
    bands.forEach((b, i) => {
      if (grades.has(b.grade)) add(["grades", "bands", i, "grade"], `grade ${b.grade} appears twice`);
      grades.add(b.grade);
      const last = i === bands.length - 1;
      if (last && b.min !== undefined) {
        add(
          ["grades", "bands", i, "min"],
          "the last band takes every score below the one before; remove its min",
        );
      }
      if (!last && b.min === undefined) add(["grades", "bands", i], "every band but the last needs a min");
      const prev = bands[i - 1];
      if (prev?.min !== undefined && b.min !== undefined && b.min >= prev.min) {
        add(["grades", "bands", i, "min"], `bands go from best to worst: expected a min below ${prev.min}`);
      }
    });
  }
  return issues;
}

function overlaps(a: ValueRule, b: ValueRule): boolean {
  const lo = Math.max(a.min ?? Number.NEGATIVE_INFINITY, b.min ?? Number.NEGATIVE_INFINITY);
  const hi = Math.min(a.max ?? Number.POSITIVE_INFINITY, b.max ?? Number.POSITIVE_INFINITY);
  return lo < hi;
}

function hasAnyConditionField(c: Condition): boolean {
  return (
    c.in !== undefined ||
    c.contains !== undefined ||
    c.matches !== undefined ||
    c.min !== undefined ||
    c.max !== undefined ||
    c.missing !== undefined ||
    c.detail !== undefined ||
    c.party !== undefined ||
    c.within_days !== undefined ||
    c.min_count !== undefined
  );
}

function checkCondition(
  c: Condition,
  at: (string | number)[],
  add: (path: (string | number)[], message: string) => void,
): void {
  const kind = conditionKind(c);
  if (kind === null) {
    add(
      at,
      c.column !== undefined
        ? "a condition is on a column, on activities or on inactivity: not several at once"
        : "give a condition: column (with in, contains, matches, min/max or missing), activity, or inactive_days",
    );
    return;
  }
  const activityFields = ["detail", "party", "within_days", "min_count"] as const;
  if (kind === "column") {
    const matchers = [
      c.in !== undefined,
      c.contains !== undefined,
      c.matches !== undefined,
      c.min !== undefined || c.max !== undefined,
      c.missing !== undefined,
    ].filter(Boolean).length;
    if (matchers !== 1)
      add(at, "a column condition needs exactly one of in, contains, matches, min/max or missing");
    if (c.min !== undefined && c.max !== undefined && c.min >= c.max) {
      add([...at, "min"], `min (${c.min}) must be below max (${c.max})`);
    }
    for (const f of activityFields) {
      if (c[f] !== undefined) add([...at, f], `${f} belongs to activity conditions, not column conditions`);
    }
  } else {
    for (const f of ["in", "contains", "matches", "min", "max", "missing"] as const) {
      if (c[f] !== undefined) add([...at, f], `${f} belongs to column conditions`);
    }
    if (kind === "inactivity") {
      for (const f of activityFields) {
        if (c[f] !== undefined) {
          add([...at, f], `${f} does not apply to inactive_days (only activity, to say what counts)`);
        }
      }
    }
  }
}
