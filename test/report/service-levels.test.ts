import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import {
  type ServiceLevelReport,
  serviceLevelReport,
  weekOfQuarter,
} from "../../src/report/service-levels.ts";
import { delayBuckets } from "../../src/report/service-levels-delays.ts";
import { defaultSettings } from "../../src/settings.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { fillPartial } from "./partial-data.ts";
import { fillSample } from "./sample-data.ts";

describe("service level report", () => {
  let fx: Fixture;
  let db: Db;
  let r: ServiceLevelReport;
  beforeAll(async () => {
    fx = await makeFixture(fillSample);
    db = await fx.open();
    r = await serviceLevelReport(db.conn, defaultSettings());
  });
  afterAll(() => {
    db.close();
    fx.remove();
  });

  it("measures first touch and touches in 14 days from the SQL moment", () => {
    // Q1: L1 (first touch 20 min, 3 calls + 3 emails in 14 days; T0 before the SQL does not count,
    // T7 on day 21 does not count) and L2 (first touch 300 min, 1 call).
    expect(r.cube.find((x) => x.quarter === "2025 Q1")).toEqual({
      quarter: "2025 Q1",
      channel: "ads",
      sqls: 2,
      touched: 2,
      eligible_target: 2,
      within_target: 1,
      eligible_limit: 2,
      within_limit: 2,
      untouched: 0,
      eligible_window: 2,
      calls_ok: 1,
      emails_ok: 1,
      both_ok: 1,
      eligible_update: 2,
      never_updated: 0, // L1 moved to opportunity, L2 to lost
    });
    // Q2: L5 never touched and never updated.
    expect(r.cube.find((x) => x.quarter === "2025 Q2")).toMatchObject({
      sqls: 1,
      untouched: 1,
      never_updated: 1,
    });
    // Q4: L7 first touched after two days: outside both limits.
    expect(r.cube.find((x) => x.quarter === "2025 Q4")).toMatchObject({ within_limit: 0, never_updated: 1 });
  });

  it("puts each SQL in a delay bucket and computes medians over the touched", () => {
    const byBucket = Object.fromEntries(r.delays.map((d) => [d.bucket, d.sqls]));
    expect(byBucket).toEqual({
      "5 min to 30 min": 1, // L1
      "4 h to 1 day": 1, // L2
      "1 day to 3 days": 1, // L7
      "not touched yet": 1, // L5
    });
    const med = (period: string) => r.medianMinutes.find((m) => m.period === period && m.channel === null);
    expect(med("2025 Q1")).toMatchObject({ median: 160, n: 2 }); // (20 + 300) / 2
    expect(med("all")).toMatchObject({ median: 300, n: 3 }); // 20, 300, 2880
  });

  it("counts SQLs by week of the quarter against the commitment", () => {
    // L1 01-20 (day 19, week 3), L2 02-10 (day 40, week 6), L5 04-12 (week 2), L7 10-03 (week 1),
    // L6 via its deal 11-01 (day 31, week 5).
    expect(r.weeks).toEqual([
      { quarter: "2025 Q1", week: 3, sqls: 1 },
      { quarter: "2025 Q1", week: 6, sqls: 1 },
      { quarter: "2025 Q2", week: 2, sqls: 1 },
      { quarter: "2025 Q4", week: 1, sqls: 1 },
      { quarter: "2025 Q4", week: 5, sqls: 1 },
    ]);
    expect(r.commitments.map((c) => c.quarter)).toEqual(["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]);
    expect(r.commitments.every((c) => c.commitment === 150)).toBe(true);
    expect(r.asOfWeek).toBe(9); // 2025-12-01 is day 61 of Q4
    expect(weekOfQuarter("2025-12-31")).toBe(13);
  });

  it("judges an SQL only once it is old enough", async () => {
    const s = defaultSettings();
    s.asOf = "2025-01-20"; // L1 became an SQL at 09:00 that day: 15 hours old at the end of the day
    const young = await serviceLevelReport(db.conn, s);
    expect(young.cube).toEqual([
      expect.objectContaining({
        sqls: 1,
        eligible_target: 1,
        within_target: 1,
        eligible_limit: 0,
        eligible_window: 0,
        eligible_update: 0,
      }),
    ]);
  });

  it("follows the policy in the settings", async () => {
    const s = defaultSettings();
    s.serviceLevels.minCalls = 1;
    s.serviceLevels.firstTouchTargetMinutes = 360;
    s.serviceLevels.sqlCommitmentByQuarter = { "2025 Q4": 9 };
    const lax = await serviceLevelReport(db.conn, s);
    expect(lax.cube.find((x) => x.quarter === "2025 Q1")).toMatchObject({ calls_ok: 2, within_target: 2 });
    expect(lax.commitments.find((c) => c.quarter === "2025 Q4")?.commitment).toBe(9);
    expect(delayBuckets(s.serviceLevels).map((b) => b.upTo)).toContain(360);
  });

  it("labels the delay buckets from the policy's own figures", () => {
    expect(delayBuckets(defaultSettings().serviceLevels).map((b) => b.label)).toEqual([
      "up to 5 min",
      "5 min to 30 min",
      "30 min to 1 h",
      "1 h to 4 h",
      "4 h to 1 day",
      "1 day to 3 days",
      "3 days to 7 days",
      "over 7 days",
    ]);
  });
});

describe("service level report without SQL stage or touches", () => {
  it("says what is missing and does not count won deals as SQLs", async () => {
    const fx = await makeFixture(fillPartial);
    const db = await fx.open();
    try {
      const r = await serviceLevelReport(db.conn, defaultSettings());
      expect(r.recorded).toEqual({ sql: false, touches: false });
      expect(r.cube).toEqual([]);
      expect(r.weeks).toEqual([]);
      expect(r.missing).toHaveLength(2);
    } finally {
      db.close();
      fx.remove();
    }
  });
});
