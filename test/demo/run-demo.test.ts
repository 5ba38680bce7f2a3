import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { runDemo } from "../../src/demo/index.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { END } from "./files.ts";

let dir: string;
let db: string;
let out: string;

beforeAll(() => {
  dir = tempDir("leadcal-demo-run-");
  db = join(dir, "demo.duckdb");
  out = join(dir, "files");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runDemo", () => {
  it("loads every demo file through the loader with no rejects, and the table checks pass", async () => {
    const r = await runDemo({ dbPath: db, leads: 2000, seed: 7, end: END, outDir: out });
    expect(r.loads.map((l) => [l.mapping, l.status, l.rowsRejected])).toEqual([
      ["leadcal-leads", "loaded", 0],
      ["leadcal-stage-changes", "loaded", 0],
      ["leadcal-activities", "loaded", 0],
      ["leadcal-sales-touches", "loaded", 0],
      ["leadcal-deals", "loaded", 0],
      ["costs", "loaded", 0],
    ]);
    expect(r.checks).toEqual([]);
    const counts = await withDb(db, async ({ conn }) => {
      const rows = await conn.runAndReadAll(`select
        (select count(*) from leads)::integer as leads,
        (select count(*) from lead_stage_changes)::integer as "stageChanges",
        (select count(*) from activities)::integer as activities,
        (select count(*) from sales_touches)::integer as "salesTouches",
        (select count(*) from deals)::integer as deals,
        (select count(*) from costs)::integer as costs,
        (select count(*) from information_schema.columns
          where table_name = 'leads' and column_name in ('utm_medium', 'company_domain'))::integer as extras`);
      return rows.getRowObjectsJson()[0];
    });
    expect(counts).toEqual({ ...r.generated.rows, extras: 2 });
  });

  it("changes nothing when run again with the same options", async () => {
    const r = await runDemo({ dbPath: db, leads: 2000, seed: 7, end: END, outDir: out });
    expect(r.loads.every((l) => l.status === "unchanged")).toBe(true);
  });

  it("refuses to mix another demo into the database, and leaves the loaded files as they were", async () => {
    const before = readFileSync(join(out, "leads.csv"));
    await expect(runDemo({ dbPath: db, leads: 2000, seed: 8, end: END, outDir: out })).rejects.toThrow(
      /already holds the demo with seed 7, 2000 leads, ending 2026-11-01 \(you asked for seed 8/,
    );
    expect(readFileSync(join(out, "leads.csv")).equals(before)).toBe(true);
  });
});

describe("leadcal demo", () => {
  it("generates, loads and reports what it did", async () => {
    const d = tempDir("leadcal-demo-cli-");
    const r = await runCli(
      ["demo", "--leads", "1_000", "--seed", "3", "--end", "2026-11-01", "--out", join(d, "f")],
      {
        LEADCAL_DB: join(d, "cli.duckdb"),
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Generated 1,000 leads \(seed 3\), 2024-08-01 to 2026-11-01/);
    expect(r.stdout).toMatch(/activities\.csv +[\d,]+ rows/);
    expect(r.stdout).toMatch(/All table checks pass/);
    rmSync(d, { recursive: true, force: true });
  });

  it.each([
    [["--leads", "0"], /--leads must be a whole number from 1/],
    [["--leads", "many"], /--leads must be a whole number/],
    [["--seed", "-1"], /--seed must be a whole number/],
    [["--end", "2026-02-30"], /--end must be a date as YYYY-MM-DD/],
  ])("refuses %j with a message, not a stack trace", async (args, message) => {
    const r = await runCli(["demo", ...args], { LEADCAL_DB: join(dir, "never.duckdb") });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
