import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFeatures, PART } from "../../src/calibrate/features.ts";
import { assignHoldout, parseHoldout } from "../../src/calibrate/holdout.ts";
import { scoreHoldout } from "../../src/calibrate/holdout-scores.ts";
import { buildPopulation } from "../../src/calibrate/population.ts";
import { listModels } from "../../src/calibrate/registry.ts";
import type { CalibrationReport } from "../../src/calibrate/report.ts";
import { type Sample, sampleLeads } from "../../src/calibrate/sample.ts";
import { type Db, openDb } from "../../src/db/connection.ts";
import { loadDefinitionFile } from "../../src/scoring/index.ts";
import { type CliRun, runProcess, tempDir } from "../helpers/cli.ts";

/**
 * --max-leads: calibration reads at most that many leads of each part (training, holdout, recent),
 * a seeded sample chosen in DuckDB. On the demo (12,752 training leads, 2,491 holdout, 3,011 recent)
 * with small caps, through the library and the real binary.
 */
const dir = tempDir("leadcal-sample-");
const base = join(dir, "demo.duckdb");
const definition = loadDefinitionFile("data/definition.yaml");

async function report(dbPath: string): Promise<CalibrationReport> {
  const db = await openDb(dbPath);
  const models = await listModels(db.conn).finally(() => db.close());
  const r = models.find((m) => m.origin === "calibrated")?.report;
  if (!r) throw new Error(`no calibrated version in ${dbPath}`);
  return r;
}

async function calibrateCopy(
  name: string,
  args: string[],
): Promise<{ run: CliRun; report: CalibrationReport }> {
  const db = join(dir, `${name}.duckdb`);
  copyFileSync(base, db);
  const run = await runProcess(["calibrate", "--db", db, "--out", join(dir, `${name}.yaml`), ...args]);
  expect(run.code, run.stderr).toBe(0);
  return { run, report: await report(db) };
}

/** The population and holdout of calibrate's defaults, then the sample, on a database of its own. */
async function sampled(db: Db, maxLeads: number, seed: number): Promise<Sample> {
  const pop = await buildPopulation(db.conn, definition.def, { target: "sql", horizonDays: 90 });
  await assignHoldout(db.conn, pop, parseHoldout(undefined, pop.dated), { seed, horizonDays: 90 });
  return sampleLeads(db.conn, { maxLeads, seed });
}

async function sampleIds(db: Db): Promise<string> {
  const rows = (
    await db.conn.runAndReadAll("select string_agg(lead_id, ',' order by lead_id) as ids from cal_sample")
  ).getRowObjectsJson();
  return String(rows[0]?.ids);
}

let full: CalibrationReport;
let capped: { run: CliRun; report: CalibrationReport };

beforeAll(async () => {
  const demo = await runProcess(["demo", "--db", base, "--end", "2026-12-01", "--out", join(dir, "files")]);
  expect(demo.code, demo.stderr).toBe(0);
  full = (await calibrateCopy("full", [])).report;
  capped = await calibrateCopy("capped", ["--max-leads", "4000"]);
}, 240_000);

