import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perWeek, rowAt, unpack } from "../../reports/components/thresholds-logic.js";
import { openDb } from "../../src/db/connection.ts";
import { buildSite, PROJECT_ROOT } from "../../src/report/build.ts";
import { serveStatic } from "../../src/report/serve.ts";
import { type ThresholdsReport, thresholdsReport } from "../../src/report/thresholds.ts";
import { sharedCalibratedDemo } from "../calibrate/calibrated-demo.ts";
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from "../helpers/browser.ts";
import { copyDb } from "../helpers/shared-fixture.ts";
import { sharedSampleSite } from "../report/sample-site.ts";

/**
 * The Thresholds page in Debian's Chromium at 1280x720 (a projector), built from real runs of the
 * real binary: `leadcal demo`, `calibrate` and `thresholds` in a temp folder; the same database with
 * its costs deleted and `thresholds` run again (what an Olist-like export without costs gives); and a
 * database with no threshold run. Screenshots go to test-results/thresholds/.
 */

const SHOTS = resolve(PROJECT_ROOT, "test-results", "thresholds");
const BIN = join(PROJECT_ROOT, "bin", "leadcal.js");
const VIEWPORT = { width: 1280, height: 720 };
const run = promisify(execFile);

type Swept = Extract<ThresholdsReport, { swept: true }>;

async function leadcal(args: string[]): Promise<void> {
  await run(process.execPath, [BIN, ...args], { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 26 });
}

interface Site {
  server: Server;
  base: string;
  data: Swept | null;
}

/** Builds the site from a database into `dir`/site, and serves it. */
async function buildAndServe(dbPath: string, dir: string): Promise<Site> {
  const { outDir } = await buildSite({ dbPath, outDir: join(dir, "site"), log: () => {} });
  return serve(dbPath, outDir);
}

/** Serves a built site, with the sweep its database holds: what the page must show. */
async function serve(dbPath: string, outDir: string): Promise<Site> {
  const db = await openDb(dbPath, { readOnly: true });
  let report: ThresholdsReport;
  try {
    report = await thresholdsReport(db.conn, { currency: "USD" });
  } finally {
    db.close();
  }
  const server = await serveStatic(outDir, 0);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, base: `http://127.0.0.1:${port}`, data: report.swept ? report : null };
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

