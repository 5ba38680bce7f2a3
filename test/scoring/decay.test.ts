import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { decayFactor, scoreLeads } from "../../src/scoring/index.ts";
import type { Decay } from "../../src/scoring/schema.ts";
import { decayExpr } from "../../src/scoring/sql-fragments.ts";
import { definition, insertRows, storedScores, withMemoryDb } from "./fixture.ts";

/**
 * Reference values for decay, each worked out by hand:
 * - half-life h: share = 0.5^(age/h) = 2^(-age/h);
 * - linear fade over L days: share = max(0, 1 - age/L).
 */
const HALF_30: Decay = { half_life_days: 30 };
const FADE_60: Decay = { fade_out_days: 60 };
const REFERENCE: [Decay, number, number, string][] = [
  [HALF_30, 0, 1, "2^0"],
  [HALF_30, 30, 0.5, "one half-life: 2^-1"],
  [HALF_30, 60, 0.25, "two half-lives: 2^-2"],
  [HALF_30, 90, 0.125, "three half-lives: 2^-3"],
  [HALF_30, 45, 0.3535533905932738, "2^-1.5 = 1 / (2 sqrt 2) = 0.35355339..."],
  [HALF_30, 10, 0.7937005259840998, "2^(-1/3) = 1 / cube root of 2 = 0.79370052..."],
  [{ half_life_days: 7 }, 14, 0.25, "two weekly half-lives"],
  [FADE_60, 0, 1, "1 - 0/60"],
  [FADE_60, 15, 0.75, "1 - 15/60"],
  [FADE_60, 30, 0.5, "1 - 30/60"],
  [FADE_60, 60, 0, "1 - 60/60"],
  [FADE_60, 90, 0, "1 - 90/60 < 0, held at 0"],
  ["none", 1000, 1, "no decay"],
];

describe("decay: reference values", () => {
  it.each(REFERENCE)("%j at %d days leaves %d of the points (%s)", (decay, age, share) => {
    expect(decayFactor(decay, age)).toBeCloseTo(share, 15);
  });

  it("gives the same shares in DuckDB's SQL as in JavaScript", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      for (const [decay, age, share] of REFERENCE) {
        const sql = `select ${decayExpr(decay, `${age}::double`)} as share`;
        const row = (await conn.runAndReadAll(sql)).getRowObjectsJson()[0];
        expect(Number(row?.share)).toBeCloseTo(share, 15);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("refuses an event from after the as-of moment", () => {
    expect(() => decayFactor(HALF_30, -1)).toThrow(RangeError);
    expect(() => decayFactor(HALF_30, Number.NaN)).toThrow(RangeError);
  });
});

describe("decay inside a score", () => {
  /** One lead, its events given as dates; scored as of 2025-07-01 with one engagement criterion. */
  async function engagementOf(criterion: string, dates: string[]): Promise<number> {
    return withMemoryDb(async (db) => {
      await insertRows(db.conn, "leads", [{ lead_id: "x", created_at: "2024-01-01" }]);
      await insertRows(
        db.conn,
        "activities",
        dates.map((d, i) => ({
          activity_id: `a${i}`,
          lead_id: "x",
          occurred_at: d,
          activity_type: "pricing_page_view",
        })),
      );
      const def = definition(
        `engagement:\n  criteria:\n    - { name: p, activity: pricing_page_view, ${criterion} }\n`,
      );
      await scoreLeads(db, { definition: def, asOf: "2025-07-01" });
      return (await storedScores(db.conn)).get("x")?.engagement ?? Number.NaN;
    });
  }

  it("halves every half-life: 10 points at 30, 60 and 90 days = 5 + 2.5 + 1.25 = 8.75 -> 9", async () => {
    // 2025-06-01 is 30 days before 2025-07-01, 2025-05-02 is 60, 2025-04-02 is 90.
    expect(
      await engagementOf("points: 10, window_days: 120, decay: { half_life_days: 30 }", [
        "2025-06-01",
        "2025-05-02",
        "2025-04-02",
      ]),
    ).toBe(9);
  });

  it("fades linearly: 8 points at 15, 45 and 75 days over 60 = 6 + 2 + 0 = 8", async () => {
    // 2025-06-16 is 15 days before, 2025-05-17 is 45, 2025-04-17 is 75.
    expect(
      await engagementOf("points: 8, window_days: 120, decay: { fade_out_days: 60 }", [
        "2025-06-16",
        "2025-05-17",
        "2025-04-17",
      ]),
    ).toBe(8);
  });

  it("rounds halves away from zero: 10 points two half-lives ago = 2.5 -> 3", async () => {
    expect(
      await engagementOf("points: 10, window_days: 120, decay: { half_life_days: 30 }", ["2025-05-02"]),
    ).toBe(3);
  });

  it("caps after decay: 4 x 10 points with no decay, cap 25 -> 25", async () => {
    expect(
      await engagementOf("points: 10, cap: 25", ["2025-06-01", "2025-06-02", "2025-06-03", "2025-06-04"]),
    ).toBe(25);
  });

  it("counts the window's first day and not the day before: 90-day window", async () => {
    // 2025-04-02 is exactly 90 days before; 2025-04-01 is 91.
    expect(await engagementOf("points: 1, window_days: 90", ["2025-04-02"])).toBe(1);
    expect(await engagementOf("points: 1, window_days: 90", ["2025-04-01"])).toBe(0);
  });
});
