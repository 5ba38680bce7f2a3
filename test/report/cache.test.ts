import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/connection.ts";
import { PROJECT_ROOT } from "../../src/report/build.ts";
import { runProcess } from "../helpers/cli.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { fillSample } from "./sample-data.ts";

/**
 * The pages' data stored ahead (src/report/cache.ts): a data loader prints the stored JSON while the
 * page's inputs are unchanged, computes the page when they change (a new batch, edited settings, a new
 * model version), and prints the same bytes either way. Through the real binary and the real loaders.
 */

const COMPUTED = /was computed at build time/;

function loader(page: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", join("reports", "data", `${page}.json.ts`)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("the pages' stored data", () => {
  let fx: Fixture;
  let env: Record<string, string>;
  beforeAll(async () => {
    fx = await makeFixture(fillSample);
    const settings = join(fx.dir, "settings.yaml");
    writeFileSync(settings, "");
    env = { LEADCAL_DB: fx.path, LEADCAL_SETTINGS: settings };
  });
  afterAll(() => fx.remove());

  async function sql(statement: string): Promise<void> {
    const db = await openDb(fx.path);
    try {
      await db.conn.run(statement);
    } finally {
      db.close();
    }
  }

  it("is used while fresh, recomputed when the data, the settings or the registry change, the same bytes", async () => {
    const pages = ["funnel", "data-status", "model"];
    const computed = Object.fromEntries(pages.map((p) => [p, loader(p, env)]));
    for (const p of pages) {
      expect(computed[p]?.status, p).toBe(0);
      expect(computed[p]?.stderr, p).toMatch(COMPUTED);
    }

    // `leadcal check` stores the pages that read only the loaded tables.
    // (the note is shown where progress is: a terminal, or LEADCAL_PROGRESS=1)
    const check = await runProcess(["check"], { cwd: PROJECT_ROOT, env: { ...env, LEADCAL_PROGRESS: "1" } });
    expect(check.stderr).toMatch(/stored the site's data-status, funnel, cost-per-sql, service-levels pages/);
    for (const p of ["funnel", "data-status"]) {
      const r = loader(p, env);
      expect(r.stderr, p).not.toMatch(COMPUTED);
      expect(r.stdout, p).toBe(computed[p]?.stdout);
    }
    // Nothing changed since: a second check stores nothing.
    expect(
      (await runProcess(["check"], { cwd: PROJECT_ROOT, env: { ...env, LEADCAL_PROGRESS: "1" } })).stderr,
    ).not.toMatch(/stored the site/);

    // Edited settings: the stored page is stale, and the page is computed with the new settings.
    writeFileSync(env.LEADCAL_SETTINGS as string, "funnel:\n  outcome_window_days: 30\n");
    const edited = loader("funnel", env);
    expect(edited.stderr).toMatch(COMPUTED);
    expect(edited.stdout).not.toBe(computed.funnel?.stdout);
    await runProcess(["check"], { cwd: PROJECT_ROOT, env });
    const stored = loader("funnel", env);
    expect(stored.stderr).not.toMatch(COMPUTED);
    expect(stored.stdout).toBe(edited.stdout);
    writeFileSync(env.LEADCAL_SETTINGS as string, "");

    // A new batch loaded (no page is stored by the load itself): computed at build, as before.
    await sql(`insert into leads (lead_id, batch_id, created_at, channel) values ('L99', 9, '2025-11-30', 'ads');
      insert into load_batches values (9, 'new.csv', '/tmp/new.csv', 'abc', 10, 'csv', 'utf-8', 'leadcal-leads',
        ['leads'], now()::timestamp, now()::timestamp, 1, 1, 0, 1, 0, [])`);
    const afterLoad = loader("data-status", env);
    expect(afterLoad.stderr).toMatch(COMPUTED);
    expect(afterLoad.stdout).not.toBe(computed["data-status"]?.stdout);
    expect(JSON.parse(afterLoad.stdout).coverage.leads).toBe(
      JSON.parse(computed["data-status"]?.stdout ?? "").coverage.leads + 1,
    );
    await runProcess(["check"], { cwd: PROJECT_ROOT, env });
    expect(loader("data-status", env).stdout).toBe(afterLoad.stdout);

    // A new version in the model registry: the Model page is computed again.
    await sql(
      `insert into report_cache select 'model', 'not the inputs of today', 'stale', now()::timestamp`,
    );
    await sql(`insert into model_versions (version, status, origin, definition_sha256, definition_yaml, created_at)
      values ('2030.1', 'draft', 'file', 'x', 'version: "2030.1"', now()::timestamp)`);
    const model = loader("model", env);
    expect(model.stderr).toMatch(COMPUTED);
    expect(model.stdout).toContain('"2030.1"');
  }, 120_000);
});
