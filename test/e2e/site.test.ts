import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/report/build.ts";
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from "../helpers/browser.ts";
import { type DemoSite, sharedDemoSite } from "../report/demo-site.ts";

/**
 * The real-browser test: builds the site from the demo, serves dist/ on 127.0.0.1 from a child
 * process, and opens every page in Debian's Chromium. Each page must load with no error in its
 * cells or console, draw every chart's marks, and request nothing outside 127.0.0.1; the filters
 * must change what is shown. Screenshots go to test-results/site/.
 */

if (!hasChromium) {
  console.warn(`skipping the browser test: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
}

const SHOTS = resolve(PROJECT_ROOT, "test-results", "site");
const PAGES = [
  { path: "/", name: "overview", charts: 1 },
  { path: "/funnel", name: "funnel", charts: 5 },
  { path: "/cost-per-sql", name: "cost-per-sql", charts: 3 },
  { path: "/service-levels", name: "service-levels", charts: 3 },
  { path: "/data", name: "data", charts: 1 },
  { path: "/definition", name: "definition", charts: 1 },
];

/** Starts `serve.ts` on a free port; resolves with the process and its base URL. */
function startServer(dir: string): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(PROJECT_ROOT, "src/report/serve.ts"), dir, "--port", "0"],
      {
        cwd: PROJECT_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0];
      if (url) {
        clearTimeout(timer);
        ok({ child, base: url.slice(0, -1) });
      }
    });
    child.on("exit", (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
}

interface PageReport {
  consoleErrors: string[];
  pageErrors: string[];
}

describe.skipIf(!hasChromium)("the report site in Chromium", () => {
  let site: DemoSite;
  let server: ChildProcess;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  const outside: string[] = [];
  const bytes: Record<string, number> = {};

  beforeAll(async () => {
    site = await sharedDemoSite();
    ({ child: server, base } = await startServer(site.outDir));
    profile = mkdtempSync(join(tmpdir(), "leadcal-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    context.on("request", (req) => {
      const url = req.url();
      if (!url.startsWith(`${base}/`) && !url.startsWith("data:") && !url.startsWith("blob:"))
        outside.push(url);
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    if (server?.pid) process.kill(server.pid);
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (Object.keys(bytes).length)
      writeFileSync(join(SHOTS, "page-bytes.json"), `${JSON.stringify(bytes, null, 2)}\n`);
  });

  /** Opens a page, waits for every chart to draw, and collects errors and bytes transferred. */
  async function open(path: string): Promise<{ page: Page; report: PageReport }> {
    const page = await context.newPage();
    const report: PageReport = { consoleErrors: [], pageErrors: [] };
    // Every page is measured as a first visit: no cache, so `bytes` is what the page ships.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const sizes: Promise<number>[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") report.consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => report.pageErrors.push(e.message));
    page.on("response", (res) => {
      // A redirect or an aborted request has no body.
      sizes.push(
        res.body().then(
          (b) => b.length,
          () => 0,
        ),
      );
    });
    await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
    await page.waitForFunction(
      () => document.querySelectorAll("[data-chart]:not([data-marks])").length === 0,
      null,
      {
        timeout: 20_000,
      },
    );
    bytes[path] ??= (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    return { page, report };
  }

  for (const p of PAGES) {
    it(`renders ${p.path} with no errors, and every chart draws its marks`, async () => {
      const { page, report } = await open(p.path);
      try {
        const state = await page.evaluate(() => ({
          errors: [...document.querySelectorAll(".observablehq--error")].map((e) => e.textContent ?? ""),
          // A cell showing a raw value (null, an object) instead of content is a page bug.
          raw: [...document.querySelectorAll("#observablehq-main .observablehq--inspect")].map(
            (e) => e.textContent ?? "",
          ),
          charts: [...document.querySelectorAll<HTMLElement>("[data-chart]")].map((e) => ({
            title: e.dataset.chart ?? "",
            marks: Number(e.dataset.marks),
          })),
          text: document.querySelector("#observablehq-main")?.textContent ?? "",
        }));
        await page.screenshot({ path: join(SHOTS, `${p.name}.png`), fullPage: true });
        expect(report.pageErrors).toEqual([]);
        expect(report.consoleErrors).toEqual([]);
        expect(state.errors).toEqual([]);
        expect(state.raw).toEqual([]);
        expect(state.charts.length).toBeGreaterThanOrEqual(p.charts);
        for (const c of state.charts) expect(c.marks, c.title).toBeGreaterThan(0);
        expect(state.text).not.toMatch(/NaN|undefined|\[object Object\]/);
      } finally {
        await page.close();
      }
    });
  }

  it("changes the funnel when a channel is chosen", async () => {
    const { page } = await open("/funnel");
    try {
      const funnelChart = page.locator("[data-chart^='Leads reaching each stage']");
      const before = {
        title: await funnelChart.getAttribute("data-chart"),
        svg: await funnelChart.innerHTML(),
      };
      const select = page.locator("form", { hasText: "Channel" }).locator("select");
      const options = await select.locator("option").allTextContents();
      const channel = options[1] as string;
      await select.selectOption({ label: channel });
      await expect.poll(() => funnelChart.getAttribute("data-chart")).toContain(channel);
      await expect.poll(() => funnelChart.getAttribute("data-marks")).not.toBeNull();
      expect(await funnelChart.innerHTML()).not.toBe(before.svg);
      expect(before.title).toContain("all channels");
    } finally {
      await page.close();
    }
  });

  it("changes cost per SQL when a period is chosen, and downloads a table as CSV", async () => {
    const { page } = await open("/cost-per-sql");
    try {
      const kpi = page.locator(".kpi").first();
      const before = await kpi.textContent();
      const select = page.locator("form", { hasText: "Period" }).locator("select");
      const options = await select.locator("option").allTextContents();
      await select.selectOption({ label: options.at(-1) as string }); // the oldest single quarter
      await expect.poll(() => kpi.textContent()).not.toBe(before);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page
          .getByRole("button", { name: /Download CSV/ })
          .first()
          .click(),
      ]);
      const csv = readFileSync((await download.path()) as string, "utf8");
      expect(csv.split("\r\n")[0]).toMatch(/^Quarter,Cost \(USD\),Leads,MQLs,SQLs/);
      expect(csv.split("\r\n").length).toBeGreaterThan(2);
    } finally {
      await page.close();
    }
  });

  it("requested nothing outside 127.0.0.1", () => {
    expect(outside).toEqual([]);
  });
});
