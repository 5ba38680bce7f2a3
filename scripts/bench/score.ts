import { rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { openDb } from "../../src/db/connection.ts";
import { DEFAULT_DEFINITION, exportScores, scoreLeads } from "../../src/scoring/index.ts";
import {
  type BenchContext,
  type BenchFigures,
  type BenchStep,
  copyOfLoadedDb,
  median,
  peakRssMiB,
  round,
  runChild,
  withDuckdbPeak,
} from "./step.ts";

/**
 * The scoring benchmark: the starter definition (data/definition.yaml) applied to every demo lead
 * (1,000,000 by default, about 20 activities each) in one set-based DuckDB statement, stored in
 * lead_scores; then the same at each lead's own moment (--as-of per-lead), and the CSV export.
 * Runs in its own process on a copy of the loaded database, so its peak memory is its own.
 *
 * Run directly, this module is the child that scores and prints its figures as JSON:
 *   tsx scripts/bench/score.ts DB_PATH DEFINITION_FILE REPEAT
 */

interface ScoreRun {
  leads: number;
  activities: number;
  /** Seconds of each fixed-moment scoring run. */
  fixed: number[];
  perLead: number;
  exportSeconds: number;
  exportMiB: number;
  peakRssMiB: number;
  duckdbPeakMiB: number;
  stages: Record<string, number>;
}

export const step: BenchStep = {
  name: "score",
  description: "score every demo lead with the starter definition, set-based in DuckDB, and export the CSV",
  order: 20,
  async run(ctx: BenchContext): Promise<BenchFigures> {
    const { db, remove } = await copyOfLoadedDb(ctx, "score");
    ctx.log(`score: ${ctx.repeat} run(s) on a copy of the loaded database, ${db}`);
    const r = await runChild<ScoreRun>(new URL(import.meta.url), [
      db,
      resolve(DEFAULT_DEFINITION),
      String(ctx.repeat),
    ]);
    remove();
    const scoreS = median(r.fixed);
    const figures: BenchFigures = {
      leads: r.leads,
      activity_rows: r.activities,
      repeats: ctx.repeat,
      score_s: round(scoreS, 2),
      leads_per_s: Math.round(r.leads / scoreS),
      score_per_lead_moment_s: round(r.perLead, 2),
      export_csv_s: round(r.exportSeconds, 2),
      export_csv_mib: round(r.exportMiB, 1),
      peak_rss_mib: Math.round(r.peakRssMiB),
      duckdb_peak_mib: Math.round(r.duckdbPeakMiB),
    };
    for (const [stage, n] of Object.entries(r.stages)) figures[`stage_${stage}`] = n;
    return figures;
  },
};

async function child(dbPath: string, definitionFile: string, repeat: number): Promise<ScoreRun> {
  const db = await openDb(dbPath);
  try {
    const counts = (
      await db.conn.runAndReadAll(
        "select cast((select count(*) from leads) as integer) as leads, cast((select count(*) from activities) as integer) as activities",
      )
    ).getRowObjectsJson()[0];
    const fixed: number[] = [];
    let perLead = 0;
    let stages: Record<string, number> = {};
    let exportSeconds = 0;
    let exportMiB = 0;
    const [, duckdbPeak] = await withDuckdbPeak(db.instance, async () => {
      for (let i = 0; i < repeat; i++) {
        const r = await scoreLeads(db, { definitionFile });
        process.stderr.write(
          `bench: score: run ${i + 1}/${repeat}: ${r.leadsScored} leads in ${r.seconds.toFixed(2)} s\n`,
        );
        fixed.push(r.seconds);
        stages = Object.fromEntries(r.byStage.map((s) => [s.stage, s.leads]));
      }
      const out = join(dbPath, "..", "scores.csv");
      const t = performance.now();
      await exportScores(db.conn, { out });
      exportSeconds = (performance.now() - t) / 1000;
      exportMiB = statSync(out).size / 2 ** 20;
      rmSync(out, { force: true });
      const p = await scoreLeads(db, { definitionFile, asOf: "per-lead" });
      process.stderr.write(
        `bench: score: per-lead moments: ${p.leadsScored} leads in ${p.seconds.toFixed(2)} s\n`,
      );
      perLead = p.seconds;
    });
    return {
      leads: Number(counts?.leads ?? 0),
      activities: Number(counts?.activities ?? 0),
      fixed,
      perLead,
      exportSeconds,
      exportMiB,
      peakRssMiB: peakRssMiB(),
      duckdbPeakMiB: duckdbPeak,
      stages,
    };
  } finally {
    db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dbPath, definitionFile, repeat] = process.argv.slice(2);
  if (!dbPath || !definitionFile) {
    process.stderr.write("usage: tsx scripts/bench/score.ts DB_PATH DEFINITION_FILE [REPEAT]\n");
    process.exitCode = 2;
  } else {
    const r = await child(dbPath, definitionFile, Number(repeat ?? 1));
    process.stdout.write(`${JSON.stringify(r)}\n`);
  }
}
