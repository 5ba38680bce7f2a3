import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { type ConversionReport, conversionReport } from "../../src/report/conversion.ts";
import { prepareMilestones } from "../../src/report/milestones.ts";
import { fillBlocks, SMALL_FLAG_BLOCKS } from "./converted-flag-data.ts";
import { insert, makeFixture } from "./fixture.ts";
import { fillSample } from "./sample-data.ts";

process.env.TZ = "UTC";

async function reportOn(fill: (conn: DuckDBConnection) => Promise<void>): Promise<ConversionReport> {
  const fx = await makeFixture(fill);
  const db = await fx.open();
  try {
    return await conversionReport(db.conn, await prepareMilestones(db.conn));
  } finally {
    db.close();
    fx.remove();
  }
}

/** segment -> [group, leads, converted] in the report's order. */
function groups(r: ConversionReport, segment: string): [string, number, number][] {
  return r.rows.filter((x) => x.segment === segment).map((x) => [x.group, x.leads, x.converted]);
}

describe("conversion whatever the dates, on a converted flag with no dates", () => {
  it("counts every lead and the converted ones overall, with the Wilson 95% interval", async () => {
    const r = await reportOn(fillBlocks(SMALL_FLAG_BLOCKS));
    expect(r.basis).toEqual({ flag: true, stages: false });
    expect(r.counted).toBe("a lead whose converted flag is true");
    // 12 + 8 + 10 + 6 + 3 + 1 + 2 = 42 leads; 5 + 3 + 5 + 0 + 2 + 1 = 16 converted (B7's 2 have no flag).
    expect(r.overall).toMatchObject({
      leads: 42,
      converted: 16,
      byFlag: 16,
      byStage: 0,
      byBoth: 0,
      flagMissing: 2,
    });
    expect(r.overall.rate).toBeCloseTo(16 / 42, 12);
    // Wilson's formula in Python with z = scipy.stats.norm.ppf(0.975): (0.2499972576395515, 0.5318595973284732).
    expect(r.overall.low).toBeCloseTo(0.2499972576395515, 12);
    expect(r.overall.high).toBeCloseTo(0.5318595973284732, 12);
  });

  it("groups rare values into Other, folding the smallest named value in while Other is under 5 leads", async () => {
    const r = await reportOn(fillBlocks(SMALL_FLAG_BLOCKS));
    // webinar 3 + partner 1 = 4 < 5, so the smallest named value (events, 6, none converted) joins them.
    expect(groups(r, "channel")).toEqual([
      ["ads", 22, 8],
      ["email", 10, 5],
      ["Other", 10, 3],
    ]);
    // Every industry has 5+ leads; B4's 6 leads have none and form "(not set)", listed last.
    expect(groups(r, "industry")).toEqual([
      ["Software", 24, 10],
      ["Retail", 12, 6],
      ["(not set)", 6, 0],
    ]);
    // Bands in size order; "(not set)" (B5, 3 leads) is too small, and 1,000+ (6) joins it: 9 leads.
    expect(groups(r, "size_band")).toEqual([
      ["1-49", 15, 6],
      ["50-199", 8, 3],
      ["200-999", 10, 5],
      ["Other", 9, 2],
    ]);
    // US (3) folds in FR (8): 3 + 8 = 11 leads, 2 + 3 = 5 converted.
    expect(groups(r, "country")).toEqual([
      ["DE", 31, 11],
      ["Other", 11, 5],
    ]);
    // No group anywhere is smaller than 5 leads, and each segment adds up to every lead.
    expect(Math.min(...r.rows.map((x) => x.leads))).toBeGreaterThanOrEqual(5);
    for (const s of r.segments) {
      const rows = r.rows.filter((x) => x.segment === s.key);
      expect(
        rows.reduce((a, x) => a + x.leads, 0),
        s.key,
      ).toBe(42);
      expect(
        rows.reduce((a, x) => a + x.converted, 0),
        s.key,
      ).toBe(16);
    }
  });

  it("gives each group its rate and interval, and skips a segment no lead has", async () => {
    const r = await reportOn(fillBlocks(SMALL_FLAG_BLOCKS));
    expect(r.segments.map((s) => s.key)).toEqual(["channel", "industry", "size_band", "country"]);
    expect(r.absent).toEqual(["source"]);
    const email = r.rows.find((x) => x.segment === "channel" && x.group === "email");
    // Wilson in Python as above: wilson(5, 10) = (0.236593090512564, 0.7634069094874361).
    expect(email?.rate).toBe(0.5);
    expect(email?.low).toBeCloseTo(0.236593090512564, 12);
    expect(email?.high).toBeCloseTo(0.7634069094874361, 12);
    const other = r.rows.find((x) => x.segment === "channel" && x.group === "Other");
    // wilson(3, 10) = (0.10779126740630104, 0.6032218525388546), the example in src/stats/wilson.ts.
    expect(other?.low).toBeCloseTo(0.10779126740630104, 12);
  });

  it("names at most 12 groups, and merges a value literally called Other with the rare ones", async () => {
    const blocks = Array.from({ length: 13 }, (_, i) => ({
      n: 5,
      converted: i % 2,
      channel: `c${String(i + 1).padStart(2, "0")}`,
    }));
    const r = await reportOn(fillBlocks([...blocks, { n: 3, converted: 3, channel: "Other" }]));
    const channel = groups(r, "channel");
    // c01..c12 named (ties broken by name); c13 (5 leads, 0 converted) and "Other" (3, 3) make Other: 8, 3.
    expect(channel.map(([g]) => g)).toEqual([...blocks.slice(0, 12).map((b) => b.channel), "Other"]);
    expect(channel.at(-1)).toEqual(["Other", 8, 3]);
  });
});

