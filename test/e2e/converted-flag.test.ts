import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, PROJECT_ROOT } from "../../src/report/build.ts";
import { serveStatic } from "../../src/report/serve.ts";
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from "../helpers/browser.ts";
import { type LeadBlock, leadsFromBlocks } from "../report/converted-flag-data.ts";

/**
 * The export the design calls common: a leads file with a converted flag and no dates at all. It is
 * written as CSV, loaded through the real CLI (`bin/leadcal.js load --preset leadcal-leads`), the
 * site is built from it, and the Overview and Funnel are opened in Debian's Chromium: both must
 * show leads, converted and the rate, by segment, and say that there are no dates. Screenshots go
 * to test-results/converted-flag/.
 */

const SHOTS = resolve(PROJECT_ROOT, "test-results", "converted-flag");

/**
 * 3,005 leads, 1,214 converted (40.4%), no dates.
 *
 * channel      source      industry  employees  country  leads  converted
 * paid_search  google      Software  30         DE       1200   400
 * organic      -           Retail    120        FR       900    450
 * events       linkedin    Software  500        DE       600    300
 * email        newsletter  Finance   2000       US       300    60
 * referral     partner     Finance   -          DE       3      3
 * podcast      partner     Finance   -          DE       2      1
 *
 * referral (3) and podcast (2) are under 5 leads each: together they are "Other", 5 leads, 4 converted.
 */
const BLOCKS: LeadBlock[] = [
  {
    n: 1200,
    converted: 400,
    channel: "paid_search",
    source: "google",
    industry: "Software",
    employees: 30,
    country: "DE",
  },
  { n: 900, converted: 450, channel: "organic", industry: "Retail", employees: 120, country: "FR" },
  {
    n: 600,
    converted: 300,
    channel: "events",
    source: "linkedin",
    industry: "Software",
    employees: 500,
    country: "DE",
  },
  {
    n: 300,
    converted: 60,
    channel: "email",
    source: "newsletter",
    industry: "Finance",
    employees: 2000,
    country: "US",
  },
  { n: 3, converted: 3, channel: "referral", source: "partner", industry: "Finance", country: "DE" },
  { n: 2, converted: 1, channel: "podcast", source: "partner", industry: "Finance", country: "DE" },
];

const COLUMNS = ["lead_id", "email", "channel", "source", "industry", "employees", "country", "is_converted"];

function writeLeadsCsv(path: string): string[] {
  const rows = leadsFromBlocks(BLOCKS, "CF").map(
    (r): Record<string, unknown> => ({
      ...r,
      email: `${String(r.lead_id).toLowerCase()}@buyer-example.com`,
    }),
  );
  const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const lines = rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(","));
  writeFileSync(path, `${[COLUMNS.join(","), ...lines].join("\n")}\n`);
  return rows.flatMap((r) => [String(r.lead_id), String(r.email)]);
}

interface Shown {
  text: string;
  errors: string[];
  charts: { title: string; marks: number }[];
  kpis: string[];
  /** The conversion table's rows, as cell texts. */
  rows: string[][];
}

