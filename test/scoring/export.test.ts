import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/connection.ts";
import { exportScores, scoreLeads } from "../../src/scoring/index.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { definition, insertRows } from "./fixture.ts";

/** RFC 4180: fields separated by commas, quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows;
}

// Labels chosen to trip a spreadsheet: a formula, a comma, quotes, accents.
const DEF = definition(`fit:
  - name: size
    label: "=Größe, \\"employees\\""
    column: employees
    bands: [{ min: 100, points: 10, label: "100+" }]
    missing: -3
negative:
  - { name: personal, label: "@personal email", column: email_domain_kind, in: [personal], points: -5 }
thresholds: [{ stage: mql, min_score: 5 }]
`);

async function scoredDb(dir: string): Promise<string> {
  const path = join(dir, "scores.duckdb");
  const db = await openDb(path);
  try {
    await insertRows(db.conn, "leads", [
      { lead_id: "0042", created_at: "2025-01-01", employees: 500, email_domain_kind: "business" },
      { lead_id: "lead,with,commas", created_at: "2025-01-01", email_domain_kind: "personal" },
      { lead_id: "L3", created_at: "2025-01-01", employees: 10 },
    ]);
    await scoreLeads(db, { definition: DEF, asOf: "2025-06-30" });
  } finally {
    db.close();
  }
  return path;
}

describe("export-scores", () => {
  it("writes a CSV a spreadsheet reads as it is", async () => {
    const dir = tempDir();
    const path = await scoredDb(dir);
    const out = join(dir, "out", "scores.csv");
    const r = await runCli(["--db", path, "export-scores", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote 3 scores \(version test, run 1, as of 2025-06-30 00:00:00\)/);

    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for Excel
    const rows = parseCsv(bytes.toString("utf8").slice(1));
    expect(rows[0]).toEqual([
      "lead_id",
      "score",
      "fit",
      "situational",
      "engagement",
      "negative",
      "grade",
      "stage",
      "complete",
      "missing_fields",
      "reasons",
      "as_of",
      "definition_version",
    ]);
    expect(rows.length).toBe(4);
    for (const row of rows) expect(row.length).toBe(13);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    // Ids are never altered: leading zeros and commas survive (quoted).
    expect(byId.get("0042")?.slice(1, 6)).toEqual(["10", "10", "0", "0", "0"]);
    // A reason that starts with = would run as a formula: it gets a leading apostrophe; accents stay.
    expect(byId.get("0042")?.[10]).toBe(`'=Größe, "employees": 100+ (+10)`);
    expect(byId.get("lead,with,commas")?.[10]).toBe(
      `'@personal email (-5); =Größe, "employees": not known (-3)`,
    );
    expect(byId.get("lead,with,commas")?.[1]).toBe("-8");
    expect(byId.get("L3")?.[7]).toBe("lead");
    expect(byId.get("0042")?.[7]).toBe("mql");
    expect(byId.get("0042")?.[11]).toBe("2025-06-30 00:00:00");
  });

  it("reads back through a strict CSV reader with the same values", async () => {
    const dir = tempDir();
    const path = await scoredDb(dir);
    const out = join(dir, "scores.csv");
    const r = await runCli(["--db", path, "export-scores", "--out", out, "--no-bom"]);
    expect(r.code).toBe(0);
    expect(readFileSync(out)[0]).toBe("l".charCodeAt(0));
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const rows = (
        await conn.runAndReadAll(
          "select lead_id, score, reasons from read_csv($f, header = true, strict_mode = true, all_varchar = true) order by lead_id",
          { f: out },
        )
      ).getRowObjectsJson();
      expect(rows.map((x) => x.lead_id)).toEqual(["0042", "L3", "lead,with,commas"]);
      // L3 has 10 employees: present, in no band, so "otherwise" (0).
      expect(rows.map((x) => x.score)).toEqual(["10", "0", "-8"]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("says so when nothing has been scored", async () => {
    const dir = tempDir();
    const path = join(dir, "empty.duckdb");
    (await openDb(path)).close();
    const r = await runCli(["--db", path, "export-scores", "--out", join(dir, "x.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("leadcal: no scores stored for any definition: run `npx leadcal score` first\n");
  });

  it("exports a chosen run", async () => {
    const dir = tempDir();
    const path = await scoredDb(dir);
    const db = await openDb(path);
    try {
      await scoreLeads(db, { definition: DEF, asOf: "2025-01-01" });
      const r = await exportScores(db.conn, { out: join(dir, "run1.csv"), runId: 1 });
      expect(r).toMatchObject({ rows: 3, runId: 1, asOf: "2025-06-30 00:00:00" });
      const latest = await exportScores(db.conn, { out: join(dir, "latest.csv") });
      expect(latest).toMatchObject({ rows: 3, runId: 2, asOf: "2025-01-01 00:00:00" });
    } finally {
      db.close();
    }
  });
});
