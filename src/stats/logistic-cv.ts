import { checkDesign, type Design, pickRows, pickValues } from "./logistic-design.ts";
import { fitLogistic } from "./logistic-fit.ts";
import { stratifiedFolds, stratifiedSample } from "./logistic-folds.ts";
import { predictLogit } from "./logistic-predict.ts";

/**
 * Gradient tolerance of the fits inside the cross-validation (per row of weight, as in fitLogistic):
 * against fits to 1e-9 the out-of-fold log loss moves by about 1e-7 (measured on the 200-row test case),
 * far below the gaps between grid points, and it saves about a Newton step per fit.
 */
const CV_TOLERANCE = 1e-6;

export interface ChooseL2Options {
  /** Number of folds; default 5. */
  folds?: number;
  seed: number;
  /** Penalties to try; default defaultL2Grid of the training-fold size. */
  grid?: number[];
  rowMask?: Uint8Array;
  /** Cross-validate on a seeded stratified subsample of this many rows when there are more. */
  maxRows?: number;
  /** Called before the first fit and after each, with the fits done and the folds x grid to do. */
  onProgress?: (done: number, total: number) => void;
}

export interface ChooseL2Result {
  /** The penalty with the lowest cross-validated log loss (ties go to the larger penalty). */
  best: number;
  folds: number;
  /** Every penalty tried, ascending, with its mean out-of-fold log loss. */
  grid: { l2: number; cvLogLoss: number }[];
  /** The fold of each design row, 0..folds-1; 255 for rows outside the mask or the subsample. */
  foldOf: Uint8Array;
  /** Rows the cross-validation used. */
  rows: number;
  /** True when those rows are a subsample (maxRows) of the rows in the mask. */
  sampled: boolean;
}

/**
 * The default penalty grid for fits on `trainRows` rows: 11 values log-spaced half a decade apart,
 * lambda = trainRows x 10^-6, ..., trainRows x 10^-1. The log-likelihood grows with the rows while
 * the penalty does not, so the grid is set on the per-row scale lambda / n (glmnet's scale): at 1e-6 a
 * level holding 1% of the rows is shrunk by well under 1% (nearly the unpenalised fit), at 1e-1 the
 * penalty outweighs the curvature of any level under about half the rows (nearly the intercept-only
 * model), so the optimum lies inside for any realistic scorecard.
 *
 * @example defaultL2Grid(1000) // [0.001, 0.00316..., 0.01, ..., 100]
 */
export function defaultL2Grid(trainRows: number): number[] {
  return Array.from({ length: 11 }, (_, k) => trainRows * 10 ** (-6 + k / 2));
}

/**
 * Chooses the L2 penalty of fitLogistic by stratified k-fold cross-validation (Hastie, Tibshirani &
 * Friedman, The Elements of Statistical Learning, 2nd ed., section 7.10): for every penalty, fit on
 * k-1 folds, score the held-out fold by its log loss, and average over all out-of-fold rows (each row
 * is predicted once). The folds are fixed by the seed and stratified by label.
 *
 * - Warm starts: within a fold the penalties go from the largest (nearly the intercept-only model) to
 *   the smallest, each fit starting from the previous solution, as glmnet walks its path; each then
 *   takes two to four Newton steps.
 * - With maxRows and more rows than that, the cross-validation runs on a seeded stratified subsample
 *   of maxRows rows (`sampled` says so, `rows` says how many); lambda is on the sum scale of the
 *   objective, so a penalty chosen at that size is a weaker relative penalty on the full data: the
 *   same prior on the coefficients.
 *
 * Cost: folds x grid fits on (k-1)/k of the rows, each a few Newton steps of O(rows x (blocks +
 * numerics)^2). Throws a RangeError on a malformed design, labels other than 0/1, a grid value that is
 * not a finite number > 0, and when either class has fewer rows than folds.
 */
