import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { runAllChecks } from "../../src/checks.ts";
import { type Db, openDb } from "../../src/db/connection.ts";
import { DEMO_LOAD_ORDER, type DemoFile } from "../../src/demo/index.ts";
import { loadFiles } from "../../src/load/load.ts";
import {
  type BenchContext,
  type BenchFigures,
  type BenchStep,
  median,
  peakRssMiB,
  round,
  runChild,
  withDuckdbPeak,
} from "./step.ts";

/**
 * The load benchmark: the demo files (about 20 activities per lead) loaded through leadcal's loader into a
 * fresh DuckDB file, against the same files read by a bare `create table ... as select * from read_csv(...)`
 * into another fresh file. Each load runs in its own process; the two alternate who goes first.
 *
 * Run directly, this module is also the child that performs one load and prints its figures as JSON:
 *   tsx scripts/bench/load.ts ours|bare DB_PATH FILES_JSON
 */

/** One measured load, as the child reports it. */
interface LoadRun {
  seconds: number;
  /** Seconds per file, in load order. */
  files: Record<string, number>;
  checksSeconds?: number;
  /** Peak resident memory of the process once the checks after the load have run too (ours only). */
  checksPeakRssMiB?: number;
  rejected?: number;
  peakRssMiB: number;
  duckdbPeakMiB: number;
  dbMiB: number;
}

const TABLE_OF: Record<DemoFile, string> = {
  leads: "leads",
  stageChanges: "lead_stage_changes",
  activities: "activities",
  salesTouches: "sales_touches",
  deals: "deals",
  costs: "costs",
};

export const step: BenchStep = {
  name: "load",
  description: "load the demo files through leadcal's loader vs a bare DuckDB read_csv",
  order: 10,
  async run(ctx: BenchContext): Promise<BenchFigures> {
    const demo = await ctx.demo();
    const files = Object.fromEntries(DEMO_LOAD_ORDER.map(([f]) => [f, demo.files[f]])) as Record<
      DemoFile,
      string
    >;
    const rows = DEMO_LOAD_ORDER.reduce((s, [f]) => s + demo.rows[f], 0);
    const bytes = DEMO_LOAD_ORDER.reduce((s, [f]) => s + statSync(demo.files[f]).size, 0);
    const ours: LoadRun[] = [];
    const bare: LoadRun[] = [];
    for (let r = 0; r < ctx.repeat; r++) {
      const order: ("ours" | "bare")[] = r % 2 === 0 ? ["ours", "bare"] : ["bare", "ours"];
      for (const which of order) {
        const db = join(ctx.workDir, `${which}-${r + 1}.duckdb`);
        rmSync(db, { force: true });
        rmSync(`${db}.wal`, { force: true });
        ctx.log(`load: ${which} ${r + 1}/${ctx.repeat} into ${db}`);
        const run = await runChild<LoadRun>(new URL(import.meta.url), [which, db, JSON.stringify(files)]);
        ctx.log(`load: ${which} ${r + 1}/${ctx.repeat}: ${run.seconds.toFixed(1)} s`);
        (which === "ours" ? ours : bare).push(run);
        const keep = which === "ours" && r === ctx.repeat - 1;
        if (keep) ctx.share("loadedDb", db);
        else rmSync(db, { force: true });
      }
    }
    const m = (runs: LoadRun[], pick: (x: LoadRun) => number) => median(runs.map(pick));
    const oursS = m(ours, (x) => x.seconds);
    const bareS = m(bare, (x) => x.seconds);
    const figures: BenchFigures = {
      leads: demo.leads,
      rows: rows,
      activity_rows: demo.rows.activities,
      csv_mib: round(bytes / 2 ** 20, 1),
      generate_s: Number.isNaN(demo.seconds) ? "reused" : round(demo.seconds, 1),
      generate_peak_rss_mib: Number.isNaN(demo.generatePeakRssMiB)
        ? "reused"
        : Math.round(demo.generatePeakRssMiB),
      repeats: ctx.repeat,
      ours_load_s: round(oursS, 1),
      bare_load_s: round(bareS, 1),
      ratio_ours_to_bare: round(oursS / bareS, 2),
      ours_rows_per_s: Math.round(rows / oursS),
      bare_rows_per_s: Math.round(rows / bareS),
      ours_peak_rss_mib: Math.round(m(ours, (x) => x.peakRssMiB)),
      bare_peak_rss_mib: Math.round(m(bare, (x) => x.peakRssMiB)),
      ours_duckdb_peak_mib: Math.round(m(ours, (x) => x.duckdbPeakMiB)),
      bare_duckdb_peak_mib: Math.round(m(bare, (x) => x.duckdbPeakMiB)),
      ours_db_mib: Math.round(m(ours, (x) => x.dbMiB)),
      bare_db_mib: Math.round(m(bare, (x) => x.dbMiB)),
      ours_checks_s: round(
        m(ours, (x) => x.checksSeconds ?? 0),
        1,
      ),
      ours_peak_rss_with_checks_mib: Math.round(m(ours, (x) => x.checksPeakRssMiB ?? 0)),
      ours_rejected_rows: m(ours, (x) => x.rejected ?? 0),
    };
    ctx.record({
      step: "load",
      seconds: oursS,
      rows,
      unit: "rows",
      peakRssMiB: m(ours, (x) => x.peakRssMiB),
    });
    ctx.record({
      step: "bare read_csv (for comparison)",
      seconds: bareS,
      rows,
      unit: "rows",
      peakRssMiB: m(bare, (x) => x.peakRssMiB),
    });
    for (const [f] of DEMO_LOAD_ORDER) {
      figures[`ours_${f}_s`] = round(
        m(ours, (x) => x.files[f] ?? 0),
        1,
      );
      figures[`bare_${f}_s`] = round(
        m(bare, (x) => x.files[f] ?? 0),
        1,
      );
    }
    return figures;
  },
};

