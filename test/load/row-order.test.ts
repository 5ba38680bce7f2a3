import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, quotedString as qs } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { keepsRowOrder } from "../../src/load/read.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

/**
 * Row numbers in messages and rejects come from the order rows land in. DuckDB reads a large file in
 * parallel and keeps that order only through order-keeping operators; these tests use a file large enough
 * to be read in several pieces (small files pass whatever the plan).
 */
const ROWS = 400_000;

describe("row numbers in a large file", () => {
  let dir: string;
  let db: string;
  let file: string;
  beforeAll(async () => {
    dir = tempDir();
    db = join(dir, "order.duckdb");
    file = join(dir, "leads.csv");
    // Data row i sits on file row i + 2 (the header is row 1). Three bad rows: an unreadable date near the
    // start, an unknown stage in the middle, and the last row repeating lead L10 (row 12).
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    await conn.run(
      `copy (
         select case when i = ${ROWS - 1} then 'L10' else 'L' || i end as lead_id,
                case when i = 3 then 'not a date' when i = ${ROWS - 1} then '2025-06-30 00:00:00'
                     else '2024-01-01 00:00:00' end as created_at,
                case when i = 200000 then 'bogus' else 'mql' end as lifecycle_stage,
                'person' || i || '@example.com' as email
         from range(${ROWS}) t(i)
       ) to ${qs(file)} (header)`,
    );
    conn.closeSync();
    inst.closeSync();
  });

  it("each rejected row is reported at its own row, with its own values", async () => {
    const r = await runCli(["load", "--table", "leads", file], { LEADCAL_DB: db });
    expect(r.code).toBe(0);
    const rejects = await withDb(db, async ({ conn }) =>
      (
        await conn.runAndReadAll(
          `select row_number::bigint r, column_name c, reason, raw_values->>'lead_id' lead, raw_values->>'created_at' created
           from load_rejects order by row_number`,
        )
      ).getRowObjectsJS(),
    );
    expect(rejects.map((x) => [Number(x.r), x.c, x.lead])).toEqual([
      [5, "created_at", "L3"],
      [200_002, "lifecycle_stage", "L200000"],
      [ROWS + 1, "lead_id", "L10"],
    ]);
    expect(String(rejects[2]?.reason)).toMatch(/duplicate of row 12\b/);
    expect(rejects[2]?.created).toBe("2025-06-30 00:00:00");
    const kept = await withDb(db, async ({ conn }) =>
      (
        await conn.runAndReadAll(
          "select count(*)::bigint n, max(case when lead_id = 'L10' then created_at::varchar end) l10 from leads",
        )
      ).getRowObjectsJS(),
    );
    // the first occurrence of L10 wins
    expect(kept).toEqual([{ n: BigInt(ROWS - 3), l10: "2024-01-01 00:00:00" }]);
  });

  it("rows after an unreadable line keep their own numbers and values", async () => {
    const f = join(dir, "after-broken-line.csv");
    writeFileSync(
      f,
      "lead_id,created_at,email\nL1,2024-01-05,a@x.com\nL2,2024-01-06,b@x.com,EXTRA\nL3,not a date,c@x.com\n" +
        "L4,2024-01-08,d@x.com\nL5,also bad,e@x.com\n",
    );
    const small = join(dir, "small.duckdb");
    expect((await runCli(["load", "--table", "leads", f], { LEADCAL_DB: small })).code).toBe(0);
    const rejects = await withDb(small, async ({ conn }) =>
      (
        await conn.runAndReadAll(
          `select row_number::int r, column_name c, coalesce(raw_values->>'lead_id', raw_values->>'line') v
           from load_rejects order by row_number`,
        )
      ).getRowObjectsJS(),
    );
    expect(rejects).toEqual([
      { r: 3, c: null, v: "L2,2024-01-06,b@x.com,EXTRA" },
      { r: 4, c: "created_at", v: "L3" },
      { r: 6, c: "created_at", v: "L5" },
    ]);
  });

  it("a select that DuckDB would plan as a join is recognised as not keeping the order", async () => {
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    try {
      const five = "('a', 'b', 'c', 'd', 'e')";
      expect(await keepsRowOrder(conn, ["x"], (r) => `select x in ${five} as y from ${r}`)).toBe(false);
      expect(
        await keepsRowOrder(
          conn,
          ["x"],
          (r) => `select list_contains(['a', 'b', 'c', 'd', 'e'], x) from ${r}`,
        ),
      ).toBe(true);
      expect(await keepsRowOrder(conn, ["x"], (r) => `select trim(x) as y from ${r} where x <> ''`)).toBe(
        true,
      );
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});
