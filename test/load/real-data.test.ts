import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runAllChecks } from "../../src/checks.ts";
import { withDb } from "../../src/db/connection.ts";
import { runCli, tempDir } from "../helpers/cli.ts";

/** The real public exports in ../shared/data load through their presets with the counts they should have. */
const SHARED = join(import.meta.dirname, "../../../shared/data");
const OLIST = join(SHARED, "olist-marketing-funnel");
const MAVEN = join(SHARED, "maven-crm");
const FB = join(SHARED, "fb-ad-conversions/KAG_conversion_data.csv");

describe.skipIf(!existsSync(SHARED))("real exports in ../shared/data", () => {
  let db: string;
  const q = async (sql: string) =>
    withDb(
      db,
      async ({ conn }) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
    );

  beforeAll(async () => {
    db = join(tempDir(), "real.duckdb");
  });

  it("Olist MQLs: 8,000 leads, each an MQL at its first contact; 'unknown' and blank origins kept apart", async () => {
    const run = await runCli(
      ["load", "--preset", "olist-mqls", join(OLIST, "olist_marketing_qualified_leads_dataset.csv")],
      { LEADCAL_DB: db },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/8000 rows read, 8000 loaded, 0 rejected/);
    const [r] = await q(`select count(*)::int n, count(distinct lead_id)::int ids,
      count(*) filter (where source = 'unknown')::int unknown_source,
      count(*) filter (where source is null)::int blank_source,
      count(*) filter (where channel is null)::int no_channel,
      min(created_at)::varchar lo, max(created_at)::varchar hi,
      count(distinct landing_page_id)::int pages from leads`);
    expect(r).toEqual({
      n: 8000,
      ids: 8000,
      unknown_source: 1099,
      blank_source: 60,
      no_channel: 1159,
      lo: "2017-06-14 00:00:00",
      hi: "2018-05-31 00:00:00",
      pages: 495,
    });
    const [s] = await q("select count(*)::int n from lead_stage_changes where stage = 'mql'");
    expect(s?.n).toBe(8000);
  });

  it("Olist closed deals: 842 won deals, all linked to their MQL; the deal won before first contact is flagged", async () => {
    const run = await runCli(
      ["load", "--preset", "olist-closed-deals", join(OLIST, "olist_closed_deals_dataset.csv")],
      { LEADCAL_DB: db },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/842 rows read, 842 loaded, 0 rejected/);
    const [d] = await q(`select count(*)::int n, count(*) filter (where outcome = 'won')::int won,
      count(*) filter (where lead_id in (select lead_id from leads))::int linked,
      min(closed_at)::varchar lo, max(closed_at)::varchar hi from deals`);
    expect(d).toEqual({
      n: 842,
      won: 842,
      linked: 842,
      lo: "2017-12-05 02:00:00",
      hi: "2018-11-14 18:04:19",
    });
    // Extra columns keep their types: True/False strings become booleans, revenue a number.
    const types = await q(
      "select column_name, data_type from information_schema.columns where table_name = 'deals' and column_name in ('has_company', 'declared_monthly_revenue', 'lead_behaviour_profile') order by 1",
    );
    expect(types).toEqual([
      { column_name: "declared_monthly_revenue", data_type: "DOUBLE" },
      { column_name: "has_company", data_type: "BOOLEAN" },
      { column_name: "lead_behaviour_profile", data_type: "VARCHAR" },
    ]);
    await withDb(db, async ({ conn }) => {
      const failures = await runAllChecks(conn);
      const names = failures.map((f) => `${f.check.name}: ${f.count}`);
      expect(names).toContain("deals close on or after their lead was created: 1");
    });
  });

  it("loading the same Olist file again changes nothing", async () => {
    const before = await q(
      "select (select count(*) from leads)::int l, (select count(*) from load_batches)::int b",
    );
    const run = await runCli(
      ["load", "--preset", "olist-mqls", join(OLIST, "olist_marketing_qualified_leads_dataset.csv")],
      { LEADCAL_DB: db },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/already loaded as batch 1 .*nothing changed/);
    expect(
      await q("select (select count(*) from leads)::int l, (select count(*) from load_batches)::int b"),
    ).toEqual(before);
  });

  it("Maven pipeline (CRLF): 8,800 opportunities with their stages; accounts with corrected typos", async () => {
    const acc = await runCli(["load", "--preset", "maven-accounts", join(MAVEN, "accounts.csv")], {
      LEADCAL_DB: db,
    });
    expect(acc.stdout).toMatch(/85 rows read, 85 loaded, 0 rejected/);
    const run = await runCli(["load", "--preset", "maven-pipeline", join(MAVEN, "sales_pipeline.csv")], {
      LEADCAL_DB: db,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/8800 rows read, 8800 loaded, 0 rejected/);
    const rows = await q(
      "select stage, outcome, count(*)::int n, count(closed_at)::int closed from deals where deal_id not in (select lead_id from leads) group by all order by n desc",
    );
    expect(rows).toEqual([
      { stage: "Won", outcome: "won", n: 4238, closed: 4238 },
      { stage: "Lost", outcome: "lost", n: 2473, closed: 2473 },
      { stage: "Engaging", outcome: "open", n: 1589, closed: 0 },
      { stage: "Prospecting", outcome: "open", n: 500, closed: 0 },
    ]);
    const [a] = await q(
      "select count(*) filter (where industry = 'technology')::int tech, count(*) filter (where industry = 'technolgy')::int typo, count(*) filter (where country = 'Philippines')::int ph, max(annual_revenue) max_rev from accounts",
    );
    expect(a).toMatchObject({ tech: 12, typo: 0, ph: 1 });
    expect(Number(a?.max_rev)).toBeGreaterThan(1e9); // revenue is in USD, not millions
  });

  it("the Facebook ad file (CR-only line endings, no final newline) is read whole: 1,143 rows", async () => {
    const dir = tempDir();
    const mapping = join(dir, "fb-costs.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      mapping,
      `# spend per ad; the export has no dates, so the whole file is one period
targets:
  - table: costs
    columns:
      period_start: { value: "2017-01-01" }
      period_end: { value: "2017-12-31" }
      channel: { value: paid_social }
      team: { value: marketing }
      amount: Spent
    keep: none
`,
    );
    const run = await runCli(["load", "--mapping", mapping, FB], { LEADCAL_DB: join(dir, "fb.duckdb") });
    expect(run.stdout).toMatch(/1143 rows read, 1 loaded, 1142 rejected/);
    // every ad is one row of the same period x channel x team: the duplicates are refused, not summed silently
    expect(run.stdout).toMatch(/duplicate of row 2/);
  });
});
