import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { loadDefinitionFile, parseDefinition, validateDefinition } from "../../src/scoring/index.ts";

const STARTER = "data/definition.yaml";

/** The problems a definition text has, one "line N, path: message" string each. */
function problems(text: string): string[] {
  const r = validateDefinition(text, "t.yaml");
  if (r.ok) return [];
  return r.problems.map((p) => `line ${p.line ?? "?"}, ${p.path.join(".")}: ${p.message}`);
}

const BASE = `version: "1"
outcome: { stage: sql, horizon_days: 90 }
thresholds:
  - { stage: mql, min_score: 40 }
`;

describe("the starter definition", () => {
  it("validates, with defaults filled in", () => {
    const { def } = loadDefinitionFile(STARTER);
    expect(def.version).toBe("2026.1");
    expect(def.outcome).toEqual({ stage: "sql", horizon_days: 90 });
    expect(def.thresholds.map((t) => t.stage)).toEqual(["mql", "sql"]);
    expect(def.fit.length).toBeGreaterThan(4);
    expect(def.engagement.criteria.length).toBeGreaterThan(8);
    expect(def.negative.map((n) => n.name)).toEqual([
      "personal_email",
      "student",
      "competitor",
      "job_seeker",
      "unsubscribed",
      "inactive",
    ]);
  });

  it("covers every criterion kind of DESIGN.md", () => {
    const text = readFileSync(STARTER, "utf8");
    for (const column of ["employees", "annual_revenue", "industry", "country", "seniority", "department"]) {
      expect(text).toContain(`column: ${column}`);
    }
    for (const column of ["budget", "authority", "need", "timeline"])
      expect(text).toContain(`column: ${column}`);
    for (const type of [
      "return_visit",
      "pricing_page_view",
      "content_download",
      "form_fill",
      "webinar_registration",
      "webinar_attendance",
      "email_open",
      "email_click",
      "demo_request",
      "intent_signal",
      "unsubscribe",
    ]) {
      expect(text).toContain(`activity: ${type}`);
    }
  });
});

describe("validation errors name the field, the line and what was expected", () => {
  it("accepts a minimal definition", () => {
    expect(problems(BASE)).toEqual([]);
  });

  it("keeps an unquoted version as written (2026.10 is not 2026.1)", () => {
    const { def } = parseDefinition(BASE.replace('version: "1"', "version: 2026.10"));
    expect(def.version).toBe("2026.10");
  });

  it("points at a misspelt field and suggests the right one", () => {
    const text = `${BASE}fit:\n  - name: industry\n    column: industry\n    values: [{ in: [software], pionts: 5 }]\n`;
    const p = problems(text);
    expect(p).toContainEqual("line 8, fit.0.values.0: unknown field pionts (did you mean points?)");
    expect(p).toContainEqual("line 8, fit.0.values.0.points: is required (expected a number)");
  });

  it("says what type was expected and what it got", () => {
    const p = problems(
      `${BASE}fit:\n  - name: size\n    column: employees\n    bands: [{ min: 100, points: ten }]\n`,
    );
    expect(p).toEqual(['line 8, fit.0.bands.0.points: expected a number, got "ten"']);
  });

  it("rejects fractional fit points", () => {
    const p = problems(
      `${BASE}fit:\n  - name: size\n    column: employees\n    bands: [{ min: 100, points: 2.5 }]\n`,
    );
    expect(p).toEqual(["line 8, fit.0.bands.0.points: expected a whole number, got 2.5"]);
  });

  it("lists the accepted values of an enumeration", () => {
    const p = problems(BASE.replace("stage: sql", "stage: closed"));
    expect(p).toEqual(['line 2, outcome.stage: expected one of sql, opportunity, won; got "closed"']);
  });

  it("requires the outcome, version and thresholds", () => {
    const p = problems("name: x\n");
    expect(p).toContainEqual("line 1, version: is required");
    expect(p).toContainEqual("line 1, outcome: is required (expected a mapping (field: value lines))");
    expect(p).toContainEqual("line 1, thresholds: is required (expected a list)");
  });

  it("explains the decay choices", () => {
    const p = problems(`${BASE}engagement:\n  decay: { half_life: 30 }\n`);
    expect(p).toEqual([
      "line 6, engagement.decay: expected none, { half_life_days: N } or { fade_out_days: N }; got a mapping",
    ]);
  });

  it("refuses overlapping bands and bands with min above max", () => {
    const text = `${BASE}fit:
  - name: size
    column: employees
    bands:
      - { min: 100, max: 500, points: 5 }
      - { min: 400, points: 10 }
      - { min: 50, max: 10, points: 1 }
`;
    expect(problems(text)).toEqual([
      "line 10, fit.0.bands.1: overlaps bands[0]: each value must fall in at most one band",
      "line 11, fit.0.bands.2: min (50) must be below max (10); max is excluded",
    ]);
  });

  it("wants exactly one way to match per value rule", () => {
    const text = `${BASE}fit:\n  - name: ind\n    column: industry\n    values: [{ in: [a], contains: [b], points: 1 }]\n`;
    expect(problems(text)).toEqual([
      "line 8, fit.0.values.0: a value rule needs exactly one of in, contains or matches",
    ]);
  });

  it("wants thresholds that climb and names that are unique", () => {
    const text = `version: 1
outcome: { stage: won, horizon_days: 180 }
fit:
  - { name: a, column: industry, values: [{ in: [x], points: 1 }] }
negative:
  - { name: a, column: email, missing: true, points: -5 }
thresholds:
  - { stage: mql, min_score: 40 }
  - { stage: sql, min_score: 30 }
`;
    expect(problems(text)).toEqual([
      "line 6, negative.0.name: the name a is already used in fit; names must be unique",
      "line 9, thresholds.1.min_score: thresholds climb: sql needs more than mql's 40 points",
    ]);
  });

  it("refuses positive points on a negative criterion, and a condition of two kinds", () => {
    const text = `${BASE}negative:
  - { name: x, column: email, activity: unsubscribe, missing: true, points: 5 }
`;
    expect(problems(text)).toEqual([
      "line 6, negative.0.points: negative criteria subtract points: expected 0 or less, got 5",
    ]);
    const text2 = `${BASE}negative:\n  - { name: x, column: email, activity: unsubscribe, points: -5 }\n`;
    expect(problems(text2)).toEqual([
      "line 6, negative.0: a condition is on a column, on activities or on inactivity: not several at once",
    ]);
  });

  it("checks completeness names a threshold stage and grades go from best to worst", () => {
    const text = `${BASE}completeness: { required_for: sql, fields: [email] }
grades:
  bands: [{ grade: A, min: 10 }, { grade: B, min: 20 }, { grade: C, min: 0 }]
`;
    expect(problems(text)).toEqual([
      "line 5, completeness.required_for: expected one of the threshold stages (mql)",
      "line 7, grades.bands.1.min: bands go from best to worst: expected a min below 10",
      "line 7, grades.bands.2.min: the last band takes every score below the one before; remove its min",
    ]);
  });

  it("reports broken YAML with its line", () => {
    const p = problems(`${BASE}fit:\n  - name: [unclosed\n`);
    expect(p[0]).toMatch(/^line \d+, : not valid YAML: /);
  });

  it("throws a UserError naming the file", () => {
    expect(() => parseDefinition("version: 1\n", "defs/q3.yaml")).toThrow(UserError);
    expect(() => parseDefinition("version: 1\n", "defs/q3.yaml")).toThrow(
      /^defs\/q3\.yaml: the scoring definition has 2 problems:/,
    );
  });
});