async function ours(dbPath: string, files: Record<DemoFile, string>): Promise<LoadRun> {
  const started = performance.now();
  const db: Db = await openDb(dbPath);
  const perFile: Record<string, number> = {};
  let rejected = 0;
  let checksSeconds = 0;
  let duckdbPeak = 0;
  try {
    [, duckdbPeak] = await withDuckdbPeak(db.instance, async () => {
      for (const [f, preset] of DEMO_LOAD_ORDER) {
        const t = performance.now();
        const [r] = await loadFiles(db, [files[f]], { preset });
        rejected += r?.rowsRejected ?? 0;
        perFile[f] = (performance.now() - t) / 1000;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    // The peak of the load itself, before the data checks `leadcal load` runs after it (timed apart too).
    const loadPeak = peakRssMiB();
    const t = performance.now();
    await runAllChecks(db.conn);
    checksSeconds = (performance.now() - t) / 1000;
    db.close();
    return {
      seconds,
      files: perFile,
      checksSeconds,
      checksPeakRssMiB: peakRssMiB(),
      rejected,
      peakRssMiB: loadPeak,
      duckdbPeakMiB: duckdbPeak,
      dbMiB: statSync(dbPath).size / 2 ** 20,
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

async function bare(dbPath: string, files: Record<DemoFile, string>): Promise<LoadRun> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  const perFile: Record<string, number> = {};
  try {
    const [, duckdbPeak] = await withDuckdbPeak(instance, async () => {
      for (const [f] of DEMO_LOAD_ORDER) {
        const t = performance.now();
        await conn.run(`create table ${qi(TABLE_OF[f])} as select * from read_csv(${qs(files[f])})`);
        perFile[f] = (performance.now() - t) / 1000;
      }
      await conn.run("checkpoint");
    });
    const seconds = (performance.now() - started) / 1000;
    conn.closeSync();
    instance.closeSync();
    return {
      seconds,
      files: perFile,
      peakRssMiB: peakRssMiB(),
      duckdbPeakMiB: duckdbPeak,
      dbMiB: statSync(dbPath).size / 2 ** 20,
    };
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw e;
  }
}

/** The child side: one phase, figures as one JSON line on stdout. */
async function child(argv: string[]): Promise<void> {
  const [phase, dbPath, filesJson] = argv;
  if ((phase !== "ours" && phase !== "bare") || !dbPath || !filesJson) {
    throw new Error("usage: tsx scripts/bench/load.ts ours|bare DB_PATH FILES_JSON");
  }
  const files = JSON.parse(filesJson) as Record<DemoFile, string>;
  const out = phase === "ours" ? await ours(dbPath, files) : await bare(dbPath, files);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await child(process.argv.slice(2));
}