describe.skipIf(!hasChromium)("a converted flag with no dates, in Chromium", () => {
  let dir: string;
  let server: Server;
  let base: string;
  let browser: Browser;
  let personal: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "leadcal-flag-"));
    const csv = join(dir, "leads.csv");
    const dbPath = join(dir, "leadcal.duckdb");
    personal = writeLeadsCsv(csv);
    const load = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, "bin/leadcal.js"), "--db", dbPath, "load", "--preset", "leadcal-leads", csv],
      { cwd: PROJECT_ROOT, encoding: "utf8" },
    );
    expect(load.status, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/3005 rows read, 3005 loaded, 0 rejected/);
    const { outDir } = await buildSite({ dbPath, outDir: join(dir, "site"), log: () => {} });
    server = await serveStatic(outDir, 0);
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function show(path: string, name: string): Promise<Shown> {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    try {
      await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
      await page.waitForFunction(
        () => document.querySelectorAll("[data-chart]:not([data-marks])").length === 0,
        null,
        {
          timeout: 20_000,
        },
      );
      const shown = await page.evaluate(() => ({
        text: document.querySelector("#observablehq-main")?.textContent ?? "",
        errors: [...document.querySelectorAll(".observablehq--error")].map((e) => e.textContent ?? ""),
        charts: [...document.querySelectorAll<HTMLElement>("[data-chart]")].map((e) => ({
          title: e.dataset.chart ?? "",
          marks: Number(e.dataset.marks),
        })),
        kpis: [...document.querySelectorAll(".kpi")].map((e) =>
          [...e.children]
            .map((c) => c.textContent?.trim() ?? "")
            .filter(Boolean)
            .join(" "),
        ),
        rows: [...document.querySelectorAll(".data-table tbody tr")].map((tr) =>
          [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "").filter(Boolean),
        ),
      }));
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      return { ...shown, errors: [...shown.errors, ...pageErrors] };
    } finally {
      await page.close();
    }
  }

  function expectConversionFigures(s: Shown): void {
    expect(s.errors).toEqual([]);
    // KPI cards: 3,005 leads, 1,214 converted, 40.4% (Wilson in Python: 0.38658 to 0.42165).
    expect(s.kpis).toEqual([
      expect.stringMatching(/^Leads, all loaded .* 3,005/),
      expect.stringMatching(/^Converted leads \(converted flag true\) 1,214/),
      expect.stringMatching(/^Conversion rate, converted \/ leads 40\.4% 95% interval 38\.7% to 42\.2%/),
    ]);
    expect(s.text).toContain("The data has no dates");
    expect(s.text).toMatch(/there are no cohorts, no time between stages and no trend/);
    expect(s.text).toContain("Converted means a lead whose converted flag is true: 1,214 of 3,005 leads.");
    // One chart per segment the data has, each drawn, each saying its unit and what it counts.
    expect(s.charts.map((c) => c.title)).toEqual(
      ["channel", "source", "industry", "company size (employees)", "country"].map(
        (seg) => `Share of leads converted, by ${seg}: all 3,005 leads, whatever their dates`,
      ),
    );
    for (const c of s.charts) expect(c.marks, c.title).toBeGreaterThan(0);
    // The table: segment, group, leads, converted, rate, interval (wilson(400, 1200) = 30.7% to 36.0%).
    expect(s.rows).toContainEqual(["channel", "paid_search", "1,200", "400", "33.3%", "30.7%", "36.0%"]);
    expect(s.rows).toContainEqual(["channel", "email", "300", "60", "20.0%", "15.9%", "24.9%"]);
    // referral (3) and podcast (2): under 5 leads each, grouped (wilson(4, 5) = 37.6% to 96.4%).
    expect(s.rows).toContainEqual(["channel", "Other", "5", "4", "80.0%", "37.6%", "96.4%"]);
    expect(s.text).not.toMatch(/referral|podcast/);
    expect(s.text).not.toMatch(
      /Lead (→|->) Lead|No leads in this selection|single funnel stage|NaN|undefined/,
    );
    // Aggregates only: no lead id or e-mail.
    const lower = s.text.toLowerCase();
    expect(personal.filter((p) => lower.includes(p.toLowerCase()))).toEqual([]);
  }

  it("shows leads, converted and the rate by segment on the Overview, and says there are no dates", async () => {
    const s = await show("/", "overview");
    expectConversionFigures(s);
    expect(s.text).toContain("Conversion by segment");
    expect(s.text).not.toMatch(/No dated data is loaded yet|No quarter has data yet|Quarter by quarter/);
  });

  it("shows the same on the Funnel, with no cohort, stage or timing section", async () => {
    const s = await show("/funnel", "funnel");
    expectConversionFigures(s);
    expect(s.text).toContain("By channel and segment");
    expect(s.text).not.toMatch(/Stage by stage|Cohort by cohort|Time between stages/);
    expect(s.text).toMatch(/conversion comes from the converted flag/);
  });
});
