import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { type FunnelReport, funnelReport } from "../../src/report/funnel.ts";
import { defaultSettings } from "../../src/settings.ts";
import { fillBlocks, SMALL_FLAG_BLOCKS } from "./converted-flag-data.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { fillPartial } from "./partial-data.ts";
import { fillSample } from "./sample-data.ts";

const FIELDS = ["leads", "mql", "sql", "opportunity", "won", "lost"] as const;

function totals(r: FunnelReport, quarter: string, kind: "size_band" | "industry" = "size_band") {
  const out = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<(typeof FIELDS)[number], number>;
  for (const row of r.cube.filter((x) => x.quarter === quarter && x.segment_kind === kind))
    for (const f of FIELDS) out[f] += row[f];
  return out;
}

describe("funnel report on a complete history", () => {
  let fx: Fixture;
  let db: Db;
  let r: FunnelReport;
  beforeAll(async () => {
    fx = await makeFixture(fillSample);
    db = await fx.open();
    r = await funnelReport(db.conn, defaultSettings());
  });
  afterAll(() => {
    db.close();
    fx.remove();
  });

  it("dates the report at the latest event and shows every recorded stage from Lead", () => {
    expect(r.asOf).toEqual({
      date: "2025-12-01",
      quarter: "2025 Q4",
      quarterComplete: false,
      source: "data",
    });
    expect(r.funnel).toEqual(["lead", "mql", "sql", "opportunity", "won"]);
    expect(r.stages.find((s) => s.start)?.key).toBe("lead");
    expect(r.missing).toEqual([]);
  });

  it("marks cohorts whose 180-day window has not closed as maturing", () => {
    // Q1 ends 2025-04-01; + 180 days = 2025-09-28, before the as-of date 2025-12-01.
    expect(r.cohorts).toEqual([
      { quarter: "2025 Q1", window_closes_on: "2025-09-28", mature: true },
      { quarter: "2025 Q2", window_closes_on: "2025-12-28", mature: false },
      { quarter: "2025 Q4", window_closes_on: "2026-06-30", mature: false },
    ]);
  });

  it("counts leads reaching each stage within the window, by cohort", () => {
    // Q1: L1 (won), L2 (SQL then lost), L3 (MQL), L4 (nothing).
    expect(totals(r, "2025 Q1")).toEqual({ leads: 4, mql: 3, sql: 2, opportunity: 1, won: 1, lost: 1 });
    // Q2: L5 reached SQL; L6 won on 12-01, 214 days after entering: outside the window, not a win yet.
    // Its deal (created 11-01, day 184) is outside too, so no SQL or opportunity either.
    expect(totals(r, "2025 Q2")).toEqual({ leads: 2, mql: 2, sql: 1, opportunity: 0, won: 0, lost: 0 });
    expect(totals(r, "2025 Q4")).toEqual({ leads: 1, mql: 1, sql: 1, opportunity: 0, won: 0, lost: 0 });
  });

  it("breaks each cohort down by size band and by industry, each lead once per breakdown", () => {
    const q1 = r.cube.filter((x) => x.quarter === "2025 Q1" && x.segment_kind === "size_band");
    expect(Object.fromEntries(q1.map((x) => [x.segment, x.leads]))).toEqual({
      "1-49": 1, // L1, 30 employees
      "50-199": 1, // L2, 120
      "200-999": 1, // L3, 500
      Unknown: 1, // L4, no employee count
    });
    const q1i = r.cube.filter((x) => x.quarter === "2025 Q1" && x.segment_kind === "industry");
    expect(Object.fromEntries(q1i.map((x) => [x.segment, x.won]))).toEqual({
      Software: 1,
      Retail: 0,
      Unknown: 0,
    });
    expect(totals(r, "2025 Q1", "industry")).toEqual(totals(r, "2025 Q1", "size_band"));
    expect(r.sizeBands).toEqual(["1-49", "50-199", "200-999", "1,000+", "Unknown"]);
    expect(r.channels).toEqual(["ads", "email", "events"]);
  });

  it("computes median days between observed stage dates, per period and channel", () => {
    const m = (period: string, key: string, channel: string | null = null) =>
      r.stageDays.find((x) => x.period === period && x.key === key && x.channel === channel);
    // lead>mql gaps: L1 2, L2 1, L3 4, L5 1, L6 1, L7 1 -> median 1 over 6.
    expect(m("all", "lead>mql")).toMatchObject({ median: 1, n: 6 });
    // Q1 only: 2, 1, 4 -> 2.
    expect(m("2025 Q1", "lead>mql")).toMatchObject({ median: 2, n: 3 });
    // mql>sql: L1 8 days 1 hour, L2 4, L5 1, L7 1 -> (1 + 4) / 2 = 2.5.
    expect(m("all", "mql>sql")).toMatchObject({ median: 2.5, n: 4 });
    // sql>opportunity: L1, 01-20 09:00 -> 02-01 09:00 = 12 days.
    expect(m("all", "sql>opportunity")).toMatchObject({ median: 12, n: 1 });
    // opportunity>won: L1 28 days; L6 deal created 11-01, won 12-01 = 30 days -> 29.
    expect(m("all", "opportunity>won")).toMatchObject({ median: 29, n: 2 });
    expect(m("all", "opportunity>won", "events")).toMatchObject({ median: 30, n: 1 });
    expect(r.negativeGaps).toEqual([]);
  });

  it("follows the outcome window in the settings", async () => {
    const s = defaultSettings();
    s.funnel.outcomeWindowDays = 250; // L6's win, 214 days in, now counts; Q2 matures 2026-03-08
    const wide = await funnelReport(db.conn, s);
    expect(totals(wide, "2025 Q2").won).toBe(1);
    expect(wide.cohorts.find((c) => c.quarter === "2025 Q1")?.window_closes_on).toBe("2025-12-07");
    expect(wide.cohorts.find((c) => c.quarter === "2025 Q1")?.mature).toBe(false);
  });
});

