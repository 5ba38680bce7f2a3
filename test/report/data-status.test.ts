import { describe, expect, it } from "vitest";
import { dataReport, maskReason } from "../../src/report/data-status.ts";
import { defaultSettings } from "../../src/settings.ts";
import { insert, makeFixture } from "./fixture.ts";
import { fillPartial } from "./partial-data.ts";
import { fillSample } from "./sample-data.ts";

describe("maskReason", () => {
  it("masks quoted values, e-mail addresses and phone-like digit runs", () => {
    expect(maskReason("cannot read 'jane.doe@example.com' as integer")).toBe("cannot read '…' as integer");
    expect(maskReason('bad value "Jane Doe"')).toBe('bad value "…"');
    expect(maskReason("contact jane@example.com now")).toBe("contact …@… now");
    expect(maskReason("phone +1 (555) 010-2030 is not a number")).toBe("phone … is not a number");
    expect(maskReason("missing required value for leads.lead_id")).toBe(
      "missing required value for leads.lead_id",
    );
  });
});

describe("data report", () => {
  it("lists tables, stages, batches and masked reject reasons, and what each page can show", async () => {
    const fx = await makeFixture(async (conn) => {
      await fillSample(conn);
      await conn.run(
        `insert into load_batches values (1, 'leads.csv', '/home/someone/leads.csv', 'abc', 10, 'csv', 'utf-8',
          'leadcal-leads', ['leads'], '2025-12-02 10:00:00', '2025-12-02 10:00:05', 9, 7, 2, 7, 0, null)`,
      );
      await insert(conn, "load_rejects", [
        {
          batch_id: 1,
          row_number: 3,
          column_name: "employees",
          reason: "cannot read 'pat@example.com' as integer",
        },
        {
          batch_id: 1,
          row_number: 5,
          column_name: "lead_id",
          reason: "missing required value for leads.lead_id",
        },
      ]);
    });
    const db = await fx.open();
    try {
      const r = await dataReport(db.conn, defaultSettings());
      expect(r.tables.find((t) => t.table === "leads")).toMatchObject({
        rows: 7,
        from: "2025-01-10 08:00:00",
      });
      expect(r.stages.map((s) => [s.stage, s.entries])).toEqual([
        ["lead", 1],
        ["mql", 6],
        ["sql", 4],
        ["opportunity", 1],
        ["won", 2],
        ["lost", 1],
      ]);
      expect(r.batches).toEqual([
        expect.objectContaining({ batchId: 1, file: "leads.csv", rowsRejected: 2 }),
      ]);
      expect(r.rejects.map((x) => x.reason).sort()).toEqual([
        "cannot read '…' as integer",
        "missing required value for leads.lead_id",
      ]);
      expect(JSON.stringify(r)).not.toContain("pat@example.com");
      expect(JSON.stringify(r)).not.toContain("/home/someone");
      expect(r.pages.map((p) => [p.page, p.status])).toEqual([
        ["Overview", "complete"],
        ["Funnel", "complete"],
        ["Cost per SQL", "complete"],
        ["Service levels", "complete"],
      ]);
      expect(r.lastLoadAt).toBe("2025-12-02 10:00:05");
    } finally {
      db.close();
      fx.remove();
    }
  });

  it("marks pages partial or missing on an MQL list with won deals", async () => {
    const fx = await makeFixture(fillPartial);
    const db = await fx.open();
    try {
      const r = await dataReport(db.conn, defaultSettings());
      expect(Object.fromEntries(r.pages.map((p) => [p.page, p.status]))).toEqual({
        Overview: "partial",
        Funnel: "partial",
        "Cost per SQL": "missing",
        "Service levels": "missing",
      });
      expect(r.pages.find((p) => p.page === "Funnel")?.detail).toBe(
        "no SQL stage, opportunity stage, company size, industry",
      );
    } finally {
      db.close();
      fx.remove();
    }
  });
});
