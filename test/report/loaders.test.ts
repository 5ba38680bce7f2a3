import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { buildSite, PROJECT_ROOT } from "../../src/report/build.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { fillSample } from "./sample-data.ts";

const LOADERS = ["overview", "funnel", "cost-per-sql", "service-levels", "data-status"];

/** Runs a data loader as Framework does: `tsx <loader>` from the project root. */
function runLoader(name: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", join("reports", "data", `${name}.json.ts`)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("data loaders", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await makeFixture(fillSample);
  });
  afterAll(() => fx.remove());

  it("print their page's JSON on stdout, reading the database LEADCAL_DB names", () => {
    for (const name of LOADERS) {
      const r = runLoader(name, { LEADCAL_DB: fx.path });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.asOf.date, name).toBe("2025-12-01");
      // Aggregates only: no lead-level field reaches the page data.
      expect(r.stdout).not.toMatch(/l1@example\.com|PersonL1|"L1"/);
    }
  }, 60_000);

  it("fail the build, with a message and nothing on stdout, when the database cannot be read", () => {
    const bad = join(fx.dir, "not-a-database.duckdb");
    writeFileSync(bad, "this is not a DuckDB file");
    const r = runLoader("overview", { LEADCAL_DB: bad });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/leadcal report loader: .*not a DuckDB database/);
  });

  it("refuse to build a site from a database that does not exist", async () => {
    await expect(buildSite({ dbPath: join(fx.dir, "missing.duckdb"), log: () => {} })).rejects.toThrow(
      UserError,
    );
  });
});
