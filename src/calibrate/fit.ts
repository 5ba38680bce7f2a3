import type { OnProgress } from "../progress.ts";
import { chooseL2, type FitResult, fitLogistic } from "../stats/logistic.ts";
import type { FeatureSet, Term } from "./features.ts";

/**
 * Fits the points to the training window: a logistic regression with an L2 penalty chosen by
 * k-fold cross-validation (folds fixed by the seed), then, for criteria whose bands are held
 * monotone, adjacent bands that run against the trend are tied (given one shared coefficient) and the
 * model refitted until the trend holds: the pool-adjacent-violators idea applied to coefficients.
 */
export interface FittedModel {
  fit: FitResult;
  l2: number;
  folds: number;
  grid: { l2: number; cvLogLoss: number }[];
  /** Groups of columns tied to keep a monotone trend, with the criterion they belong to. */
  tied: { criterion: string; columns: number[] }[];
  notes: string[];
}

export interface BandOrder {
  term: Extract<Term, { kind: "column" }>;
  /** Columns of the bands, from the lowest values to the highest. */
  columns: number[];
  direction: "increasing" | "decreasing";
}

export function trainMask(fs: FeatureSet): Uint8Array {
  const mask = new Uint8Array(fs.rows);
  for (let i = 0; i < fs.rows; i++) mask[i] = fs.part[i] === 0 ? 1 : 0;
  return mask;
}

/** Leads and conversions per design column over the rows of `mask`. */
export function columnCounts(
  fs: FeatureSet,
  mask: Uint8Array,
): { leads: Float64Array; events: Float64Array } {
  const leads = new Float64Array(fs.design.columns);
  const events = new Float64Array(fs.design.columns);
  for (const block of fs.design.categorical) {
    for (let i = 0; i < fs.rows; i++) {
      if (!mask[i]) continue;
      const c = block[i] as number;
      if (c < 0) continue;
      leads[c] = (leads[c] as number) + 1;
      events[c] = (events[c] as number) + (fs.labels[i] as number);
    }
  }
  for (const { column, values } of fs.design.numeric) {
    for (let i = 0; i < fs.rows; i++) {
      if (!mask[i] || (values[i] as number) === 0) continue;
      leads[column] = (leads[column] as number) + 1;
      events[column] = (events[column] as number) + (fs.labels[i] as number);
    }
  }
  return { leads, events };
}

/** The band criteria held monotone, with the direction to hold (auto: the direction of the data). */
export function bandOrders(
  fs: FeatureSet,
  counts: { leads: Float64Array; events: Float64Array },
): BandOrder[] {
  const out: BandOrder[] = [];
  for (const t of fs.terms) {
    if (t.kind !== "column" || !t.criterion.bands || !t.criterion.monotone) continue;
    const order = t.criterion.bands
      .map((b, j) => ({ j, min: b.min ?? Number.NEGATIVE_INFINITY }))
      .sort((a, b) => a.min - b.min)
      .map((b) => t.first + 1 + b.j)
      .filter((c) => (counts.leads[c] as number) > 0);
    if (order.length < 2) continue;
    let direction: "increasing" | "decreasing";
    if (t.criterion.monotone === "auto") {
      // The sign of the lead-weighted covariance between the band's rank and its conversion rate.
      let n = 0;
      let sr = 0;
      let sp = 0;
      let srp = 0;
      order.forEach((c, rank) => {
        const w = counts.leads[c] as number;
        const p = (counts.events[c] as number) / w;
        n += w;
        sr += w * rank;
        sp += w * p;
        srp += w * rank * p;
      });
      direction = srp / n - (sr / n) * (sp / n) >= 0 ? "increasing" : "decreasing";
    } else {
      direction = t.criterion.monotone;
    }
    out.push({ term: t, columns: order, direction });
  }
  return out;
}

/** Adjacent runs of `values` (weighted) that violate a non-decreasing order, by pool-adjacent-violators. */
export function violatingRuns(values: number[], weights: number[]): number[][] {
  const blocks: { idx: number[]; w: number; mean: number }[] = [];
  values.forEach((v, i) => {
    blocks.push({ idx: [i], w: weights[i] as number, mean: v });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as (typeof blocks)[number];
      const a = blocks[blocks.length - 2] as (typeof blocks)[number];
      if (a.mean <= b.mean + 1e-12) break;
      const w = a.w + b.w;
      blocks.splice(blocks.length - 2, 2, {
        idx: [...a.idx, ...b.idx],
        w,
        mean: (a.mean * a.w + b.mean * b.w) / w,
      });
    }
  });
  return blocks.filter((b) => b.idx.length > 1).map((b) => b.idx);
}

