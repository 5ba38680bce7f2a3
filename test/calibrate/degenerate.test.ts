import { describe, expect, it } from "vitest";
import { calibrate } from "../../src/calibrate/index.ts";
import { parseDefinition } from "../../src/scoring/index.ts";
import { definition, insertRows, type Row, withMemoryDb } from "../scoring/fixture.ts";

/**
 * Degenerate inputs give a clear message or a well-defined result, never NaN points: one class, a
 * constant column, perfect separation, a tiny sample, and an export with only a converted flag.
 */
const DEF = definition(`
version: "1"
outcome: { stage: sql, horizon_days: 30 }
point_in_time: { stage: mql, days_after_created: 0 }
fit:
  - name: industry
    column: industry
    values:
      - { in: [software], points: 10 }
      - { in: [retail], points: 0 }
    missing: 0
  - name: size
    column: employees
    monotone: auto
    bands:
      - { min: 500, points: 10 }
      - { min: 50, max: 500, points: 5 }
      - { max: 50, points: 0 }
thresholds: [{ stage: mql, min_score: 5 }, { stage: sql, min_score: 15 }]
`);

/** n leads created over 2025; `converted(i)` decides who reaches SQL 5 days after the MQL moment. */
async function fill(
  conn: Parameters<typeof insertRows>[0],
  n: number,
  lead: (i: number) => Partial<Row>,
  converted: (i: number) => boolean,
): Promise<void> {
  const leads: Row[] = [];
  const stages: Row[] = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10);
    leads.push({ lead_id: `L${i}`, created_at: day, industry: "software", employees: 100, ...lead(i) });
    stages.push({ lead_id: `L${i}`, stage: "mql", entered_at: day });
    if (converted(i)) {
      const d = new Date(Date.parse(`${day}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
      stages.push({ lead_id: `L${i}`, stage: "sql", entered_at: d });
    }
  }
  // One later lead keeps every outcome window closed by the end of the data.
  leads.push({ lead_id: "LAST", created_at: "2026-06-01" });
  for (let k = 0; k < leads.length; k += 500) await insertRows(conn, "leads", leads.slice(k, k + 500));
  for (let k = 0; k < stages.length; k += 500)
    await insertRows(conn, "lead_stage_changes", stages.slice(k, k + 500));
}

const opts = { definitionFile: "test.yaml", definition: DEF, holdout: "stratified:0.3", replicates: 200 };

function allPoints(text: string): number[] {
  const def = parseDefinition(text, "draft").def;
  return [...def.fit, ...def.situational].flatMap((c) => [
    c.missing,
    c.otherwise,
    ...(c.bands ?? c.values ?? []).map((r) => r.points),
  ]);
}

describe("calibration on degenerate inputs", () => {
  it("refuses one class with a message that says so", async () => {
    await withMemoryDb(async (db) => {
      await fill(
        db.conn,
        400,
        () => ({}),
        () => false,
      );
      await expect(calibrate(db, opts)).rejects.toThrow(
        /no lead in the data ever reached the target stage 'sql'/,
      );
    });
  });

  it("gives a constant column one value for everyone, with finite points", async () => {
    await withMemoryDb(async (db) => {
      await fill(
        db.conn,
        1200,
        (i) => ({ industry: "software", employees: [10, 100, 1000][i % 3] as number }),
        (i) => (i % 3 === 2 ? i % 2 === 0 : i % 7 === 0),
      );
      const r = await calibrate(db, opts);
      const pts = allPoints(r.draft);
      expect(pts.every(Number.isFinite)).toBe(true);
      const industry = r.report.points.filter((p) => p.criterion === "industry" && p.leads > 0);
      expect(industry.map((p) => p.case)).toEqual(["software"]);
      expect(industry[0]?.newPoints).toBe(0); // the only case is the most common one
      // size held monotone (auto): 500+ converts most, so its points are the highest
      const size = (c: string) =>
        r.report.points.find((p) => p.criterion === "size" && p.case === c)?.newPoints ?? Number.NaN;
      expect(size("500 or more")).toBeGreaterThanOrEqual(size("50 to under 500"));
      expect(size("50 to under 500")).toBeGreaterThanOrEqual(size("under 50"));
    });
  });

  it("keeps points finite under perfect separation (the L2 penalty)", async () => {
    await withMemoryDb(async (db) => {
      await fill(
        db.conn,
        1000,
        (i) => ({ industry: i % 2 === 0 ? "software" : "retail" }),
        (i) => i % 2 === 0,
      );
      const r = await calibrate(db, opts);
      expect(allPoints(r.draft).every(Number.isFinite)).toBe(true);
      expect(r.report.challenger.auc).toBe(1);
      const sw = r.report.points.find((p) => p.criterion === "industry" && p.case === "software");
      const rt = r.report.points.find((p) => p.criterion === "industry" && p.case === "retail");
      expect((sw?.newPoints ?? 0) - (rt?.newPoints ?? 0)).toBeGreaterThan(40);
    });
  });

  it("warns on a tiny sample and still gives intervals", async () => {
    await withMemoryDb(async (db) => {
      await fill(
        db.conn,
        80,
        (i) => ({ industry: i % 2 ? "software" : "retail" }),
        (i) => i % 3 === 0,
      );
      const r = await calibrate(db, opts);
      expect(r.warnings.join("\n")).toMatch(/only 80 leads and 27 conversions/);
      expect(r.report.challenger.aucLow).toBeLessThanOrEqual(r.report.challenger.auc);
    });
  });

  it("uses the converted flag when there are no dates, and says the holdout is not out of time", async () => {
    await withMemoryDb(async (db) => {
      const rows: Row[] = [];
      for (let i = 0; i < 1500; i++) {
        rows.push({
          lead_id: `F${i}`,
          industry: i % 2 ? "software" : "retail",
          is_converted: i % 2 ? i % 3 === 0 : i % 9 === 0,
        });
      }
      for (let k = 0; k < rows.length; k += 500) await insertRows(db.conn, "leads", rows.slice(k, k + 500));
      const r = await calibrate(db, { definitionFile: "test.yaml", definition: DEF, replicates: 200 });
      expect(r.report.pointInTimeChecked).toBe(false);
      expect(r.report.holdout.outOfTime).toBe(false);
      expect(r.report.notes.join("\n")).toMatch(/point-in-time could not be checked/);
      expect(r.draft).toMatch(/point-in-time could not be checked/);
      await expect(
        calibrate(db, { definitionFile: "test.yaml", definition: DEF, holdout: "latest" }),
      ).rejects.toThrow(/no dates, so an out-of-time holdout is impossible/);
    });
  });
});