describe("the sample of each part (library)", () => {
  it("is the same for the same seed, another for another seed, and keeps each part at most the cap", async () => {
    const ids: string[] = [];
    for (const seed of [1, 1, 2]) {
      const path = join(dir, `lib-${ids.length}.duckdb`);
      copyFileSync(base, path);
      const d = await openDb(path);
      try {
        const s = await sampled(d, 2000, seed);
        expect(s.info).not.toBeNull();
        for (const p of [s.info?.training, s.info?.holdout, s.info?.recent]) {
          expect(p?.leads).toBeLessThanOrEqual(2000);
          expect(p?.leads).toBeGreaterThanOrEqual(1999);
        }
        expect(s.info?.training.of).toBe(12752);
        ids.push(await sampleIds(d));
      } finally {
        d.close();
      }
    }
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("reads at most the cap per part into arrays, the holdout scored by the real scorer aligned row for row", async () => {
    const path = join(dir, "arrays.duckdb");
    copyFileSync(base, path);
    const db = await openDb(path);
    try {
      const s = await sampled(db, 2000, 1);
      const fs = await buildFeatures(db.conn, definition.def, s);
      const per = [0, 0, 0];
      for (const p of fs.part) per[p] = (per[p] as number) + 1;
      expect(per).toEqual([s.info?.training.leads, s.info?.holdout.leads, s.info?.recent.leads]);
      expect(fs.rows).toBeLessThanOrEqual(3 * 2000);
      for (const block of fs.design.categorical) expect(block.length).toBe(fs.rows);
      // The share of converters of a sampled part is the part's own, to one lead.
      const trainConv = fs.labels.reduce((a, y, i) => a + (fs.part[i] === PART.train ? y : 0), 0);
      expect(Math.abs(trainConv - (920 * (s.info?.training.leads ?? 0)) / 12752)).toBeLessThanOrEqual(1);
      // The champion through the real scorer on the sampled holdout gives its totals of the feature rows.
      const scored = await scoreHoldout(db, definition, s);
      expect(scored.total.length).toBe(per[PART.holdout]);
      const own = fs.championTotal.filter((_, i) => fs.part[i] === PART.holdout);
      expect(Array.from(scored.total)).toEqual(Array.from(own));
    } finally {
      db.close();
    }
  });
});

describe("leadcal calibrate --max-leads (the real binary)", () => {
  it("says plainly that training was sampled, while the windows count every lead", () => {
    const r = capped.report;
    expect(r.sample).toEqual({
      maxLeads: 4000,
      seed: 1,
      training: { leads: 4000, of: 12752 },
      holdout: { leads: 2491, of: 2491 },
      recent: { leads: 3011, of: 3011 },
    });
    expect(r.training).toEqual(full.training);
    expect(r.holdoutWindow).toEqual(full.holdoutWindow);
    expect(r.population).toEqual(full.population);
    expect(r.notes).toContain(
      "fitted on a seeded sample of 4,000 of the 12,752 training leads; holdout measured on all 2,491; drift on all 3,011 recent leads (at most 4,000 leads of each part are read, --max-leads; a sampled part is drawn by hash of lead id and seed 1, keeping its share of converters; the population's counts and windows are of every lead)",
    );
    expect(capped.run.stdout).toMatch(
      /training +12752 leads, +920 converted, .*; a seeded sample of 4000 read/,
    );
    expect(capped.run.stdout).toMatch(
      /note: fitted on a seeded sample of 4,000 of the 12,752 training leads/,
    );
    expect(readFileSync(join(dir, "capped.yaml"), "utf8")).toMatch(
      /^ {2}Fitted on a seeded sample of 4,000 of the 12,752 training leads; holdout measured on all 2,491/m,
    );
    expect(full.sample).toBeUndefined();
  });

  it("fits on a sample close to the fit on every lead, measured on the same whole holdout", () => {
    // Tolerance 0.01 of holdout AUC: sampling only moves the points by estimation noise, and the full
    // fit's own 95% bootstrap interval on these 2,491 holdout leads is 0.907 to 0.944 (+-0.018), so a
    // difference under 0.01 is well inside what the holdout can tell apart; measured 2026-12-02: 0.0002.
    expect(Math.abs(capped.report.challengerUnroundedAuc - full.challengerUnroundedAuc)).toBeLessThan(0.01);
    expect(Math.abs(capped.report.challenger.auc - full.challenger.auc)).toBeLessThan(0.01);
    expect(capped.report.champion.auc).toBe(full.champion.auc);
    expect(capped.report.comparison.verdict).toBe("better");
  });

  it("samples the holdout too when it is over the cap, and measures both definitions on the same leads", async () => {
    const { report: r } = await calibrateCopy("small", ["--max-leads", "2000", "--bootstrap", "100"]);
    expect(r.sample?.holdout.of).toBe(2491);
    expect(r.champion.leads).toBe(r.sample?.holdout.leads);
    expect(r.challenger.leads).toBe(r.sample?.holdout.leads);
    expect(r.holdoutWindow.leads).toBe(2491);
    expect(r.notes.some((n) => /holdout measured on 2,000 of 2,491; drift on 2,000 of 3,011/.test(n))).toBe(
      true,
    );
  }, 120_000);

  it.each([["999"], ["abc"], ["1.5e6"], ["0"]])(
    "refuses --max-leads %s in one line, exit 2",
    async (value) => {
      const r = await runProcess(["calibrate", "--db", join(dir, "never.duckdb"), "--max-leads", value]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/--max-leads: expected a whole number of leads per part of at least 1,000/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
