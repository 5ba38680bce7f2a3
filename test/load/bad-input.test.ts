import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

/**
 * The bad-input corpus (test/fixtures/bad): every malformed file ends in a clear message naming the
 * file (and the row and column where a row is at fault), a non-zero exit when the file is refused,
 * no stack trace, and nothing lost: a refused file changes nothing; a partly bad file lands its good
 * rows and keeps each rejected row with its reason and raw values.
 */
const BAD = join(import.meta.dirname, "../fixtures/bad");
const MAP = join(BAD, "mappings");

interface Case {
  file: string;
  args: string[];
  /** refused: nothing loaded, non-zero exit. partial: good rows loaded, the rest rejected with reasons. */
  outcome: "refused" | "partial" | "loaded";
  message: RegExp;
  loaded?: number;
  rejected?: number;
  /** For partial loads: each rejected row's number and column, as load_rejects keeps them. */
  rejects?: { row: number; column: string | null; reason: RegExp }[];
}

const CASES: Case[] = [
  { file: "empty.csv", args: ["--table", "leads"], outcome: "refused", message: /empty \(0 bytes\)/ },
  {
    file: "header-only.csv",
    args: ["--table", "leads"],
    outcome: "refused",
    message: /header but no data rows/,
  },
  {
    file: "wrong-delimiter.csv",
    args: ["--mapping", join(MAP, "comma-leads.yaml")],
    outcome: "refused",
    message: /required column 'lead_id'.*is the delimiter right/s,
  },
  {
    file: "missing-required-column.csv",
    args: ["--table", "leads"],
    outcome: "refused",
    message: /required column 'lead_id' \(for leads.lead_id\) not found; the file's columns are: 'id'/,
  },
  {
    file: "unknown-column-in-mapping.csv",
    args: ["--mapping", join(MAP, "extra-source-column.yaml")],
    outcome: "refused",
    message: /column Lead Source Detail: the mapping reads column 'Lead Source Detail'/,
  },
  {
    file: "unparseable-date.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /column created_at: cannot read '…' as a date-time \(ISO 8601\) \(first at row 3\)/,
    loaded: 2,
    rejected: 1,
    rejects: [{ row: 3, column: "created_at", reason: /cannot read 'yesterday'/ }],
  },
  {
    file: "impossible-dates.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /2 rejected/,
    loaded: 1,
    rejected: 2,
    rejects: [
      { row: 2, column: "created_at", reason: /cannot read '2024-02-30'/ },
      { row: 3, column: "created_at", reason: /cannot read '2024-13-01'/ },
    ],
  },
  {
    file: "implausible-dates.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /implausible date/,
    loaded: 1,
    rejected: 2,
    rejects: [
      { row: 2, column: "created_at", reason: /implausible date 2099-01-05/ },
      { row: 3, column: "created_at", reason: /implausible date 1875-01-06/ },
    ],
  },
  {
    file: "negative-amount.csv",
    args: ["--table", "deals"],
    outcome: "partial",
    message: /column amount: negative value/,
    loaded: 1,
    rejected: 1,
    rejects: [{ row: 3, column: "amount", reason: /negative value -500/ }],
  },
  {
    file: "duplicate-ids.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /duplicate of row 2/,
    loaded: 2,
    rejected: 1,
    rejects: [{ row: 4, column: "lead_id", reason: /duplicate of row 2 \(same lead_id: 'L1'\)/ }],
  },
  {
    file: "deal-unknown-lead.csv",
    args: ["--table", "deals"],
    outcome: "partial",
    message: /unknown lead/,
    loaded: 1,
    rejected: 1,
    rejects: [{ row: 3, column: "lead_id", reason: /unknown lead 'NOPE-404'.*load the leads file first/ }],
  },
  {
    file: "unknown-stage.csv",
    args: ["--table", "lead_stage_changes"],
    outcome: "partial",
    message: /column stage: unknown value/,
    loaded: 1,
    rejected: 1,
    rejects: [{ row: 3, column: "stage", reason: /unknown value 'hot_prospect' \(accepted: lead, mql/ }],
  },
  {
    file: "invalid-utf8.csv",
    args: ["--mapping", join(MAP, "strict-utf8.yaml")],
    outcome: "refused",
    message: /row 3: not valid UTF-8 .*encoding: latin-1/,
  },
  {
    file: "too-many-columns.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /too many columns/,
    loaded: 2,
    rejected: 1,
    rejects: [{ row: 3, column: null, reason: /too many columns/ }],
  },
  {
    file: "unterminated-quote.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /1 rejected/,
    loaded: 2,
    rejected: 1,
  },
  {
    file: "missing-key-value.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /column lead_id: missing required value/,
    loaded: 1,
    rejected: 2,
    rejects: [
      { row: 3, column: "lead_id", reason: /missing required value for leads.lead_id/ },
      { row: 4, column: "lead_id", reason: /missing required value/ },
    ],
  },
  {
    file: "unknown-touch-kind.csv",
    args: ["--table", "sales_touches"],
    outcome: "partial",
    message: /column kind: unknown value/,
    loaded: 1,
    rejected: 1,
    rejects: [{ row: 3, column: "kind", reason: /unknown value 'sms'/ }],
  },
  {
    file: "costs-bad-team-and-amount.csv",
    args: ["--preset", "costs"],
    outcome: "partial",
    message: /rejected/,
    loaded: 1,
    rejected: 2,
    rejects: [
      { row: 3, column: "team", reason: /unknown value 'finance'/ },
      { row: 4, column: "amount", reason: /cannot read 'lots' as a number/ },
    ],
  },
  {
    file: "broken-line.ndjson",
    args: ["--table", "activities"],
    outcome: "partial",
    message: /not a valid JSON object/,
    loaded: 2,
    rejected: 2,
    rejects: [
      { row: 2, column: null, reason: /not a valid JSON object/ },
      { row: 4, column: null, reason: /not a valid JSON object/ },
    ],
  },
  {
    file: "binary.csv",
    args: ["--table", "leads"],
    outcome: "refused",
    message: /binary file \(it contains NUL bytes\)/,
  },
  {
    file: "not-parquet.parquet",
    args: ["--table", "leads"],
    outcome: "refused",
    message: /not a Parquet file/,
  },
  {
    file: "no-such-file.csv",
    args: ["--table", "leads"],
    outcome: "refused",
    message: /no-such-file.csv: file not found/,
  },
  {
    file: "unparseable-date.csv",
    args: ["--mapping", join(MAP, "broken.yaml")],
    outcome: "refused",
    message: /broken.yaml, row \d+: not valid YAML/,
  },
  {
    file: "unparseable-date.csv",
    args: ["--mapping", join(MAP, "wrong-schema.yaml")],
    outcome: "refused",
    message:
      /wrong-schema.yaml: mapping is not valid:\n {2}at targets.0.table: expected one of "leads", .*got "prospects"/,
  },
  {
    file: "quoted-newlines.csv",
    args: ["--table", "leads"],
    outcome: "partial",
    message: /cannot read/,
    loaded: 2,
    rejected: 1,
    rejects: [{ row: 4, column: "created_at", reason: /cannot read 'bad-date'/ }],
  },
];

let dir: string;
let db: string;

async function counts(): Promise<Record<string, number>> {
  return withDb(db, async ({ conn }) => {
    const r = await conn.runAndReadAll(
      `select (select count(*) from load_batches)::int batches, (select count(*) from load_rejects)::int rejects,
              (select count(*) from leads)::int leads, (select count(*) from deals)::int deals,
              (select count(*) from activities)::int activities, (select count(*) from costs)::int costs`,
    );
    return r.getRowObjectsJS()[0] as Record<string, number>;
  });
}

beforeAll(async () => {
  dir = tempDir();
  db = join(dir, "bad.duckdb");
  const leads = join(dir, "base-leads.csv");
  writeFileSync(leads, "lead_id,created_at,email\nL1,2024-01-01,a@acme.com\nL2,2024-01-02,b@acme.com\n");
  const r = await runCli(["load", "--table", "leads", leads], { LEADCAL_DB: db });
  expect(r.code).toBe(0);
  // A 3 MB field is over the CSV reader's 2 MB line limit: generated here, not committed.
  writeFileSync(
    join(dir, "very-long-field.csv"),
    `lead_id,created_at,company\nL7,2024-01-05,Acme\nL8,2024-01-06,${"x".repeat(3 << 20)}\nL9,2024-01-07,Gamma\n`,
  );
});

describe("bad-input corpus", () => {
  it("has at least 20 malformed files", () => {
    expect(new Set(CASES.map((c) => c.file)).size).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    it(`${c.file} (${c.args.join(" ").replace(MAP, "")}) is ${c.outcome} with a clear message`, async () => {
      const before = await counts();
      const file = c.file === "no-such-file.csv" ? join(dir, c.file) : join(BAD, c.file);
      const run = await runCli(["load", ...c.args, file], { LEADCAL_DB: db });
      const text = run.stdout + run.stderr;
      expect(text).toMatch(c.message);
      expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
      const after = await counts();
      if (c.outcome === "refused") {
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain(
          c.file.startsWith("no-such")
            ? c.file
            : c.args.includes("--mapping") && /broken|wrong-schema/.test(c.args.join(" "))
              ? ".yaml"
              : c.file,
        );
        expect(after).toEqual(before);
        return;
      }
      expect(run.code).toBe(0);
      expect(after.batches).toBe((before.batches ?? 0) + 1);
      await withDb(db, async ({ conn }) => {
        const b = (
          await conn.runAndReadAll(
            "select batch_id, rows_read::int r, rows_loaded::int l, rows_rejected::int x from load_batches order by batch_id desc limit 1",
          )
        ).getRowObjectsJS()[0] as { batch_id: number; r: number; l: number; x: number };
        expect(b.r).toBe(b.l + b.x);
        if (c.loaded !== undefined) expect(b.l).toBe(c.loaded);
        if (c.rejected !== undefined) expect(b.x).toBe(c.rejected);
        const rej = (
          await conn.runAndReadAll(
            `select row_number::int as rnum, column_name, reason, raw_values::varchar raw from load_rejects
             where batch_id = ${b.batch_id} order by row_number`,
          )
        ).getRowObjectsJS() as { rnum: number; column_name: string | null; reason: string; raw: string }[];
        expect(new Set(rej.map((r) => r.rnum)).size).toBe(b.x);
        for (const r of rej) expect(r.raw.length).toBeGreaterThan(2); // raw values kept
        for (const want of c.rejects ?? []) {
          const got = rej.find((r) => r.rnum === want.row && r.column_name === want.column);
          expect(
            got,
            `reject at row ${want.row}, column ${want.column}: ${JSON.stringify(rej)}`,
          ).toBeDefined();
          expect(got?.reason).toMatch(want.reason);
        }
      });
    });
  }

  it("a very long field (3 MB of notes) loads intact", async () => {
    const run = await runCli(["load", "--table", "leads", join(dir, "very-long-field.csv")], {
      LEADCAL_DB: db,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 rows read, 3 loaded, 0 rejected/);
    await withDb(db, async ({ conn }) => {
      const r = await conn.runAndReadAll("select length(company)::int n from leads where lead_id = 'L8'");
      expect(r.getRowObjectsJS()[0]?.n).toBe(3 << 20);
    });
  });

  it("invalid UTF-8 under the default (auto) encoding is read as Latin-1 and says so", async () => {
    const run = await runCli(["load", "--table", "leads", join(BAD, "invalid-utf8.csv")], { LEADCAL_DB: db });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/not valid UTF-8 \(first bad byte at row 3\): read as Latin-1/);
    await withDb(db, async ({ conn }) => {
      const r = await conn.runAndReadAll("select company from leads where lead_id = 'L2'");
      expect(r.getRowObjectsJS()[0]?.company).toBe("Gestión Integral SA");
    });
  });

  it("a Parquet file with wrong types rejects the rows whose values do not fit", async () => {
    const file = join(dir, "wrong-types.parquet");
    await withDb(join(dir, "scratch.duckdb"), async ({ conn }) => {
      await conn.run(
        `copy (select * from (values ('D5', 'L1', 20240105, 'won', 'lots'), ('D6', 'L2', 20240106, 'lost', '100'))
               t(deal_id, lead_id, created_at, outcome, amount)) to '${file}' (format parquet)`,
      );
    });
    const run = await runCli(["load", "--table", "deals", file], { LEADCAL_DB: db });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 rows read, 0 loaded, 2 rejected/);
    expect(run.stdout).toMatch(/column amount: cannot read '…' as a number \(first at row 1\)/);
    expect(run.stdout).toMatch(
      /column created_at: cannot read '…' as a date-time \(ISO 8601\) \(first at row 1\)/,
    );
  });

  it("--strict turns rejected rows into exit status 1", async () => {
    copyFileSync(join(BAD, "unknown-touch-kind.csv"), join(dir, "touches-again.csv"));
    writeFileSync(
      join(dir, "touches-again.csv"),
      "lead_id,occurred_at,kind,rep\nL1,2024-01-09 10:00:00,fax,Ann\n",
    );
    const run = await runCli(
      ["load", "--strict", "--table", "sales_touches", join(dir, "touches-again.csv")],
      {
        LEADCAL_DB: db,
      },
    );
    expect(run.code).toBe(1);
  });
});
