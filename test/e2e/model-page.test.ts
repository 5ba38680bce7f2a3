import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, PROJECT_ROOT } from "../../src/report/build.ts";
import { serveStatic } from "../../src/report/serve.ts";
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from "../helpers/browser.ts";
import { type Fixture, makeFixture } from "../report/fixture.ts";
import { calibrationReport, insertVersions, REGISTRY } from "../report/model-fixture.ts";
import { fillSample } from "../report/sample-data.ts";
import { sharedSampleSite } from "../report/sample-site.ts";

/**
 * The Model page in Debian's Chromium, built from a database holding the sample CRM history and a
 * model registry (the hand-made calibration report, with a holdout that is not out of time), and
 * from one whose registry is empty. Screenshots go to test-results/model/.
 */

const SHOTS = resolve(PROJECT_ROOT, "test-results", "model");

/** The challenger under review: a stratified holdout, so no dates and not out of time. */
const NOT_OUT_OF_TIME = calibrationReport({
  holdout: { rule: "stratified:0.2", outOfTime: false, description: "a stratified 20% sample of the MQLs" },
  holdoutWindow: { from: null, to: null, leads: 2000, conversions: 240 },
});

interface Built {
  /** The fixture built for this file alone, removed at the end; none for the shared site. */
  fx?: Fixture;
  outDir: string;
  server: Server;
  base: string;
}

/** The sample history with the model registry (v3 not out of time), and its site. */
async function buildWithModel(): Promise<Built> {
  const fx = await makeFixture(async (conn) => {
    await fillSample(conn);
    await insertVersions(
      conn,
      REGISTRY.map((v) => (v.version === "v3" ? { ...v, report: NOT_OUT_OF_TIME } : v)),
    );
  });
  const { outDir } = await buildSite({ dbPath: fx.path, outDir: join(fx.dir, "site"), log: () => {} });
  return serve(outDir, fx);
}

async function serve(outDir: string, fx?: Fixture): Promise<Built> {
  const server = await serveStatic(outDir, 0);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { fx, outDir, server, base: `http://127.0.0.1:${port}` };
}

interface PageState {
  errors: string[];
  consoleErrors: string[];
  charts: { title: string; marks: number }[];
  text: string;
  /** The page's scroll width: wider than the viewport means something overflows. */
  width: number;
}

describe.skipIf(!hasChromium)("the Model page in Chromium", () => {
  let withModel: Built;
  let without: Built;
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    // Builds take turns (they share Framework's cache), so one after the other. The site with an
    // empty registry is the sample history's alone, which the Thresholds page test opens too.
    withModel = await buildWithModel();
    without = await serve((await sharedSampleSite()).outDir);
    profile = mkdtempSync(join(tmpdir(), "leadcal-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 400_000);

  afterAll(async () => {
    await context?.close();
    for (const b of [withModel, without]) {
      b?.server.close();
      b?.fx?.remove();
    }
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens /model, waits for every chart to draw, screenshots it, and reads what the page shows. */
  async function openModel(site: Built, shot: string): Promise<PageState> {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    try {
      await page.goto(`${site.base}/model`, { waitUntil: "networkidle" });
      await page.waitForFunction(
        () => document.querySelectorAll("[data-chart]:not([data-marks])").length === 0,
        null,
        { timeout: 20_000 },
      );
      await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
      await page.screenshot({ path: join(SHOTS, `${shot}-top.png`) });
      // And each card on its own, to read at full size.
      const cards = await page.locator("#observablehq-main .card").all();
      for (const [i, c] of cards.entries())
        await c.screenshot({ path: join(SHOTS, `${shot}-card-${i + 1}.png`) });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      const state = await page.evaluate(() => ({
        errors: [...document.querySelectorAll(".observablehq--error")].map((e) => e.textContent ?? ""),
        charts: [...document.querySelectorAll<HTMLElement>("[data-chart]")].map((e) => ({
          title: e.dataset.chart ?? "",
          marks: Number(e.dataset.marks),
        })),
        text: document.querySelector("#observablehq-main")?.textContent ?? "",
      }));
      return { ...state, consoleErrors, width };
    } finally {
      await page.close();
    }
  }

  it("shows the verdict, both AUCs and every chart from a calibration report", async () => {
    const s = await openModel(withModel, "model");
    expect(s.consoleErrors).toEqual([]);
    expect(s.errors).toEqual([]);
    expect(s.width).toBeLessThanOrEqual(1280);
    // Reliability (the champion has no probabilities), ROC, gains, points, PSI.
    expect(s.charts.map((c) => c.title.split(":")[0])).toEqual([
      "Reliability",
      "ROC curves, champion v2 (AUC 0.702) and challenger v3 (AUC 0.741), holdout leads (no dates)",
      "Gains",
      "Points per criterion case",
      "Population stability (PSI) of the score and of each criterion, training 2024-04-01 to 2025-12-31 against MQLs of 2026 Q2, whose outcome is not known yet (2026-04-01 to 2026-06-30)",
    ]);
    for (const c of s.charts) expect(c.marks, c.title).toBeGreaterThan(0);
    expect(s.text).toContain(NOT_OUT_OF_TIME.comparison.sentence);
    expect(s.text).toContain("0.702");
    expect(s.text).toContain("0.741");
    expect(s.text).toContain("0.741 (0.709 to 0.772)");
    expect(s.text).toContain("The holdout is NOT out of time");
    expect(s.text).toContain("more points than before, but its leads convert below the average");
    expect(s.text).toContain("worth a look (0.10 to 0.25)");
    expect(s.text).toContain("Sales Director (sales, 2026-01-20)");
    expect(s.text).not.toMatch(/NaN|undefined|\[object Object\]|null/);
  });

  it("says plainly that no calibration has been run when the registry is empty", async () => {
    const s = await openModel(without, "model-empty");
    expect(s.consoleErrors).toEqual([]);
    expect(s.errors).toEqual([]);
    expect(s.charts).toEqual([]);
    expect(s.text).toContain("No calibration has been run yet: run npx leadcal calibrate");
    expect(s.text).not.toMatch(/NaN|undefined|\[object Object\]/);
  });
});
