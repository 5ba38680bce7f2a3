import { describe, expect, it } from "vitest";
import { explainDefinition, formatContract, pointRanges } from "../../src/scoring/index.ts";
import { definition } from "./fixture.ts";

const DEF = definition(`version: "2027.1"
name: Challenger
status: draft
approved:
  - { by: Dana Cole, role: VP Marketing, on: 2027-01-10 }
review: { every: quarter, next: 2027-04-01 }
outcome: { stage: won, horizon_days: 180 }
fit:
  - name: size
    column: employees
    bands: [{ min: 200, points: 10 }, { max: 200, points: -5 }]
    missing: -2
engagement:
  decay: { fade_out_days: 60 }
  cap: 30
  criteria:
    - { name: demo, label: Demo requests, activity: demo_request, points: 20, cap: 20 }
    - { name: unsub_clicks, activity: unsubscribe, points: -4, cap: 8 }
negative:
  - { name: rival, label: Competitor, column: email, contains: ["@rival.com"], points: -50, disqualify: true }
thresholds:
  - { stage: mql, min_score: 10 }
  - { stage: hot, label: Hot lead, min_score: 25, min_engagement: 5 }
calibration: { base_score: 20, base_odds: 0.25, points_to_double_odds: 15, trained_on: "2025Q1-2026Q2" }
`);

describe("the contract in plain language", () => {
  const c = explainDefinition(DEF.def);
  const text = formatContract(c);

  it("states what is predicted and the range of each part", () => {
    expect(c.summary[0]).toBe("The score estimates whether a lead becomes a won deal within 180 days.");
    // fit: -5..10; engagement: -8..20 (caps 20 and 8; total cap 30 does not bind); negative: -50..0.
    expect(pointRanges(DEF.def)).toEqual({
      fit: { min: -5, max: 10 },
      situational: { min: 0, max: 0 },
      engagement: { min: -8, max: 20 },
      negative: { min: -50, max: 0 },
    });
    expect(c.summary[1]).toBe(
      "Score = fit + situational + engagement + negative points. Fit adds from -5 to +10 points, situational (BANT) 0 points, engagement from -8 to +20 points, and negative criteria from -50 to 0 points.",
    );
  });

  it("explains decay with a worked example, caps and negative per-event points", () => {
    // fade over 60 days: an event 30 days old keeps 1 - 30/60 = 50%.
    expect(text).toContain(
      "By default an event fades to nothing over 60 days (an event 30 days old counts 50% of its points).",
    );
    expect(text).toContain("Unsub clicks (unsubscribe): -4 per event; at most -8.");
  });

  it("explains thresholds with their extra conditions, disqualification, approvals and calibration", () => {
    expect(text).toContain("Below 10 points a lead stays a lead, for marketing to nurture.");
    expect(text).toContain("Hot lead: 25 points or more, with at least 5 engagement points.");
    expect(text).toContain('Competitor (email contains "@rival.com"): -50 and disqualified.');
    expect(text).toContain("Approved by Dana Cole (VP Marketing) on 2027-01-10.");
    expect(text).toContain(
      "Marketing and sales review this definition every quarter; next review 2027-04-01.",
    );
    expect(text).toContain(
      "Calibrated: a score of 20 means odds of 0.25 to 1, and every 15 points more doubles the odds.",
    );
    expect(text.startsWith("Challenger, version 2027.1 (draft)\n")).toBe(true);
  });
});
