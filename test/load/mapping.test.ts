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
    expect(() => parseMapping({ targets: [] }, "m.yaml")).toThrow(
      /at targets: expected at least one target table/,
    );
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

describe("mapping errors say what is accepted", () => {
  const refusal = (doc: unknown) => {
    try {
      parseMapping(doc, "my-crm.yaml");
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("the mapping was accepted");
  };

  it("explains a map to true on the converted flag", () => {
    const doc = parse(
      'targets:\n  - table: leads\n    columns:\n      lead_id: Id\n      is_converted: { from: Converted, map: { "Yes": true } }\n',
    );
    expect(refusal(doc)).toBe(
      "my-crm.yaml: mapping is not valid:\n  at targets.0.columns.is_converted.map.Yes: map values are text or null " +
        "(null makes the value missing); a converted flag (is_converted) reads yes/no/true/false/1/0 as they are " +
        "and needs no map; got true",
    );
  });

  it("never answers a bare 'Invalid input', whatever value is put wherever", () => {
    const full = {
      name: "x",
      format: "csv",
      csv: { delimiter: ",", encoding: "auto", skip: 0 },
      missing: ["n/a"],
      allow_missing_columns: false,
      targets: [
        {
          table: "leads",
          columns: {
            lead_id: "Id",
            created_at: {
              from: ["A", "B"],
              formats: ["%d"],
              map: { a: "b" },
              other: null,
              thousands: ",",
              default: "a",
            },
            email_domain_kind: { from: "Email", derive: "email_domain_kind" },
          },
          keep: "all",
        },
        { table: "lead_stage_changes", columns: { lead_id: "Id" }, stages: { mql: "A" } },
      ],
    };
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length > 0) paths.push(path);
      if (v !== null && typeof v === "object")
        for (const [k, x] of Object.entries(v)) walk(x, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(full, []);
    for (const path of paths) {
      for (const bad of [true, 5, [], {}, "zz", null, [1], { a: true }]) {
        const doc = structuredClone(full) as Record<string | number, unknown>;
        let at = doc;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        at[path.at(-1) as string | number] = bad;
        let message = "";
        try {
          parseMapping(doc, "m.yaml");
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message, `${path.join(".")} = ${JSON.stringify(bad)}`).not.toMatch(
          /Invalid input|Invalid option|Too (big|small)/,
        );
      }
    }
  });
});
