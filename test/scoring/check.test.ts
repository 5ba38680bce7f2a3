import { describe, expect, it } from "vitest";
import { checkAgainstData, loadDefinitionFile } from "../../src/scoring/index.ts";
import { definition, insertRows, withMemoryDb } from "./fixture.ts";

const STARTER = loadDefinitionFile("data/definition.yaml");

describe("checking a definition against the loaded data", () => {
  it("says how little an MQL list without activities lets the starter definition tell apart", async () => {
    await withMemoryDb(async (db) => {
      await insertRows(
        db.conn,
        "leads",
        [
          { lead_id: "m1", created_at: "2018-01-01", channel: "organic_search", landing_page_id: null },
          { lead_id: "m2", created_at: "2018-02-01", channel: "social" },
          { lead_id: "m3", created_at: "2018-02-01", channel: null },
        ].map(({ landing_page_id: _, ...r }) => r),
      );
      const c = await checkAgainstData(db.conn, STARTER);
      const notes = c.findings.filter((f) => f.level === "info").map((f) => f.message);
      expect(notes).toEqual([
        "no activities are loaded: the 11 engagement criteria give 0 points and the 3 negative criteria on activities (job_seeker, unsubscribed, inactive) do not apply",
        "only 1 of 28 criteria tell leads apart in this data (lead_source); the others give every lead the same points",
      ]);
      expect(c.findings.filter((f) => f.level === "error")).toEqual([]);
      // Criteria needing activities are not reported as "matching no lead": the note covers them.
      expect(c.findings.some((f) => /unsubscribed: no lead meets/.test(f.message))).toBe(false);
      expect(c.byStage).toEqual([
        { stage: "lead", leads: 3 },
        { stage: "mql", leads: 0 },
        { stage: "sql", leads: 0 },
        { stage: "disqualified", leads: 0 },
      ]);
    });
  });

  it("reports a band holding values that are not numbers", async () => {
    await withMemoryDb(async (db) => {
      await db.conn.run("alter table leads add column headcount varchar");
      await insertRows(db.conn, "leads", [
        { lead_id: "a", headcount: "120" },
        { lead_id: "b", headcount: "about 50" },
      ]);
      const def = definition(
        "fit:\n  - { name: size, column: headcount, bands: [{ min: 100, points: 5 }, { max: 100, points: 1 }] }\n",
      );
      const c = await checkAgainstData(db.conn, def, { asOf: "2025-01-01" });
      expect(c.findings.map((f) => `${f.level} ${f.path.join(".")}: ${f.message}`)).toEqual([
        "warning fit.0.bands: size: 1 leads have a value in headcount that is not a number; they get the otherwise points (0)",
        'warning fit.0.bands.1: size: no lead is in "under 100"',
      ]);
      expect(c.coverage).toEqual([
        {
          section: "fit",
          name: "size",
          label: "Size",
          reads: "column headcount",
          leadsWithValue: 2,
          leadsAffected: 1,
          varies: true,
        },
      ]);
    });
  });

  it("refuses per-lead moments: a check looks at one moment", async () => {
    await withMemoryDb(async (db) => {
      await expect(checkAgainstData(db.conn, STARTER, { asOf: "per-lead" })).rejects.toThrow(
        /a check tests the criteria at one moment/,
      );
    });
  });
});
