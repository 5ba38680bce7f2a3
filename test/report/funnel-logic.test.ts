import { describe, expect, it } from "vitest";
import { groupSum } from "../../reports/components/cube.js";
import {
  bestWorst,
  cohortOutcome,
  cohortRange,
  cohortTotals,
  conversionRates,
  endToEnd,
  FIELDS,
  field,
  type Rate,
  slowestStep,
  stageRows,
  stepRates,
  weakestStep,
} from "../../reports/components/funnel-logic.js";

/**
 * The Funnel page's arithmetic. Expected values are worked by hand from the cohort rows below (the
 * loader's shape: the leads of a cohort quarter and channel reaching each stage within the window).
 * 2025 Q1 and Q2 are complete (their window has closed); Q3 and Q4 are still maturing.
 *
 * quarter  channel  leads  mql  sql  opportunity  won  lost
 * 2025 Q1  ads        100   50   20           10    4    30
 * 2025 Q1  email       50   10    5            3    1    10
 * 2025 Q2  ads         50   20   15            7    5    20
 * 2025 Q3  ads         40   10    2            0    0     5
 * 2025 Q4  email       10    1    0            0    0     0
 *
 * complete: leads 200, mql 80, sql 40, opportunity 20, won 10, lost 60
 * maturing: leads  50, mql 11, sql  2, opportunity  0, won  0, lost  5
 */
const row = (quarter: string, channel: string, [leads, mql, sql, opportunity, won, lost]: number[]) => ({
  quarter,
  channel,
  leads: leads as number,
  mql: mql as number,
  sql: sql as number,
  opportunity: opportunity as number,
  won: won as number,
  lost: lost as number,
});
const ROWS = [
  row("2025 Q1", "ads", [100, 50, 20, 10, 4, 30]),
  row("2025 Q1", "email", [50, 10, 5, 3, 1, 10]),
  row("2025 Q2", "ads", [50, 20, 15, 7, 5, 20]),
  row("2025 Q3", "ads", [40, 10, 2, 0, 0, 5]),
  row("2025 Q4", "email", [10, 1, 0, 0, 0, 0]),
];
const MATURE = new Set(["2025 Q1", "2025 Q2"]);
const STAGES = ["lead", "mql", "sql", "opportunity", "won"];

describe("field", () => {
  it("counts the lead stage in leads and every other stage under its own name", () => {
    expect(field("lead")).toBe("leads");
    expect(STAGES.slice(1).map(field)).toEqual(["mql", "sql", "opportunity", "won"]);
  });
});

describe("cohortTotals", () => {
  it("splits the selection into complete and maturing cohorts, and rates the complete ones", () => {
    const t = cohortTotals(ROWS, MATURE);
    expect(t.complete).toEqual({ leads: 200, mql: 80, sql: 40, opportunity: 20, won: 10, lost: 60 });
    expect(t.maturing).toEqual({ leads: 50, mql: 11, sql: 2, opportunity: 0, won: 0, lost: 5 });
    expect(t.useComplete).toBe(true);
    expect(t.base).toEqual(t.complete);
    expect(t.basis).toHaveLength(3);
    expect(t.maturingQuarters).toEqual(["2025 Q3", "2025 Q4"]);
  });
  it("rates every cohort so far when none in the selection is complete", () => {
    // Q3 + Q4 only: no complete lead, so the base is complete + maturing = the maturing totals.
    const t = cohortTotals(ROWS.slice(3), MATURE);
    expect(t.useComplete).toBe(false);
    expect(t.base).toEqual({ leads: 50, mql: 11, sql: 2, opportunity: 0, won: 0, lost: 5 });
    expect(t.basis).toHaveLength(2);
  });
  it("gives zeros for an empty selection", () => {
    const t = cohortTotals([], MATURE);
    expect(t.useComplete).toBe(false);
    expect(t.base).toEqual(Object.fromEntries(FIELDS.map((f) => [f, 0])));
    expect(t.maturingQuarters).toEqual([]);
  });
});