describe("funnel report on an MQL list and won deals only", () => {
  let fx: Fixture;
  let db: Db;
  let r: FunnelReport;
  beforeAll(async () => {
    fx = await makeFixture(fillPartial);
    db = await fx.open();
    r = await funnelReport(db.conn, defaultSettings());
  });
  afterAll(() => {
    db.close();
    fx.remove();
  });

  it("starts at MQL, skips the stages the data does not record, and says so", () => {
    expect(r.funnel).toEqual(["mql", "won"]);
    expect(r.stages.filter((s) => !s.recorded).map((s) => s.key)).toEqual(["sql", "opportunity"]);
    expect(r.missing.join(" ")).toMatch(/already an MQL/);
    expect(r.missing.join(" ")).toMatch(/No SQL, Opportunity stage is recorded/);
    expect(r.missing.join(" ")).toMatch(/Company size/);
  });

  it("counts the wins and leaves a deal won before its lead was created out of the medians", () => {
    expect(totals(r, "2025 Q1")).toMatchObject({ leads: 3, mql: 3, won: 2 });
    expect(r.negativeGaps).toEqual([{ key: "mql>won", n: 1 }]);
    expect(r.stageDays.find((x) => x.period === "all" && x.channel === null)).toMatchObject({
      key: "mql>won",
      median: 5,
      n: 1,
    });
  });
});

describe("funnel report on an empty database", () => {
  it("returns no rows and says that nothing is loaded", async () => {
    const fx = await makeFixture(async () => {});
    const db = await fx.open();
    try {
      const r = await funnelReport(db.conn, defaultSettings());
      expect(r.cube).toEqual([]);
      expect(r.periods).toEqual([]);
      expect(r.asOf.date).toBeNull();
      expect(r.missing[0]).toMatch(/No leads are loaded/);
    } finally {
      db.close();
      fx.remove();
    }
  });
});

describe("funnel report on a converted flag with no dates", () => {
  it("has no cohorts but carries every lead's conversion, and says what it cannot show", async () => {
    const fx = await makeFixture(fillBlocks(SMALL_FLAG_BLOCKS));
    const db = await fx.open();
    try {
      const r = await funnelReport(db.conn, defaultSettings());
      expect(r.funnel).toEqual(["lead"]);
      expect(r.cube).toEqual([]);
      expect(r.undatedLeads).toBe(42);
      // Hand counts in test/report/conversion.test.ts: 16 of 42 converted.
      expect(r.conversion.overall).toMatchObject({ leads: 42, converted: 16 });
      expect(r.missing.join(" ")).toMatch(
        /no stage-by-stage funnel: conversion comes from the converted flag/,
      );
      expect(r.missing.join(" ")).toMatch(/2 leads have no converted value/);
      expect(r.missing.join(" ")).not.toMatch(/left out/);
    } finally {
      db.close();
      fx.remove();
    }
  });
});