/** Training leads the penalty's cross-validation runs on, at most (a seeded stratified sample). */
export const CV_ROWS = 100_000;

export function fitModel(
  fs: FeatureSet,
  opts: { seed: number; folds?: number; onProgress?: OnProgress },
): FittedModel {
  const step: OnProgress = opts.onProgress ?? (() => {});
  const mask = trainMask(fs);
  const notes: string[] = [];
  // The penalty is chosen on at most CV_ROWS training leads, over a grid a decade apart: the
  // out-of-fold loss is flat near its minimum (the penalty is a prior's precision, which does not grow
  // with the data), so a finer grid or more rows change the points by less than their rounding.
  let trainRows = 0;
  for (let i = 0; i < fs.rows; i++) trainRows += mask[i] as number;
  const cvRows = Math.min(trainRows, CV_ROWS);
  const cv = chooseL2(fs.design, fs.labels, {
    folds: opts.folds ?? 5,
    seed: opts.seed,
    rowMask: mask,
    maxRows: CV_ROWS,
    grid: Array.from({ length: 6 }, (_, k) => cvRows * 10 ** (-6 + k)),
    onProgress: (done, total) => step("cross-validation", done, total),
  });
  step("fit on the training window");
  const counts = columnCounts(fs, mask);
  const orders = bandOrders(fs, counts);
  const tied: { criterion: string; columns: number[] }[] = [];
  // With many training leads, start Newton from the fit on the cross-validation sample: a few steps on
  // every lead then finish (Newton converges quadratically from a good start).
  let init: { intercept: number; coef: Float64Array } | undefined;
  if (cv.sampled) {
    const sample = new Uint8Array(fs.rows);
    for (let i = 0; i < fs.rows; i++) sample[i] = cv.foldOf[i] === 255 ? 0 : 1;
    const start = fitLogistic(fs.design, fs.labels, { l2: cv.best, rowMask: sample });
    init = { intercept: start.intercept, coef: start.coef };
  }
  let fit = fitLogistic(fs.design, fs.labels, { l2: cv.best, rowMask: mask, init });
  for (let round = 0; round < 10 && orders.length; round++) {
    let changed = false;
    for (const o of orders) {
      const sign = o.direction === "increasing" ? 1 : -1;
      const existing = tied.filter((t) => t.criterion === o.term.name);
      const values = o.columns.map((c) => sign * (fit.coef[c] as number));
      const weights = o.columns.map((c) => counts.leads[c] as number);
      for (const run of violatingRuns(values, weights)) {
        const cols = run.map((i) => o.columns[i] as number);
        // Merge with any tie this run overlaps, so ties only grow.
        const overlap = existing.filter((t) => t.columns.some((c) => cols.includes(c)));
        const merged = [...new Set([...cols, ...overlap.flatMap((t) => t.columns)])].sort((a, b) => a - b);
        for (const t of overlap) tied.splice(tied.indexOf(t), 1);
        tied.push({ criterion: o.term.name, columns: merged });
        changed = true;
      }
    }
    if (!changed) break;
    step(`fit on the training window, bands tied to keep their trend (round ${round + 1})`);
    fit = fitLogistic(fs.design, fs.labels, {
      l2: cv.best,
      rowMask: mask,
      tied: tied.map((t) => t.columns),
      init: { intercept: fit.intercept, coef: fit.coef },
    });
  }
  for (const t of tied) {
    const term = orders.find((o) => o.term.name === t.criterion)?.term;
    if (term) {
      const names = t.columns.map((c) => term.cases[c - term.first]).join(", ");
      notes.push(`${term.label}: bands ${names} share one value to keep the trend monotone`);
    }
  }
  if (!fit.converged)
    notes.push(`the fit stopped after ${fit.iterations} iterations without meeting its tolerance`);
  return { fit, l2: cv.best, folds: cv.folds, grid: cv.grid, tied, notes };
}
