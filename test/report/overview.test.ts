import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { type OverviewReport, overviewReport } from "../../src/report/overview.ts";
import { defaultSettings } from "../../src/settings.ts";
import { fillBlocks, SMALL_FLAG_BLOCKS } from "./converted-flag-data.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { fillPartial } from "./partial-data.ts";
import { fillSample } from "./sample-data.ts";

describe("overview report", () => {
  let fx: Fixture;
  let db: Db;
  let r: OverviewReport;
  beforeAll(async () => {
    fx = await makeFixture(fillSample);
    db = await fx.open();
    r = await overviewReport(db.conn, defaultSettings());
  });
  afterAll(() => {
    db.close();
    fx.remove();
  });

  it("sums each quarter's events, with cost per SQL where cost is loaded", () => {
    expect(r.quarters.map((q) => q.quarter)).toEqual(["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]);
    expect(r.quarters[0]).toEqual({
      quarter: "2025 Q1",
      to_date: false,
      leads: 4,
      mqls: 3,
      sqls: 2,
      won: 1,
      won_revenue: 1000,
      cost: 1900,
      cost_per_sql: 950,
    });
    // No cost row covers Q2: its cost is unknown, not zero, and so is its cost per SQL.
    expect(r.quarters[1]).toMatchObject({ leads: 2, sqls: 1, cost: null, cost_per_sql: null });
    // Q4 to date: L7 (lead, MQL, SQL in October), L6's SQL via its deal (November), L6's win (500).
    expect(r.quarters[3]).toMatchObject({
      to_date: true,
      leads: 1,
      mqls: 1,
      sqls: 2,
      won: 1,
      won_revenue: 500,
    });
  });

  it("compares the quarter to date with the same days of last quarter", () => {
    expect(r.thisQuarter).toMatchObject({ label: "2025 Q4", from: "2025-10-01", to: "2025-12-01", days: 62 });
    expect(r.lastQuarterSamePoint).toMatchObject({ label: "2025 Q3", from: "2025-07-01", to: "2025-08-31" });
    expect(r.lastQuarter).toMatchObject({ label: "2025 Q3", from: "2025-07-01", to: "2025-09-30" });
    expect(r.lastQuarterSamePoint?.kpis.leads).toBe(0);
  });

  it("notes when the leads stop well before the other records", () => {
    expect(r.leadsThrough).toBe("2025-10-01");
    expect(r.missing).toEqual([expect.stringMatching(/loaded leads end on 2025-10-01/)]);
    expect(r.lastLoad).toEqual({ finished_at: null, batches: 0 });
  });

  it("caps a long history at the last eight quarters", async () => {
    const s = defaultSettings();
    s.asOf = "2027-06-30";
    const later = await overviewReport(db.conn, s);
    expect(later.quarters.map((q) => q.quarter)).toEqual([
      "2025 Q3",
      "2025 Q4",
      "2026 Q1",
      "2026 Q2",
      "2026 Q3",
      "2026 Q4",
      "2027 Q1",
      "2027 Q2",
    ]);
  });
});

describe("overview report on partial data", () => {
  it("gives null, not zero, for what the data cannot say", async () => {
    const fx = await makeFixture(fillPartial);
    const db = await fx.open();
    try {
      const r = await overviewReport(db.conn, defaultSettings());
      const q1 = r.quarters.find((q) => q.quarter === "2025 Q1");
      expect(q1).toMatchObject({ leads: 3, mqls: 3, sqls: null, won: 2, won_revenue: null, cost: null });
      expect(r.missing.join(" ")).toMatch(/No SQL stage/);
      expect(r.missing.join(" ")).toMatch(/no amount/);
    } finally {
      db.close();
      fx.remove();
    }
  });
});

describe("overview report at a quarter's end", () => {
  it("treats the as-of quarter as complete when the data runs to its last day", async () => {
    const fx = await makeFixture(fillSample);
    const db = await fx.open();
    try {
      const s = defaultSettings();
      s.asOf = "2025-03-31";
      const r = await overviewReport(db.conn, s);
      expect(r.asOf.quarterComplete).toBe(true);
      expect(r.quarters.at(-1)).toMatchObject({ quarter: "2025 Q1", to_date: false, sqls: 2 });
      expect(r.thisQuarter?.days).toBe(90);
    } finally {
      db.close();
      fx.remove();
    }
  });
});

describe("overview report on a converted flag with no dates", () => {
  it("has no quarters but carries every lead's conversion", async () => {
    const fx = await makeFixture(fillBlocks(SMALL_FLAG_BLOCKS));
    const db = await fx.open();
    try {
      const r = await overviewReport(db.conn, defaultSettings());
      expect(r.asOf.date).toBeNull();
      expect(r.quarters).toEqual([]);
      expect(r.leadsFrom).toBeNull();
      // Hand counts in test/report/conversion.test.ts.
      expect(r.conversion.overall).toMatchObject({ leads: 42, converted: 16 });
      expect(r.conversion.rows.filter((x) => x.segment === "channel").map((x) => x.group)).toEqual([
        "ads",
        "email",
        "Other",
      ]);
    } finally {
      db.close();
      fx.remove();
    }
  });
});
