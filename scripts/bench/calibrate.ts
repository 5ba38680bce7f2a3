import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildFeatures, PART } from "../../src/calibrate/features.ts";
import { fitModel, trainMask } from "../../src/calibrate/fit.ts";
import { assignHoldout, parseHoldout } from "../../src/calibrate/holdout.ts";
import { calibrate } from "../../src/calibrate/index.ts";
import { buildPopulation } from "../../src/calibrate/population.ts";
import { openDb } from "../../src/db/connection.ts";
import { DEFAULT_DEFINITION, loadDefinitionFile } from "../../src/scoring/index.ts";
import { fitLogistic, predictLogit } from "../../src/stats/logistic.ts";
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
 * The calibration benchmark: the whole `calibrate()` (population, holdout, features, penalised fit with
 * cross-validation, integer points, draft scored on the holdout, bootstrap intervals, PSI, registry)
 * on a copy of the loaded demo, in its own process, with the starter definition. Then, in the same
 * process and not part of the calibrate time, the fit alone: the design is rebuilt, fitLogistic timed (median of 5 after one untimed fit)
 * at the penalty calibration chose (and fitModel, cross-validation included), and the training rows'
 * banded design is written out for scikit-learn: scripts/compare_sklearn.py fit-bench times
 * OneHotEncoder and LogisticRegression(solver='lbfgs', C=1/l2) on it (Debian's /usr/bin/python3).
 *
 * Run directly, this module is the child that calibrates and prints its figures as JSON:
 *   tsx scripts/bench/calibrate.ts DB_PATH DEFINITION_FILE REPEAT DESIGN_DIR
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.LEADCAL_PYTHON ?? "/usr/bin/python3";
/** How often the fit alone is timed (after one untimed fit); scikit-learn's fits run 3 times each. */
const FIT_REPEAT = 5;

interface CalibrateRun {
  leads: number;
  activities: number;
  used: number;
  trainRows: number;
  holdoutRows: number;
  /** Seconds of each whole calibrate() run. */
  seconds: number[];
  /** Seconds from the start to each progress line of the last run (population, fit, measuring). */
  phases: Record<string, number>;
  peakRssMiB: number;
  duckdbPeakMiB: number;
  l2: number;
  buildFeaturesSeconds: number;
  fitSeconds: number;
  fitIterations: number;
  fitModelSeconds: number;
  objective: number;
  blocks: number;
  columns: number;
}

interface SklearnRun {
  rows: number;
  columns: number;
  nnz: number;
  onehot_encoder_s: number;
  csr_build_s: number;
  lbfgs_default_tol_fit_s: number;
  lbfgs_default_tol_iterations: number;
  lbfgs_default_tol_objective: number;
  lbfgs_fit_s: number;
  lbfgs_iterations: number;
  objective: number;
}

export const step: BenchStep = {
  name: "calibrate",
  description:
    "calibrate the starter definition on every demo lead (whole run), and the fit alone vs scikit-learn lbfgs",
  order: 30,
  async run(ctx: BenchContext): Promise<BenchFigures> {
    const { db, remove } = await copyOfLoadedDb(ctx, "calibrate");
    const designDir = join(ctx.workDir, "calibrate-design");
    ctx.log(`calibrate: ${ctx.repeat} run(s) on a copy of the loaded database, ${db}`);
    const r = await runChild<CalibrateRun>(new URL(import.meta.url), [
      db,
      resolve(DEFAULT_DEFINITION),
      String(ctx.repeat),
      designDir,
    ]);
    remove();
    ctx.log(`calibrate: scikit-learn lbfgs on the same design (${PYTHON})`);
    const py = spawnSync(PYTHON, [join(HERE, "..", "compare_sklearn.py"), "fit-bench", designDir], {
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
    });
    let sk: SklearnRun | null = null;
    if (py.status === 0) sk = JSON.parse(py.stdout.trim().split("\n").pop() ?? "null") as SklearnRun;
    else ctx.log(`calibrate: compare_sklearn.py fit-bench exited with status ${py.status}`);
    rmSync(designDir, { recursive: true, force: true });
    const wall = median(r.seconds);
    const figures: BenchFigures = {
      leads: r.leads,
      activity_rows: r.activities,
      used_leads: r.used,
      train_rows: r.trainRows,
      holdout_rows: r.holdoutRows,
      repeats: ctx.repeat,
      calibrate_s: round(wall, 2),
      leads_per_s: Math.round(r.leads / wall),
      used_leads_per_s: Math.round(r.used / wall),
      peak_rss_mib: Math.round(r.peakRssMiB),
      duckdb_peak_mib: Math.round(r.duckdbPeakMiB),
    };
    for (const [k, v] of Object.entries(r.phases)) figures[`until_${k}_s`] = round(v, 2);
    Object.assign(figures, {
      design: `${r.trainRows} training rows x ${r.blocks} blocks + numerics, ${r.columns} columns`,
      l2: round(r.l2, 4),
      build_features_s: round(r.buildFeaturesSeconds, 2),
      fit_model_with_cv_s: round(r.fitModelSeconds, 2),
      fit_median_of_5_s: round(r.fitSeconds, 3),
      fit_newton_steps: r.fitIterations,
      fit_objective: round(r.objective, 4),
    });
    if (sk) {
      Object.assign(figures, {
        sklearn_onehot_encoder_s: round(sk.onehot_encoder_s, 2),
        sklearn_csr_build_s: round(sk.csr_build_s, 2),
        sklearn_lbfgs_tol1e4_fit_median_of_3_s: round(sk.lbfgs_default_tol_fit_s, 3),
        sklearn_lbfgs_tol1e4_iterations: sk.lbfgs_default_tol_iterations,
        sklearn_lbfgs_tol1e4_objective: round(sk.lbfgs_default_tol_objective, 4),
        sklearn_lbfgs_tol1e6_fit_median_of_3_s: round(sk.lbfgs_fit_s, 3),
        sklearn_lbfgs_tol1e6_iterations: sk.lbfgs_iterations,
        sklearn_lbfgs_tol1e6_objective: round(sk.objective, 4),
        sklearn_tol1e4_fit_over_ours: round(sk.lbfgs_default_tol_fit_s / r.fitSeconds, 2),
        sklearn_tol1e6_fit_over_ours: round(sk.lbfgs_fit_s / r.fitSeconds, 2),
      });
    }
    return figures;
  },
};

async function child(
  dbPath: string,
  definitionFile: string,
  repeat: number,
  designDir: string,
): Promise<CalibrateRun> {
  const db = await openDb(dbPath);
  try {
    const counts = (
      await db.conn.runAndReadAll(
        "select cast((select count(*) from leads) as integer) as leads, cast((select count(*) from activities) as integer) as activities",
      )
    ).getRowObjectsJson()[0];
    const seconds: number[] = [];
    let phases: Record<string, number> = {};
    let l2 = 0;
    const [, duckdbPeak] = await withDuckdbPeak(db.instance, async () => {
      for (let i = 0; i < repeat; i++) {
        const t0 = performance.now();
        const marks: Record<string, number> = {};
        const r = await calibrate(db, {
          definitionFile,
          progress: (line) => {
            const key = /^(\w+)/.exec(line)?.[1] ?? "note";
            if (!(key in marks)) marks[key] = (performance.now() - t0) / 1000;
          },
        });
        const s = (performance.now() - t0) / 1000;
        process.stderr.write(`bench: calibrate: run ${i + 1}/${repeat}: ${r.version} in ${s.toFixed(2)} s\n`);
        seconds.push(s);
        phases = marks;
        l2 = r.report.penalty.chosen;
      }
    });
    const peakCalibrate = peakRssMiB();

    // The fit alone, outside the calibrate time: the same population, holdout and design rebuilt.
    const loaded = loadDefinitionFile(definitionFile);
    const def = loaded.def;
    const horizonDays = def.outcome.horizon_days;
    const pop = await buildPopulation(db.conn, def, { target: def.outcome.stage, horizonDays });
    await assignHoldout(db.conn, pop, parseHoldout(undefined, pop.dated), { seed: 1, horizonDays });
    let t = performance.now();
    const fs = await buildFeatures(db.conn, def);
    const buildFeaturesSeconds = (performance.now() - t) / 1000;
    const train = trainMask(fs);
    // the fit alone FIT_REPEAT times, the median reported (the first in a process pays for warming up)
    const fitTimes: number[] = [];
    let fit = fitLogistic(fs.design, fs.labels, { l2, rowMask: train });
    for (let r = 0; r < FIT_REPEAT; r++) {
      t = performance.now();
      fit = fitLogistic(fs.design, fs.labels, { l2, rowMask: train });
      fitTimes.push((performance.now() - t) / 1000);
    }
    const fitSeconds = median(fitTimes);
    t = performance.now();
    fitModel(fs, { seed: 1 });
    const fitModelSeconds = (performance.now() - t) / 1000;
    const objective = objectiveOf(fs.design, fs.labels, train, fit, l2);
    const trainRows = dumpDesign(designDir, fs, train, l2);
    let holdoutRows = 0;
    for (let i = 0; i < fs.rows; i++) if (fs.part[i] === PART.holdout) holdoutRows++;
    await db.conn.run(
      "drop table if exists cal_feat; drop table if exists cal_moments; drop table if exists cal_pop;",
    );
    return {
      leads: Number(counts?.leads ?? 0),
      activities: Number(counts?.activities ?? 0),
      used: pop.used,
      trainRows,
      holdoutRows,
      seconds,
      phases,
      peakRssMiB: peakCalibrate,
      duckdbPeakMiB: duckdbPeak,
      l2,
      buildFeaturesSeconds,
      fitSeconds,
      fitIterations: fit.iterations,
      fitModelSeconds,
      objective,
      blocks: fs.design.categorical.length,
      columns: fs.design.columns,
    };
  } finally {
    db.close();
  }
}

/** sum_i logloss_i + l2/2 ||coef||^2 over the rows of `mask`: the objective both fits minimise. */
function objectiveOf(
  design: Parameters<typeof predictLogit>[0],
  labels: Uint8Array,
  mask: Uint8Array,
  fit: ReturnType<typeof fitLogistic>,
  l2: number,
): number {
  const eta = predictLogit(design, fit);
  let f = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!mask[i]) continue;
    const e = eta[i] as number;
    f += (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - (labels[i] as number) * e;
  }
  let s = 0;
  for (const c of fit.coef) s += c * c;
  return f + 0.5 * l2 * s;
}

