import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { directMemoryLimit } from "../../src/load/direct.ts";
import { loadFiles } from "../../src/load/load.ts";
import { runProcess, tempDir } from "../helpers/cli.ts";

/**
 * The direct load (src/load/direct.ts) writes a clean CSV straight into its table; a file with anything to
 * report must end exactly as the staged load leaves it: the good rows in, each bad row in load_rejects
 * under its own row number. Each case is a file that passes the reader and fails one check late.
 */
let dir: string;
let db: string;

const rows = (n: number, row: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => row(i)).join("\n");

beforeAll(async () => {
  dir = tempDir();
  db = join(dir, "direct.duckdb");
  const leads = join(dir, "leads.csv");
  writeFileSync(leads, `lead_id,created_at\n${rows(50, (i) => `L${i},2024-01-01`)}\n`);
  const r = await runProcess(["load", "--table", "leads", leads], { env: { LEADCAL_DB: db } });
  expect(r.code).toBe(0);
});

async function loadActivities(name: string, body: string) {
  const f = join(dir, name);
  writeFileSync(f, `lead_id,occurred_at,activity_type,detail\n${body}\n`);
  // With progress on, stderr tells which way the file went.
  return runProcess(["load", "--table", "activities", f], { env: { LEADCAL_DB: db, LEADCAL_PROGRESS: "1" } });
}

async function q(sql: string) {
  return withDb(db, async ({ conn }) => (await conn.runAndReadAll(sql)).getRowObjectsJS());
}

describe("the direct load", () => {
  it("writes a clean file once, and the batch says so", async () => {
    const r = await loadActivities(
      "clean.csv",
      rows(1000, (i) => `L${i % 50},2024-02-01 10:00:${String(i % 60).padStart(2, "0")},page_view,/p/${i}`),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1000 rows read, 1000 loaded, 0 rejected/);
    expect(r.stdout).toMatch(/activities: 1000 inserted, 0 updated, 0 unchanged/);
    expect(r.stderr).toMatch(/reading and writing/);
    expect(r.stderr).not.toMatch(/closer look/);
    expect(await q("select count(*)::int n from activities")).toEqual([{ n: 1000 }]);
  });

  it("a bad date in the last row: the file is read again in order and only that row is rejected, with its number", async () => {
    const body = `${rows(999, (i) => `L${i % 50},2024-03-01 10:00:00,form_fill,/f/${i}`)}\nL1,not a date,form_fill,/f/last`;
    const r = await loadActivities("late-bad-date.csv", body);
    expect(r.stdout).toMatch(/1000 rows read, 999 loaded, 1 rejected/);
    expect(r.stderr).toMatch(/reading and writing[\s\S]*closer look: reading again in file order/);
    const rej = await q(
      "select row_number::int r, column_name c from load_rejects where batch_id = (select max(batch_id) from load_batches)",
    );
    expect(rej).toEqual([{ r: 1001, c: "occurred_at" }]);
  });

  it("a lead that is not in leads, and a repeated row: reported as the staged load reports them", async () => {
    const body = [
      ...Array.from({ length: 500 }, (_, i) => `L${i % 50},2024-04-01 09:00:00,content_download,/d/${i}`),
      "L3,2024-04-01 09:00:00,content_download,/d/3",
      "NOBODY,2024-04-02 09:00:00,content_download,/d/x",
    ].join("\n");
    const r = await loadActivities("late-unknown-and-duplicate.csv", body);
    expect(r.stdout).toMatch(/502 rows read, 500 loaded, 2 rejected/);
    expect(r.stderr).toMatch(/closer look/);
    const rej = await q(
      "select row_number::int r, reason from load_rejects where batch_id = (select max(batch_id) from load_batches) order by 1",
    );
    expect(rej.map((x) => x.r)).toEqual([502, 503]);
    expect(String(rej[0]?.reason)).toMatch(/duplicate of row 5/);
    expect(String(rej[1]?.reason)).toMatch(/unknown lead 'NOBODY'/);
  });

  it("a file that overlaps what is loaded keeps the old rows and counts the shared ones unchanged", async () => {
    const body = rows(
      1200,
      (i) => `L${i % 50},2024-02-01 10:00:${String(i % 60).padStart(2, "0")},page_view,/p/${i}`,
    );
    const r = await loadActivities("overlap.csv", body);
    expect(r.stdout).toMatch(/activities: 200 inserted, 0 updated, 1000 unchanged/);
    expect(r.stderr).not.toMatch(/closer look/);
    expect(await q("select count(*)::int n from activities where detail like '/p/%'")).toEqual([{ n: 1200 }]);
  });

  it("runs under a quarter of DuckDB's budget and gives the connection its own limit back", async () => {
    expect(directMemoryLimit(16 * 2 ** 30)).toBe(4 * 2 ** 30);
    expect(directMemoryLimit(512 * 2 ** 20)).toBe(256 * 2 ** 20);
    expect(directMemoryLimit(100 * 2 ** 20)).toBe(100 * 2 ** 20);
    const f = join(dir, "limit.csv");
    writeFileSync(f, `lead_id,occurred_at,activity_type\n${rows(10, (i) => `L${i},2024-05-01,page_view`)}\n`);
    await withDb(db, async (d) => {
      const limit = async () =>
        String(
          (await d.conn.runAndReadAll("select current_setting('memory_limit') v")).getRowObjectsJS()[0]?.v,
        );
      const before = await limit();
      const [res] = await loadFiles(d, [f], { table: "activities" });
      expect(res?.rowsLoaded).toBe(10);
      expect(await limit()).toBe(before);
    });
  });
});
