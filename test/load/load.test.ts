import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb, withDb } from "../../src/db/connection.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

const BIN = join(import.meta.dirname, "../../bin/leadcal.js");

let dir: string;
let db: string;
const q = async (sql: string) =>
  withDb(
    db,
    async ({ conn }) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
  );

beforeAll(() => {
  dir = tempDir();
  db = join(dir, "load.duckdb");
});

describe("loading", () => {
  it("a newer export of the same records updates them, and says how many changed", async () => {
    const v1 = join(dir, "leads-v1.csv");
    const v2 = join(dir, "leads-v2.csv");
    writeFileSync(
      v1,
      "lead_id,created_at,industry,employees\nA,2024-01-01,Retail,50\nB,2024-01-02,Software,200\n",
    );
    writeFileSync(
      v2,
      "lead_id,created_at,industry,employees\nA,2024-01-01,Retail,50\nB,2024-01-02,Software,250\nC,2024-01-03,Banking,9000\n",
    );
    expect((await runCli(["load", "--table", "leads", v1], { LEADCAL_DB: db })).code).toBe(0);
    const r = await runCli(["load", "--table", "leads", v2], { LEADCAL_DB: db });
    expect(r.stdout).toMatch(/leads: 1 inserted, 1 updated, 1 unchanged/);
    expect(await q("select lead_id, employees from leads order by 1")).toEqual([
      { lead_id: "A", employees: 50 },
      { lead_id: "B", employees: 250 },
      { lead_id: "C", employees: 9000 },
    ]);
  });

  it("a partial export updates only the columns it carries", async () => {
    const f = join(dir, "industry-only.csv");
    writeFileSync(f, "lead_id,industry\nB,Fintech\n");
    const r = await runCli(["load", "--table", "leads", f], { LEADCAL_DB: db });
    expect(r.code).toBe(0);
    expect(
      await q("select industry, employees, created_at::varchar c from leads where lead_id = 'B'"),
    ).toEqual([{ industry: "Fintech", employees: 250, c: "2024-01-02 00:00:00" }]);
  });

  it("extra source columns are kept with their types, leading zeros stay text", async () => {
    const f = join(dir, "leads-extra.csv");
    writeFileSync(
      f,
      "lead_id,Zip Code,Lead Score (v2),Is Partner,Webinar Date\nA,01234,12.5,true,2024-02-01 10:00\nC,99501,7,false,\n",
    );
    const r = await runCli(["load", "--table", "leads", f], { LEADCAL_DB: db });
    expect(r.stdout).toMatch(
      /kept 4 extra column\(s\) on leads: zip_code, lead_score_v2, is_partner, webinar_date/,
    );
    const types = await q(
      "select column_name, data_type from information_schema.columns where table_name = 'leads' and column_name in ('zip_code', 'lead_score_v2', 'is_partner', 'webinar_date') order by 1",
    );
    expect(types.map((t) => `${t.column_name}:${t.data_type}`)).toEqual([
      "is_partner:BOOLEAN",
      "lead_score_v2:DOUBLE",
      "webinar_date:TIMESTAMP",
      "zip_code:VARCHAR",
    ]);
    expect(await q("select zip_code, lead_score_v2 from leads where lead_id = 'A'")).toEqual([
      { zip_code: "01234", lead_score_v2: 12.5 },
    ]);
  });

  it("NDJSON and Parquet load through the same mapping as CSV", async () => {
    const nd = join(dir, "acts.ndjson");
    writeFileSync(
      nd,
      [
        {
          lead_id: "A",
          occurred_at: "2024-01-05T10:00:00Z",
          activity_type: "Pricing Page View",
          detail: "/pricing",
        },
        {
          lead_id: "C",
          occurred_at: "2024-01-06 11:30:00",
          activity_type: "demo_request",
          meta: { form: "x" },
        },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n"),
    );
    const r1 = await runCli(["load", "--table", "activities", nd], { LEADCAL_DB: db });
    expect(r1.stdout).toMatch(/2 rows read, 2 loaded, 0 rejected/);
    const pq = join(dir, "acts.parquet");
    await withDb(join(dir, "scratch.duckdb"), async ({ conn }) => {
      await conn.run(
        `copy (select 'B' lead_id, timestamp '2024-01-07 09:00:00' occurred_at, 'email_click' activity_type, 'newsletter' detail)
         to '${pq}' (format parquet)`,
      );
    });
    const r2 = await runCli(["load", "--table", "activities", pq], { LEADCAL_DB: db });
    expect(r2.stdout).toMatch(/1 rows read, 1 loaded, 0 rejected/);
    expect(
      await q("select lead_id, occurred_at::varchar t, activity_type from activities order by t"),
    ).toEqual([
      { lead_id: "A", t: "2024-01-05 10:00:00", activity_type: "pricing_page_view" },
      { lead_id: "C", t: "2024-01-06 11:30:00", activity_type: "demo_request" },
      { lead_id: "B", t: "2024-01-07 09:00:00", activity_type: "email_click" },
    ]);
  });

  it("an overlapping activity export does not double the events it shares with the last one", async () => {
    const f = join(dir, "acts-overlap.csv");
    writeFileSync(
      f,
      "lead_id,occurred_at,activity_type,detail\nA,2024-01-05 10:00:00,pricing_page_view,/pricing\nA,2024-01-09 10:00:00,form_fill,contact-us\n",
    );
    const r = await runCli(["load", "--table", "activities", f], { LEADCAL_DB: db });
    expect(r.stdout).toMatch(/activities: 1 inserted, 0 updated, 1 unchanged/);
    expect(await q("select count(*)::int n from activities")).toEqual([{ n: 4 }]);
  });

  it("a leads file whose only outcome is a converted flag, with no dates at all, loads and keeps the flag", async () => {
    const f = join(dir, "flag-only.csv");
    writeFileSync(
      f,
      "lead_id,industry,Converted\nF1,Retail,Yes\nF2,Retail,No\nF3,Software,1\nF4,Software,\n",
    );
    const r = await runCli(["load", "--table", "leads", f], { LEADCAL_DB: db });
    expect(r.stdout).toMatch(/4 rows read, 4 loaded, 0 rejected/);
    expect(
      await q("select lead_id, created_at, is_converted from leads where lead_id like 'F%' order by 1"),
    ).toEqual([
      { lead_id: "F1", created_at: null, is_converted: true },
      { lead_id: "F2", created_at: null, is_converted: false },
      { lead_id: "F3", created_at: null, is_converted: true },
      { lead_id: "F4", created_at: null, is_converted: null },
    ]);
  });

  it("a second process finding the database in use gets a clear message, not a crash", async () => {
    const held = await openDb(db);
    try {
      const f = join(dir, "later.csv");
      writeFileSync(f, "lead_id\nZ\n");
      const child = spawn(process.execPath, [BIN, "load", "--table", "leads", f], {
        env: { ...process.env, LEADCAL_DB: db },
      });
      const { code, stderr } = await finished(child);
      expect(code).toBe(3);
      expect(stderr).toMatch(
        /leadcal: the database .*load.duckdb is in use by another process \(PID \d+\); wait for it/,
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      held.close();
    }
  });

  it("killing the process mid-load leaves the database as it was", async () => {
    const big = join(dir, "big-activities.csv");
    await withDb(join(dir, "gen.duckdb"), async ({ conn }) => {
      await conn.run(
        `copy (select case i % 3 when 0 then 'A' when 1 then 'B' else 'C' end as lead_id,
                      timestamp '2024-01-01' + to_seconds(i) as occurred_at, 'page_view' as activity_type, '/p/' || i as detail
               from range(3000000) t(i)) to '${big}' (header)`,
      );
    });
    const before = await q(
      "select (select count(*) from activities)::int a, (select count(*) from load_batches)::int b, (select count(*) from load_rejects)::int r",
    );
    const child = spawn(process.execPath, [BIN, "load", "--table", "activities", big], {
      env: { ...process.env, LEADCAL_DB: db, LEADCAL_PROGRESS: "1" },
    });
    let seen = "";
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        seen += d.toString();
        // the direct load writes the rows as it reads them: kill it mid-write
        if (/reading and writing/.test(seen)) {
          setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 300);
        }
      });
      child.on("exit", () => reject(new Error(`load finished before it could be killed: ${seen}`)));
    });
    await new Promise((r) => child.on("close", r));
    expect(child.signalCode).toBe("SIGKILL");
    const after = await q(
      "select (select count(*) from activities)::int a, (select count(*) from load_batches)::int b, (select count(*) from load_rejects)::int r",
    );
    expect(after).toEqual(before);
  }, 120_000);
});

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}