/** The training rows' design as raw little-endian arrays, for compare_sklearn.py fit-bench. */
function dumpDesign(
  dir: string,
  fs: Awaited<ReturnType<typeof buildFeatures>>,
  mask: Uint8Array,
  l2: number,
): number {
  mkdirSync(dir, { recursive: true });
  const rows: number[] = [];
  for (let i = 0; i < fs.rows; i++) if (mask[i]) rows.push(i);
  const n = rows.length;
  const blocks = fs.design.categorical;
  const active = new Int32Array(blocks.length * n);
  blocks.forEach((b, k) => {
    for (let j = 0; j < n; j++) active[k * n + j] = b[rows[j] as number] as number;
  });
  const numerics = fs.design.numeric;
  const numeric = new Float64Array(numerics.length * n);
  numerics.forEach(({ values }, k) => {
    for (let j = 0; j < n; j++) numeric[k * n + j] = values[rows[j] as number] as number;
  });
  const labels = new Uint8Array(n);
  for (let j = 0; j < n; j++) labels[j] = fs.labels[rows[j] as number] as number;
  writeFileSync(join(dir, "active.i32"), active);
  writeFileSync(join(dir, "numeric.f64"), numeric);
  writeFileSync(join(dir, "labels.u8"), labels);
  writeFileSync(
    join(dir, "design.json"),
    JSON.stringify({
      rows: n,
      blocks: blocks.length,
      columns: fs.design.columns,
      numericColumns: numerics.map((x) => x.column),
      l2,
    }),
  );
  return n;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dbPath, definitionFile, repeat, designDir] = process.argv.slice(2);
  if (!dbPath || !definitionFile || !designDir) {
    process.stderr.write("usage: tsx scripts/bench/calibrate.ts DB_PATH DEFINITION_FILE REPEAT DESIGN_DIR\n");
    process.exitCode = 2;
  } else {
    const r = await child(dbPath, definitionFile, Number(repeat ?? 1), designDir);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  }
}
