import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { definitionReport, niceBinWidth } from "../../src/report/definition.ts";
import { scoreLeads } from "../../src/scoring/index.ts";
import { defaultSettings } from "../../src/settings.ts";
import { tempDir } from "../helpers/cli.ts";
import { insertRows, withMemoryDb } from "./fixture.ts";

const PEOPLE = [
  {
    lead_id: "lead-7f3a",
    first_name: "Priya",
    last_name: "Raman",
    email: "priya.raman@acme-widgets.com",
    phone: "+1 555 0199",
  },
  {
    lead_id: "lead-9c1e",
    first_name: "Jonas",
    last_name: "Karlsson",
    email: "jonas@gmail.com",
    phone: "+46 70 123",
  },
  { lead_id: "lead-0b2d", first_name: "Mei", last_name: "Tanaka", email: "mei@stanford.edu", phone: null },
];

describe("the Definition page's data", () => {
  it("carries aggregates only: no lead id, name, email or phone", async () => {
    await withMemoryDb(async (db) => {
      await insertRows(
        db.conn,
        "leads",
        PEOPLE.map((p, i) => ({
          ...p,
          created_at: "2025-01-01",
          employees: 100 * (i + 1) ** 3,
          email_domain_kind: ["business", "personal", "student"][i] ?? null,
        })),
      );
      await insertRows(db.conn, "activities", [
        {
          activity_id: "a",
          lead_id: "lead-7f3a",
          occurred_at: "2025-02-01",
          activity_type: "demo_request",
          detail: "demo-request",
        },
      ]);
      const report = await definitionReport(db.conn, defaultSettings(), {
        definitionFile: "data/definition.yaml",
      });
      const json = JSON.stringify(report);
      for (const p of PEOPLE) {
        for (const v of Object.values(p)) if (v) expect(json).not.toContain(v);
      }
      expect(report.scores).toMatchObject({ source: "computed", leads: 3, asOf: "2025-02-02 00:00:00" });
      expect(report.histogram.reduce((n, r) => n + r.leads, 0)).toBe(3);
      expect(report.stages.map((s) => [s.stage, s.min_score])).toEqual([
        ["lead", null],
        ["mql", 40],
        ["sql", 70],
        ["disqualified", null],
      ]);
      expect(report.stages.reduce((n, s) => n + s.leads, 0)).toBe(3);
      expect(report.contract.sections.map((s) => s.id)).toContain("service_levels");
      expect(report.coverage).toHaveLength(28);
    });
  });

  it("describes the stored run of the same file when there is one", async () => {
    await withMemoryDb(async (db) => {
      await insertRows(db.conn, "leads", [{ lead_id: "x", created_at: "2025-01-01", employees: 5000 }]);
      const run = await scoreLeads(db, { definitionFile: "data/definition.yaml", asOf: "2025-03-01" });
      const report = await definitionReport(db.conn, defaultSettings(), {
        definitionFile: "data/definition.yaml",
      });
      expect(report.scores).toEqual({
        source: "stored",
        runId: run.runId,
        asOf: "2025-03-01 00:00:00",
        leads: 1,
      });
    });
  });

  it("says what it cannot show when nothing is loaded", async () => {
    await withMemoryDb(async (db) => {
      const report = await definitionReport(db.conn, defaultSettings(), {
        definitionFile: "data/definition.yaml",
      });
      expect(report.scores.source).toBe("none");
      expect(report.histogram).toEqual([]);
      expect(report.missing.join(" ")).toMatch(/No leads are loaded/);
    });
  });

  it("refuses a definition that names a column the data lacks as a user mistake, with its line", async () => {
    const file = join(tempDir("leadcal-def-"), "definition.yaml");
    writeFileSync(
      file,
      "version: 1\noutcome: { stage: won, horizon_days: 180 }\nfit:\n  - { name: x, column: revenue, bands: [{ min: 1, points: 1 }] }\nthresholds: [{ stage: mql, min_score: 1 }]\n",
    );
    await withMemoryDb(async (db) => {
      const err = await definitionReport(db.conn, defaultSettings(), { definitionFile: file }).catch(
        (e: unknown) => e,
      );
      // A UserError is printed by the report loader as its message alone, without a stack trace.
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(
        /definition\.yaml: .*\n +line 4, fit\[0\]\.column: leads has no column revenue/,
      );
    });
  });

  it("picks round bin widths of about 30 bins", () => {
    expect(niceBinWidth(0)).toBe(1);
    expect(niceBinWidth(25)).toBe(1);
    expect(niceBinWidth(45)).toBe(2);
    expect(niceBinWidth(240)).toBe(10);
    expect(niceBinWidth(1000)).toBe(50);
  });
});
