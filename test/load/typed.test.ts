import { describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { loadPreset } from "../../src/load/mapping.ts";
import { planAll } from "../../src/load/plan.ts";
import { columnTypes } from "../../src/load/sql.ts";
import type { CanonicalTable } from "../../src/load/tables.ts";
import { typedPlan, typedSelect } from "../../src/load/typed.ts";

describe("typedSelect", () => {
  it("returns the typed rows' plan (here with the hashed id) and leaves its input plan as it was", async () => {
    await withDb(":memory:", async (db) => {
      const mapping = loadPreset("leadcal-activities");
      const types = new Map<CanonicalTable, Awaited<ReturnType<typeof columnTypes>>>([
        ["activities", await columnTypes(db.conn, "activities")],
      ]);
      const headers = ["lead_id", "occurred_at", "activity_type", "detail", "party"];
      const [plan] = planAll(mapping, headers, types, "a.csv").plans;
      if (!plan) throw new Error("no plan");
      const before = plan.columns.map((c) => c.column);
      const { sql, plan: typed } = typedSelect(plan, "src", { withRow: true, missing: [] });
      expect(plan.columns.map((c) => c.column)).toEqual(before);
      expect(before).not.toContain("activity_id");
      expect(typed.columns.map((c) => c.column)).toEqual([...before, "activity_id"]);
      expect(typedPlan(plan)).toEqual(typed);
      expect(sql).toContain("md5(concat_ws('|'");
      // Valid SQL over a table with the file's columns and _row.
      await db.conn.run(
        `create temp table src as select 2::bigint as _row, ${headers.map((h) => `'x'::varchar as ${h}`).join(", ")}`,
      );
      const rows = (await db.conn.runAndReadAll(sql)).getRowObjectsJS();
      expect(rows).toHaveLength(1);
      expect(String(rows[0]?._err)).toMatch(/occurred_at\tcannot read 'x'/);
    });
  });
});
