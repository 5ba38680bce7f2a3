import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/connection.ts";
import { runCli, runProcess, tempDir } from "../helpers/cli.ts";

/**
 * The exit statuses the README promises, as a shell sees them: each case runs the real
 * bin/leadcal.js as a child process, and the in-process helper (used by the rest of the suite)
 * must report the very same status.
 */
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir("leadcal-exit-");
  db = join(dir, "leadcal.duckdb");
  writeFileSync(join(dir, "leads.csv"), "lead_id,created_at\nL1,2024-03-01\nL2,2024-03-02\n");
  // D1 closes before its lead was created: the database loads, and `check` fails on it.
  writeFileSync(
    join(dir, "deals.csv"),
    "deal_id,lead_id,created_at,closed_at,outcome,amount\nD1,L1,2024-02-01,2024-02-10,won,100\n",
  );
  writeFileSync(join(dir, "bad-date.csv"), "lead_id,created_at\nL3,2024-03-03\nL4,yesterday\n");
  writeFileSync(join(dir, "no-id.csv"), "name,created_at\nAda,2024-03-01\n");
  writeFileSync(join(dir, "bad-definition.yaml"), "version: 1\nfit: 3\nthresholds: nope\n");
  const setup = [
    ["--db", db, "load", "--table", "leads", join(dir, "leads.csv")],
    ["--db", db, "load", "--table", "deals", join(dir, "deals.csv")],
  ];
  for (const args of setup) expect((await runCli(args)).code).toBe(0);
}, 60_000);

interface Case {
  name: string;
  args: () => string[];
  status: number;
  says: RegExp;
}

const CASES: Case[] = [
  { name: "status on a loaded database", args: () => ["--db", db, "status"], status: 0, says: /leads/ },
  { name: "--help", args: () => ["load", "--help"], status: 0, says: /Usage: leadcal load/ },
  {
    name: "check with a failing check",
    args: () => ["--db", db, "check"],
    status: 1,
    says: /FAIL deals close/,
  },
  {
    name: "definition check on an invalid definition",
    args: () => ["--db", db, "definition", "check", join(dir, "bad-definition.yaml")],
    status: 1,
    says: /the definition is not valid/,
  },
  {
    name: "load --strict with a rejected row",
    args: () => ["--db", db, "load", "--strict", "--table", "leads", join(dir, "bad-date.csv")],
    status: 1,
    says: /1 rejected/,
  },
  {
    name: "a load refused for a missing required column",
    args: () => ["--db", db, "load", "--table", "leads", join(dir, "no-id.csv")],
    status: 2,
    says: /refused, nothing loaded: .*no-id\.csv: required column 'lead_id'/,
  },
  {
    name: "an unknown option",
    args: () => ["--db", db, "check", "--nope"],
    status: 2,
    says: /unknown option/,
  },
  {
    name: "a definition file that does not exist",
    args: () => ["definition", "check", join(dir, "absent.yaml")],
    status: 2,
    says: /absent\.yaml: scoring definition not found/,
  },
  {
    name: "calibrate --among a stage that is not before the target",
    args: () => [
      "--db",
      db,
      "calibrate",
      "--definition",
      resolve(import.meta.dirname, "../../data/definition.yaml"),
      "--among",
      "sql",
      "--target",
      "sql",
      "--out",
      join(dir, "draft.yaml"),
    ],
    status: 2,
    says: /--among sql: the population must be an earlier stage than the target sql/,
  },
  {
    name: "calibrate --among an unknown stage",
    args: () => ["--db", db, "calibrate", "--among", "lead", "--out", join(dir, "draft.yaml")],
    status: 2,
    says: /--among: expected mql, sql, opportunity; got lead/,
  },
];

describe("exit status of the real leadcal process", () => {
  it.each(CASES)(
    "$name exits $status, and the in-process helper agrees",
    async (c) => {
      const real = await runProcess(c.args(), { cwd: dir });
      expect(real.stdout + real.stderr).toMatch(c.says);
      expect(real.stderr).not.toMatch(/\n\s+at /);
      expect(real.code).toBe(c.status);
      expect((await runCli(c.args())).code).toBe(real.code);
    },
    60_000,
  );

  it("exits 3 when another process holds the database", async () => {
    const holder = await openDb(db);
    try {
      const real = await runProcess(["--db", db, "status"], { cwd: dir });
      expect(real.stderr).toMatch(/is in use by another process/);
      expect(real.code).toBe(3);
    } finally {
      holder.close();
    }
  }, 60_000);
});
