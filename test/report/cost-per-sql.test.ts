import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { type CostMonthRow, type CostReport, costPerSqlReport } from "../../src/report/cost-per-sql.ts";
import { defaultSettings } from "../../src/settings.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { fillPartial } from "./partial-data.ts";
import { fillSample } from "./sample-data.ts";

describe("cost per SQL report", () => {
  let fx: Fixture;
  let db: Db;
  let r: CostReport;
  const row = (month: string, channel: string) =>
    r.months.find((m) => m.month === month && m.channel === channel);
  beforeAll(async () => {
    fx = await makeFixture(fillSample);
    db = await fx.open();
    r = await costPerSqlReport(db.conn, defaultSettings());
  });
  afterAll(() => {
    db.close();
    fx.remove();
  });

  it("splits a quarter's cost over its months by days", () => {
    // 900 over 2025-01-01..2025-03-31 (90 days): 31, 28 and 31 days at 10 a day.
    expect(["2025-01", "2025-02", "2025-03"].map((m) => row(m, "unallocated")?.sales_cost)).toEqual([
      310, 280, 310,
    ]);
    expect(row("2025-01", "ads")?.marketing_cost).toBe(600);
    expect(row("2025-01", "email")?.marketing_cost).toBe(100);
  });

  it("counts leads, MQLs, SQLs and wins in the month they happened", () => {
    expect(row("2025-01", "ads")).toMatchObject({ leads: 1, mqls: 1, sqls: 1, won: 0 }); // L1
    expect(row("2025-03", "ads")).toMatchObject({ won: 1 }); // L1 won 03-01
    expect(row("2025-03", "email")).toMatchObject({ leads: 2, mqls: 1, sqls: 0 }); // L3, L4
    // L6 skipped SQL in the CRM; its deal was created 2025-11-01, so it passed SQL then.
    expect(row("2025-11", "events")).toMatchObject({ sqls: 1 });
  });

  it("shares each month's unallocated cost over the channels by their SQLs", () => {
    // January: 310 unallocated, one SQL (ads) -> ads carries all 310.
    expect(row("2025-01", "ads")?.unallocated_share).toBe(310);
    expect(row("2025-01", "email")?.unallocated_share).toBe(0);
    expect(row("2025-02", "ads")?.unallocated_share).toBe(280);
    // March has no SQL: its 310 cannot be shared and stays in the blended figures only.
    expect(r.unallocated).toEqual({ total: 900, shared: 590, notShared: 310 });
  });

  it("gives a blended Q1 cost per SQL of 950: (600 + 300 + 100 + 900) / 2 SQLs", () => {
    const q1 = r.months.filter((m) => m.quarter === "2025 Q1");
    const sum = (f: (m: CostMonthRow) => number) => q1.reduce((a, m) => a + f(m), 0);
    expect(sum((m) => m.marketing_cost + m.sales_cost) / sum((m) => m.sqls)).toBe(950);
    // Fully loaded for ads: own 900 + shares 590 over its 2 SQLs.
    const ads = q1.filter((m) => m.channel === "ads");
    const loaded = ads.reduce((a, m) => a + m.marketing_cost + m.sales_cost + m.unallocated_share, 0);
    expect(loaded / ads.reduce((a, m) => a + m.sqls, 0)).toBe(745);
  });

  it("flags months with no cost loaded, so their cost reads as unknown rather than zero", () => {
    expect(row("2025-01", "ads")?.month_has_cost).toBe(true);
    expect(row("2025-10", "ads")?.month_has_cost).toBe(false);
    expect(r.channels).toEqual(["ads", "email", "events"]);
    expect(r.missing).toEqual([]);
    expect(r.costAfterAsOf).toBe(0);
  });

  it("leaves out cost dated after the as-of month, and says how much", async () => {
    const s = defaultSettings();
    s.asOf = "2025-02-15";
    const early = await costPerSqlReport(db.conn, s);
    expect(early.months.map((m) => m.month).at(-1)).toBe("2025-02");
    expect(early.costAfterAsOf).toBe(310); // March's share of the unallocated quarter
  });
});

describe("cost per SQL report without costs or SQL stage", () => {
  it("says what is missing and counts no SQL from won deals", async () => {
    const fx = await makeFixture(fillPartial);
    const db = await fx.open();
    try {
      const r = await costPerSqlReport(db.conn, defaultSettings());
      expect(r.recorded).toEqual({ mql: true, sql: false, won: true, costs: false });
      expect(r.months.reduce((a, m) => a + m.sqls, 0)).toBe(0);
      expect(r.months.reduce((a, m) => a + m.won, 0)).toBe(2);
      expect(r.missing.join(" ")).toMatch(/No costs are loaded/);
      expect(r.missing.join(" ")).toMatch(/no SQL stage/);
    } finally {
      db.close();
      fx.remove();
    }
  });
});