describe("stage by stage", () => {
  it("counts each stage and the share of the previous stage that reached it", () => {
    const rows = stageRows(STAGES, cohortTotals(ROWS, MATURE));
    // lead: 200 + 50 = 250, no rate; mql 80 + 11 = 91, 80/200 = 0.4; sql 40 + 2 = 42, 40/80 = 0.5;
    // opportunity 20 + 0, 20/40 = 0.5; won 10 + 0, 10/20 = 0.5 (the complete cohorts' rates).
    expect(rows.map((r) => [r.stage, r.order, r.complete, r.maturing, r.total, r.rate])).toEqual([
      ["lead", 0, 200, 50, 250, null],
      ["mql", 1, 80, 11, 91, 0.4],
      ["sql", 2, 40, 2, 42, 0.5],
      ["opportunity", 3, 20, 0, 20, 0.5],
      ["won", 4, 10, 0, 10, 0.5],
    ]);
  });
  it("has no rate after a stage nobody reached", () => {
    // So far (Q3 + Q4): opportunity 0 of sql 2 = 0; won 0 of opportunity 0 = unknown, not 0.
    const rows = stageRows(STAGES, cohortTotals(ROWS.slice(3), MATURE));
    expect(rows.map((r) => r.rate)).toEqual([null, 11 / 50, 2 / 11, 0, null]);
  });
  it("finds the steepest drop and the share of leads reaching the last stage", () => {
    const { base } = cohortTotals(ROWS, MATURE);
    const steps = stepRates(STAGES, base);
    expect(steps).toEqual([
      { from: "lead", to: "mql", rate: 0.4 },
      { from: "mql", to: "sql", rate: 0.5 },
      { from: "sql", to: "opportunity", rate: 0.5 },
      { from: "opportunity", to: "won", rate: 0.5 },
    ]);
    expect(weakestStep(steps)).toEqual({ from: "lead", to: "mql", rate: 0.4 });
    // 10 won of 200 leads.
    expect(endToEnd(STAGES, base)).toBe(0.05);
  });
  it("leaves out the steps nobody could take, and takes the earlier step on a tie", () => {
    const { base } = cohortTotals(ROWS.slice(3), MATURE);
    // 11/50 = 0.22, 2/11 = 0.18, 0/2 = 0; opportunity -> won: 0 of 0, left out.
    const steps = stepRates(STAGES, base);
    expect(steps.map((s) => s.to)).toEqual(["mql", "sql", "opportunity"]);
    expect(weakestStep(steps)?.to).toBe("opportunity");
    expect(endToEnd(STAGES, base)).toBe(0);
    const tie = [
      { from: "a", to: "b", rate: 0.3 },
      { from: "b", to: "c", rate: 0.2 },
      { from: "c", to: "d", rate: 0.2 },
    ];
    expect(weakestStep(tie)?.from).toBe("b");
    expect(weakestStep([])).toBeNull();
  });
  it("works on the stages the data records, and with no lead at all", () => {
    // No opportunity stage: mql -> sql 40/80, sql -> won 10/40; MQL to won 10/80.
    const recorded = ["mql", "sql", "won"];
    const { base } = cohortTotals(ROWS, MATURE);
    expect(stepRates(recorded, base).map((s) => [s.from, s.to, s.rate])).toEqual([
      ["mql", "sql", 0.5],
      ["sql", "won", 0.25],
    ]);
    expect(endToEnd(recorded, base)).toBe(0.125);
    const empty = cohortTotals([], MATURE).base;
    expect(stepRates(STAGES, empty)).toEqual([]);
    expect(endToEnd(STAGES, empty)).toBeNull();
  });
});