describe("conversion with stage history", () => {
  it("counts leads that reached SQL or later when there is no flag", async () => {
    const r = await reportOn(fillSample);
    // fill sample: L1 won, L2 SQL, L5 SQL, L6 won (skipping SQL), L7 SQL; L3 MQL and L4 nothing.
    expect(r.basis).toEqual({ flag: false, stages: true });
    expect(r.counted).toBe("a lead that reached SQL or a later stage (opportunity, won)");
    expect(r.overall).toMatchObject({ leads: 7, converted: 5, byFlag: 0, byStage: 5, flagMissing: 0 });
  });

  it("counts a lead with both the flag and an SQL stage once", async () => {
    const r = await reportOn(async (conn) => {
      const lead = (lead_id: string, is_converted: boolean | null) => ({
        lead_id,
        channel: "ads",
        is_converted,
      });
      // A: flag and SQL; B: no flag value but a won deal; C: flag only; D: neither; E: flag false, MQL only.
      await insert(conn, "leads", [
        lead("A", true),
        lead("B", false),
        lead("C", true),
        lead("D", null),
        lead("E", false),
      ]);
      await insert(conn, "lead_stage_changes", [
        { lead_id: "A", stage: "sql", entered_at: "2025-01-02" },
        { lead_id: "E", stage: "mql", entered_at: "2025-01-02" },
      ]);
      await insert(conn, "deals", [{ deal_id: "D1", lead_id: "B", closed_at: "2025-02-01", outcome: "won" }]);
    });
    expect(r.basis).toEqual({ flag: true, stages: true });
    expect(r.overall).toMatchObject({
      leads: 5,
      converted: 3,
      byFlag: 2,
      byStage: 2,
      byBoth: 1,
      flagMissing: 1,
    });
    expect(r.counted).toMatch(/converted flag is true or that reached SQL .* each lead counted once/);
    // 5 leads is not under the small-cell limit: one channel group holds them all.
    expect(groups(r, "channel")).toEqual([["ads", 5, 3]]);
  });
});

describe("conversion with nothing to count", () => {
  it("returns no rate when nothing records conversion, and nothing on an empty database", async () => {
    const none = await reportOn(async (conn) => insert(conn, "leads", [{ lead_id: "A", channel: "ads" }]));
    expect(none.basis).toEqual({ flag: false, stages: false });
    expect(none.overall).toMatchObject({ leads: 1, converted: null, rate: null, low: null, high: null });
    expect(none.rows).toEqual([]);
    const empty = await reportOn(async () => {});
    expect(empty.overall).toMatchObject({ leads: 0, converted: null, rate: null });
    expect(empty.segments).toEqual([]);
  });
});
