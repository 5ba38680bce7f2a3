import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { listPresets, loadPreset, parseMapping } from "../../src/load/mapping.ts";

describe("mapping format", () => {
  it("the example in docs/mapping.md is a valid mapping", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/mapping.md"), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const m = parseMapping(parse(yaml as string), "docs/mapping.md");
    expect(m.targets.map((t) => t.table)).toEqual(["leads", "lead_stage_changes"]);
  });

  it("every preset parses, and the ones the issue names are there", () => {
    const names = listPresets().map((p) => p.name);
    for (const n of [
      "hubspot-contacts",
      "hubspot-deals",
      "salesforce-leads",
      "salesforce-opportunities",
      "olist-mqls",
      "olist-closed-deals",
      "maven-pipeline",
      "maven-accounts",
      "costs",
    ]) {
      expect(names).toContain(n);
    }
    for (const n of names) expect(loadPreset(n).targets.length).toBeGreaterThan(0);
  });

  it("names the field and what was expected when a mapping is wrong", () => {
    expect(() => parseMapping({ targets: [{ table: "leads", columns: { lead_id: 5 } }] }, "m.yaml")).toThrow(
      /m.yaml: mapping is not valid:\n {2}at targets.0.columns.lead_id: /,
    );
    expect(() => parseMapping({ targets: [] }, "m.yaml")).toThrow(/at targets: Too small/);
    expect(() =>
      parseMapping({ targets: [{ table: "leads", columns: {}, stages: { mql: "x" } }] }, "m.yaml"),
    ).toThrow(/stages is only allowed for table lead_stage_changes/);
  });

  it("refuses an unknown preset and lists the real ones", () => {
    expect(() => loadPreset("zoho")).toThrow(/unknown preset 'zoho'; the presets are: .*hubspot-contacts/);
  });
});

describe("value maps", () => {
  it("`other` sends values the map does not list to one value, and leaves missing values missing", async () => {
    const { runCli, tempDir } = await import("../helpers/cli.ts");
    const { writeFileSync } = await import("node:fs");
    const { withDb } = await import("../../src/db/connection.ts");
    const dir = tempDir();
    writeFileSync(
      join(dir, "m.yaml"),
      "targets:\n  - table: leads\n    columns:\n      lead_id: id\n      lifecycle_stage: { from: stage, map: { MQL: mql }, other: null }\n",
    );
    writeFileSync(join(dir, "l.csv"), "id,stage\n1,MQL\n2,Our custom stage\n3,\n");
    const db = join(dir, "x.duckdb");
    const r = await runCli(["load", "--mapping", join(dir, "m.yaml"), join(dir, "l.csv")], {
      LEADCAL_DB: db,
    });
    expect(r.stdout).toMatch(/3 rows read, 3 loaded, 0 rejected/);
    const rows = await withDb(db, async ({ conn }) =>
      (await conn.runAndReadAll("select lead_id, lifecycle_stage from leads order by 1")).getRowObjectsJS(),
    );
    expect(rows).toEqual([
      { lead_id: "1", lifecycle_stage: "mql" },
      { lead_id: "2", lifecycle_stage: null },
      { lead_id: "3", lifecycle_stage: null },
    ]);
  });
});