describe("cohort by cohort", () => {
  const byCohort = groupSum(ROWS, "quarter", [...FIELDS]);

  it("ranges the complete cohorts' share reaching the last stage", () => {
    // Q1: 4 + 1 = 5 won of 150 leads = 1/30; Q2: 5 of 50 = 0.1. Q3 and Q4 are maturing, left out.
    expect(cohortRange(byCohort, MATURE, "won")).toEqual({
      lo: { q: "2025 Q1", rate: 5 / 150 },
      hi: { q: "2025 Q2", rate: 0.1 },
    });
    // To SQL: Q1 25/150 = 1/6, Q2 15/50 = 0.3.
    expect(cohortRange(byCohort, MATURE, "sql")?.hi).toEqual({ q: "2025 Q2", rate: 0.3 });
  });
  it("has no range when no cohort is complete or has leads", () => {
    expect(cohortRange(byCohort, new Set(), "won")).toBeNull();
    expect(cohortRange([{ key: "2025 Q1", leads: 0, won: 0 }], MATURE, "won")).toBeNull();
  });
  it("counts the leads still open in a maturing cohort, and none once it is complete", () => {
    const q3 = byCohort.find((c) => c.key === "2025 Q3") as Record<string, number>;
    const q1 = byCohort.find((c) => c.key === "2025 Q1") as Record<string, number>;
    // Q3: 40 leads - 0 won - 5 lost = 35 open; 0 of 40 reached won.
    expect(cohortOutcome(q3, "won", false)).toEqual({ open: 35, conversion: 0 });
    // Q1 to SQL: 25 of 150.
    expect(cohortOutcome(q1, "sql", true)).toEqual({ open: null, conversion: 25 / 150 });
    expect(cohortOutcome({ leads: 0, won: 0, lost: 0 }, "won", false)).toEqual({ open: 0, conversion: null });
  });
});

describe("by channel and segment", () => {
  it("rates each group with leads on the stage chosen", () => {
    const groups = [...groupSum(ROWS, "channel", [...FIELDS]), { key: "empty", leads: 0, won: 0 }];
    // ads: 100 + 50 + 40 = 190 leads, 4 + 5 = 9 won; email: 60 leads, 1 won. "empty" has no lead.
    expect(conversionRates(groups, "won")).toEqual([
      { group: "ads", rate: 9 / 190, reached: 9, leads: 190 },
      { group: "email", rate: 1 / 60, reached: 1, leads: 60 },
    ]);
    expect(conversionRates(groups, "leads").map((r) => r.rate)).toEqual([1, 1]);
  });
  it("names the best and the worst of the groups with 30+ leads that are real segments", () => {
    const r = (group: string, rate: number, leads: number): Rate => ({
      group,
      rate,
      leads,
      reached: rate * leads,
    });
    const rates = [
      r("ads", 0.3, 100),
      r("email", 0.1, 30),
      r("events", 0.9, 29), // under 30 leads
      r("Other", 0.95, 500), // not a segment
      r("Unknown", 0.01, 500),
      r("(not set)", 0.5, 500),
    ];
    expect(bestWorst(rates, "channels")).toBe("ads converts best (30.0% of 100), email worst (10.0% of 30).");
    expect(bestWorst(rates.slice(1), "industries")).toBe("Too few industries with 30+ leads to compare.");
    expect(bestWorst([], "size bands")).toBe("Too few size bands with 30+ leads to compare.");
    // Of 1,234 leads: counts print with thousands separators.
    expect(bestWorst([r("a", 0.5, 1234), r("b", 0.25, 40)], "channels")).toBe(
      "a converts best (50.0% of 1,234), b worst (25.0% of 40).",
    );
  });
});

describe("time between stages", () => {
  it("takes the step with the longest median, the earlier one on a tie", () => {
    const measured = [
      { category: "Lead → MQL", value: 3 },
      { category: "MQL → SQL", value: 10 },
      { category: "SQL → Won", value: 10 },
    ];
    expect(slowestStep(measured)?.category).toBe("MQL → SQL");
    expect(slowestStep([])).toBeNull();
  });
});