export function chooseL2(design: Design, labels: Uint8Array, opts: ChooseL2Options): ChooseL2Result {
  checkDesign(design);
  const n = design.rows;
  const folds = opts.folds ?? 5;
  if (labels.length !== n)
    throw new RangeError(`labels has ${labels.length} entries, the design has ${n} rows`);
  if (opts.rowMask && opts.rowMask.length !== n)
    throw new RangeError(`rowMask has ${opts.rowMask.length} entries, expected ${n}`);
  if (opts.maxRows !== undefined && !(Number.isInteger(opts.maxRows) && opts.maxRows > 0))
    throw new RangeError(`maxRows must be an integer > 0, got ${opts.maxRows}`);
  for (const l2 of opts.grid ?? [])
    if (!(Number.isFinite(l2) && l2 > 0)) throw new RangeError(`grid: ${l2} is not a finite number > 0`);
  if (opts.grid && opts.grid.length === 0) throw new RangeError("grid is empty");

  let c0 = 0;
  let c1 = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`labels, row ${i}: ${y} is not 0 or 1`);
    if (opts.rowMask && !opts.rowMask[i]) continue;
    if (y) c1++;
    else c0++;
  }
  if (c0 < folds || c1 < folds)
    throw new RangeError(
      `${folds}-fold cross-validation needs at least ${folds} rows of each class, got ${c1} events and ${c0} non-events`,
    );
  const used = c0 + c1;
  const sampled = opts.maxRows !== undefined && used > opts.maxRows;

  // the rows of the cross-validation, compacted unless they are the whole design
  let picked: Int32Array | null = null;
  if (sampled) picked = stratifiedSample(labels, opts.maxRows as number, opts.seed, opts.rowMask);
  else if (used < n) {
    picked = new Int32Array(used);
    for (let i = 0, j = 0; i < n; i++) if (!opts.rowMask || opts.rowMask[i]) picked[j++] = i;
  }
  const cvDesign = picked ? pickRows(design, picked) : design;
  const cvLabels = picked ? pickValues(labels, picked) : labels;
  const m = cvDesign.rows;
  const cvFold = stratifiedFolds(cvLabels, folds, opts.seed);
  const foldOf = new Uint8Array(n).fill(255);
  if (picked) for (let i = 0; i < m; i++) foldOf[picked[i] as number] = cvFold[i] as number;
  else foldOf.set(cvFold);

  const grid = [...(opts.grid ?? defaultL2Grid(Math.round((m * (folds - 1)) / folds)))].sort((a, b) => b - a);
  const lossSum = new Float64Array(grid.length);
  const fits = folds * grid.length;
  opts.onProgress?.(0, fits);
  for (let f = 0; f < folds; f++) {
    const train = rowsWhere(cvFold, (g) => g !== f);
    const test = rowsWhere(cvFold, (g) => g === f);
    const trainDesign = pickRows(cvDesign, train);
    const trainLabels = pickValues(cvLabels, train);
    const testDesign = pickRows(cvDesign, test);
    const testLabels = pickValues(cvLabels, test);
    const eta = new Float64Array(test.length);
    let init: { intercept: number; coef: Float64Array } | undefined;
    grid.forEach((l2, g) => {
      const fit = fitLogistic(trainDesign, trainLabels, { l2, init, tolerance: CV_TOLERANCE });
      init = { intercept: fit.intercept, coef: fit.coef };
      predictLogit(testDesign, fit, eta);
      lossSum[g] = (lossSum[g] as number) + logLossSum(eta, testLabels);
      opts.onProgress?.(f * grid.length + g + 1, fits);
    });
  }

  const results = grid.map((l2, g) => ({ l2, cvLogLoss: (lossSum[g] as number) / m })).reverse();
  // lowest loss; a tie (to rounding) goes to the larger penalty, the simpler model
  let best = results[0] as { l2: number; cvLogLoss: number };
  for (const r of results) if (r.cvLogLoss <= best.cvLogLoss * (1 + 1e-12)) best = r;
  return { best: best.l2, folds, grid: results, foldOf, rows: m, sampled };
}

function rowsWhere(fold: Uint8Array, keep: (g: number) => boolean): Int32Array {
  let count = 0;
  for (let i = 0; i < fold.length; i++) if (keep(fold[i] as number)) count++;
  const out = new Int32Array(count);
  for (let i = 0, j = 0; i < fold.length; i++) if (keep(fold[i] as number)) out[j++] = i;
  return out;
}

/** sum_i logloss(y_i, sigmoid(eta_i)), by ln(1 + e^x) without overflow. */
function logLossSum(eta: Float64Array, labels: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i] as number;
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    sum += softplus - (labels[i] as number) * e;
  }
  return sum;
}