describe.skipIf(!hasChromium)("the Thresholds page in Chromium at 1280x720", () => {
  let demo: Site;
  let noCosts: Site;
  let none: Site;
  let work: string;
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "leadcal-thresholds-e2e-"));
    // `leadcal demo` and `leadcal calibrate`, run once for this file and test/calibrate/demo.test.ts.
    const calibrated = await sharedCalibratedDemo();
    expect(calibrated.demo.code, calibrated.demo.stderr).toBe(0);
    expect(calibrated.calibrate.code, calibrated.calibrate.stderr).toBe(0);
    const db = join(work, "demo.duckdb");
    copyDb(calibrated.dbPath, db);
    await leadcal(["thresholds", "--db", db]);
    const bare = join(work, "no-costs.duckdb");
    copyFileSync(db, bare);
    const b = await openDb(bare);
    try {
      await b.conn.run("delete from costs");
    } finally {
      b.close();
    }
    await leadcal(["thresholds", "--db", bare]);
    // Builds take turns (they share Framework's cache), so one after the other. The site with no
    // threshold run is the sample history's alone, which the Model page test opens too.
    demo = await buildAndServe(db, join(work, "demo"));
    noCosts = await buildAndServe(bare, join(work, "no-costs"));
    const empty = await sharedSampleSite();
    none = await serve(empty.dbPath, empty.outDir);
    profile = mkdtempSync(join(tmpdir(), "leadcal-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    for (const s of [demo, noCosts, none]) s?.server.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens /thresholds and waits for the chart to draw and the chosen mark to be placed. */
  async function open(site: Site): Promise<{ page: Page; consoleErrors: string[] }> {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    await page.goto(`${site.base}/thresholds`, { waitUntil: "networkidle" });
    await page.waitForFunction(
      () => document.querySelectorAll("[data-chart]:not([data-marks])").length === 0,
      null,
      { timeout: 20_000 },
    );
    return { page, consoleErrors };
  }

  const text = async (page: Page, sel: string) =>
    ((await page.locator(sel).first().textContent()) ?? "").trim();
  const sentence = (page: Page) => text(page, "[data-testid=sentence]");

  /** The KPI figures the page must show at cut-off t: the sweep's holdout row there. */
  function expected(site: Site, stage: string, t: number) {
    const s = site.data?.stages.find((x) => x.stage === stage);
    if (!s || !site.data) throw new Error(`no ${stage} stage`);
    const r = rowAt(unpack(site.data.columns, s.rows), t);
    return { perWeek: perWeek(r.per_week), rate: pct(r.rate), capture: pct(r.capture), row: r };
  }

  it("opens at the recommended SQL threshold with everything essential on one 1280x720 screen", async () => {
    const { page, consoleErrors } = await open(demo);
    try {
      await page.screenshot({ path: join(SHOTS, "thresholds.png") });
      await page.screenshot({ path: join(SHOTS, "thresholds-full.png"), fullPage: true });
      const data = demo.data as Swept;
      const rec = data.recommendation.sql.threshold;
      expect(consoleErrors).toEqual([]);
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      const chart = page.locator("[data-chart]").first();
      // Two step lines, the interval band, the capacity line and label, the marks and their labels.
      expect(Number(await chart.getAttribute("data-marks"))).toBeGreaterThanOrEqual(10);
      expect(await chart.getAttribute("data-chart")).toMatch(
        /^SQLs a week and conversion, holdout \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/,
      );
      // The chart marks the current, recommended and chosen thresholds.
      const chartText = (await chart.textContent()) ?? "";
      expect(chartText).toContain(`recommended ${rec}`);
      expect(chartText).toContain(`in use ${data.stages[0]?.current}`);
      expect(await chart.getAttribute("data-chosen")).toBe(String(rec));
      expect(await page.inputValue("#cutoff-range")).toBe(String(rec));
      const e = expected(demo, "sql", rec);
      expect(await text(page, ".kpi-volume .value")).toBe(e.perWeek);
      expect(await text(page, ".kpi-rate .value")).toBe(e.rate);
      expect(await text(page, ".kpi-rate .delta")).toBe(
        `95% interval ${pct(e.row.rate_low)} to ${pct(e.row.rate_high)}`,
      );
      expect(await text(page, ".kpi-capture .value")).toBe(e.capture);
      expect(await text(page, ".kpi-cost .value")).toMatch(/^\$[\d,]+$/);
      expect(await sentence(page)).toMatch(
        new RegExp(
          `^At ${rec} points, sales would get ${e.perWeek} SQLs a week, ${e.rate.replace(".", "\\.")} of which reached SQL within 90 days`,
        ),
      );
      expect(await sentence(page)).toContain("This is the recommended threshold");
      const main = await text(page, "#observablehq-main");
      expect(main).toContain(`Binding constraint: ${data.recommendation.sql.binding}`);
      expect(main).toMatch(
        /On the holdout: leads scored \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(13 weeks, [\d,]+ leads, out of time\)/,
      );
      expect(main).not.toMatch(/NaN|undefined|\[object Object\]|null/);
      // Nothing essential below the fold, and nothing wider than the screen.
      for (const sel of [
        "#cutoff-range",
        "[data-testid=sentence]",
        ".thr-kpis",
        ".kpi-workload",
        ".thr-chart",
        "[data-testid=binding]",
      ]) {
        const box = await page.locator(sel).first().boundingBox();
        expect(box, sel).not.toBeNull();
        expect((box?.y ?? 0) + (box?.height ?? 0), sel).toBeLessThanOrEqual(VIEWPORT.height);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        VIEWPORT.width,
      );
    } finally {
      await page.close();
    }
  });

  it("follows the sweep as the slider moves, by keyboard and by value", async () => {
    const { page, consoleErrors } = await open(demo);
    try {
      const rec = (demo.data as Swept).recommendation.sql.threshold;
      await page.focus("#cutoff-range");
      for (let i = 0; i < 7; i++) await page.keyboard.press("ArrowRight");
      const up = rec + 7;
      await page.waitForFunction(
        (t) => document.querySelector("[data-testid=sentence]")?.textContent?.startsWith(`At ${t} points`),
        up,
      );
      let e = expected(demo, "sql", up);
      expect(await page.inputValue("#cutoff-range")).toBe(String(up));
      expect(await text(page, ".cutoff-value")).toBe(String(up));
      expect(await text(page, ".kpi-volume .value")).toBe(e.perWeek);
      expect(await text(page, ".kpi-rate .value")).toBe(e.rate);
      expect(await text(page, ".kpi-capture .value")).toBe(e.capture);
      expect(await page.locator("[data-chart]").first().getAttribute("data-chosen")).toBe(String(up));

      await page.locator("#cutoff-range").fill("20");
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=sentence]")?.textContent?.startsWith("At 20 points"),
      );
      e = expected(demo, "sql", 20);
      expect(await text(page, ".kpi-volume .value")).toBe(e.perWeek);
      expect(await text(page, ".kpi-rate .value")).toBe(e.rate);
      const s = (demo.data as Swept).settings;
      expect(await text(page, ".kpi-workload .value")).toBe(
        `${Math.round(e.row.workload_per_week).toLocaleString("en-US")} / ${s.capacityPerWeek.toLocaleString("en-US")}`,
      );
      await page.screenshot({ path: join(SHOTS, "thresholds-at-20.png") });
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("recomputes capacity and the over/under state from reps and touches per rep", async () => {
    const { page, consoleErrors } = await open(demo);
    try {
      const data = demo.data as Swept;
      const e = expected(demo, "sql", data.recommendation.sql.threshold);
      const workload = Math.round(e.row.workload_per_week);
      const workloadCard = page.locator(".kpi-workload");
      // The run's own capacity first (the recommendation is chosen on training: its holdout workload may be over).
      const overAtStart = e.row.workload_per_week > data.settings.capacityPerWeek;
      expect(await workloadCard.getAttribute("class")).toContain(overAtStart ? "over" : "under");
      expect(await text(page, ".kpi-workload .value")).toBe(`${workload} / ${data.settings.capacityPerWeek}`);
      // One rep making 10 touches a week: 10 touches of capacity, over for any real workload.
      await page.getByLabel("Sales reps").fill("1");
      await page.getByLabel("Touches per rep a week").fill("10");
      await page.waitForFunction(() =>
        document.querySelector(".kpi-workload .value")?.textContent?.endsWith("/ 10"),
      );
      expect(await text(page, ".kpi-workload .value")).toBe(`${workload} / 10`);
      expect(await workloadCard.getAttribute("class")).toContain("over");
      expect(await text(page, ".kpi-workload .delta")).toBe(`over capacity by ${workload - 10} (1 rep × 10)`);
      expect(await sentence(page)).toContain(`against a capacity of 10: over capacity by ${workload - 10}`);
      const red = await page.locator(".kpi-workload .value").evaluate((el) => getComputedStyle(el).color);
      expect(red).toBe("rgb(185, 28, 28)");
      await page.screenshot({ path: join(SHOTS, "thresholds-over-capacity.png") });
      // Twenty reps at 100 touches: 2,000 a week, under.
      await page.getByLabel("Sales reps").fill("20");
      await page.getByLabel("Touches per rep a week").fill("100");
      await page.waitForFunction(() =>
        document.querySelector(".kpi-workload .value")?.textContent?.endsWith("/ 2,000"),
      );
      expect(await workloadCard.getAttribute("class")).toContain("under");
      expect(await text(page, ".kpi-workload .delta")).toBe(
        `within capacity, ${(2000 - workload).toLocaleString("en-US")} to spare (20 reps × 100)`,
      );
      expect(await sentence(page)).toContain(
        `within capacity, with ${(2000 - workload).toLocaleString("en-US")} to spare`,
      );
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("switches to the MQL stage at its recommended threshold", async () => {
    const { page, consoleErrors } = await open(demo);
    try {
      const mql = (demo.data as Swept).recommendation.mql?.threshold as number;
      await page.getByLabel("MQL").check();
      await page.waitForFunction(
        (t) => document.querySelector("[data-testid=sentence]")?.textContent?.startsWith(`At ${t} points`),
        mql,
      );
      expect(await page.inputValue("#cutoff-range")).toBe(String(mql));
      const e = expected(demo, "mql", mql);
      expect(await text(page, ".kpi-volume .label")).toBe("MQLs per week");
      expect(await text(page, ".kpi-volume .value")).toBe(e.perWeek);
      expect(await sentence(page)).toContain(`${e.perWeek} leads a week would become MQLs`);
      expect(await page.locator("[data-chart]").first().getAttribute("data-chart")).toMatch(/^MQLs a week/);
      await page.screenshot({ path: join(SHOTS, "thresholds-mql.png") });
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("says what it cannot show when no costs are loaded: no cost per SQL", async () => {
    const { page, consoleErrors } = await open(noCosts);
    try {
      await page.screenshot({ path: join(SHOTS, "thresholds-no-costs.png") });
      expect(consoleErrors).toEqual([]);
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      expect(await text(page, ".kpi-cost .value")).toBe("no costs loaded");
      expect(await sentence(page)).not.toContain("per SQL");
      const main = await text(page, "#observablehq-main");
      expect(main).toContain("no costs are loaded: cost per SQL cannot be computed");
      expect(main).not.toMatch(/NaN|undefined|\[object Object\]|null/);
    } finally {
      await page.close();
    }
  });

  it("says plainly that no sweep has been run when there is none", async () => {
    const { page, consoleErrors } = await open(none);
    try {
      await page.screenshot({ path: join(SHOTS, "thresholds-empty.png") });
      expect(consoleErrors).toEqual([]);
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      expect(await page.locator("[data-chart]").count()).toBe(0);
      const main = await text(page, "#observablehq-main");
      expect(main).toContain("No threshold sweep yet: run npx leadcal thresholds");
      expect(main).not.toMatch(/NaN|undefined|\[object Object\]/);
    } finally {
      await page.close();
    }
  });
});
