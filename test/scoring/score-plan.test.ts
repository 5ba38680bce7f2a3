import { describe, expect, it } from "vitest";
import { planScoreQuery } from "../../src/scoring/score-plan.ts";
import { buildScoreQuery } from "../../src/scoring/score-query.ts";
import { definition } from "./fixture.ts";

const DEF = definition(`
fit:
  - { name: size, column: employees, bands: [{ min: 100, points: 5 }], missing: 0 }
  - { name: industry, column: industry, values: [{ in: [software], points: 5 }], missing: 0 }
  - { name: round, column: revenue, values: [{ in: [10, 20], points: 1 }], missing: 0 }
negative:
  - name: big_text
    points: -1
    any_of:
      - { column: industry, matches: "^x" }
      - { column: headcount, min: 5 }
      - { column: phone, missing: true }
      - { activity: unsubscribe }
  - { name: quiet, inactive_days: 30, activity: email_open, points: -2 }
engagement:
  decay: { half_life_days: 30 }
  criteria:
    - { name: visits, activity: page_view, points: 1, window_days: 30 }
    - { name: demo, activity: demo_request, points: 5, decay: none }
completeness: { fields: [{ one_of: [email, phone] }] }
`).def;

describe("the scoring plan", () => {
  const plan = planScoreQuery(DEF, { scope: { kind: "per-lead" }, withCriteria: true });

  it("reads a column's number only where a rule compares numbers", () => {
    expect(plan.leadColumns.map((c) => [c.column, c.k, c.numeric])).toEqual([
      ["employees", 0, true],
      ["industry", 1, false],
      ["revenue", 2, true],
      ["headcount", 3, true],
      ["phone", 4, false],
      ["email", 5, false],
    ]);
    const { sql } = buildScoreQuery(DEF, { scope: { kind: "per-lead" } });
    expect(sql.match(/ as c\d+_n\b/g)).toEqual([" as c0_n", " as c2_n", " as c3_n"]);
  });

  it("puts whole-history activity conditions in their own bucket", () => {
    expect(plan.unbounded.aggs).toEqual([{ kind: "count", key: "n0_3" }]);
    expect(plan.unbounded.types).toEqual(new Set(["unsubscribe"]));
    expect(plan.windowed.aggs.map((a) => `${a.kind}:${a.key}`)).toEqual([
      "points:e0",
      "count:e0",
      "weight:e0",
      "points:e1",
      "count:e1",
      "weight:e1",
      "last:n1_0",
    ]);
    expect(plan.windowed.decays).toEqual([{ half_life_days: 30 }]);
    expect(plan.windowed.lookbacks).toEqual([30, 90, 30]);
  });
});
