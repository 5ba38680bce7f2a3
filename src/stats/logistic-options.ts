import { checkDesign, type Design } from "./logistic-design.ts";

/** The options of fitLogistic (./logistic-fit.ts) and the checks of its inputs. */

export interface FitOptions {
  /** L2 penalty lambda in the objective  sum_i w_i * logloss_i + (lambda / 2) * ||beta||^2  (intercept not penalised). lambda = 1 / C of sklearn's LogisticRegression. */
  l2: number;
  /** Rows to use (1 = in); default all. Lets cross-validation fit folds without copying. */
  rowMask?: Uint8Array;
  /** Per-row weights (default 1). */
  weights?: Float64Array;
  /** Groups of columns constrained to share one coefficient (used to merge adjacent bands that violate a monotone trend). */
  tied?: number[][];
  /** Columns whose coefficient is fixed at 0 (dropped). */
  fixedZero?: number[];
  init?: { intercept: number; coef: Float64Array };
  /** Newton steps at most; default 50. */
  maxIterations?: number;
  /** Default 1e-9 on the max absolute gradient of the objective divided by the total weight of the rows used. */
  tolerance?: number;
}

/**
 * Checks fitLogistic's inputs (the design, the labels, every option that does not depend on the columns'
 * mapping) and returns the defaulted iteration limit and tolerance. Throws a RangeError naming the fault.
 */
export function checkFitInputs(
  design: Design,
  labels: Uint8Array,
  opts: FitOptions,
): { maxIterations: number; tolerance: number } {
  checkDesign(design);
  const n = design.rows;
  if (labels.length !== n)
    throw new RangeError(`labels has ${labels.length} entries, the design has ${n} rows`);
  if (!(Number.isFinite(opts.l2) && opts.l2 > 0))
    throw new RangeError(`l2 must be a finite number > 0, got ${opts.l2}`);
  const maxIterations = opts.maxIterations ?? 50;
  const tolerance = opts.tolerance ?? 1e-9;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0))
    throw new RangeError(`maxIterations must be an integer >= 0, got ${maxIterations}`);
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be >= 0, got ${tolerance}`);
  const { rowMask, weights } = opts;
  if (rowMask && rowMask.length !== n)
    throw new RangeError(`rowMask has ${rowMask.length} entries, expected ${n}`);
  if (weights && weights.length !== n)
    throw new RangeError(`weights has ${weights.length} entries, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`labels, row ${i}: ${y} is not 0 or 1`);
    if (weights) {
      const wi = weights[i] as number;
      if (!(Number.isFinite(wi) && wi >= 0))
        throw new RangeError(`weights, row ${i}: ${wi} is not a finite number >= 0`);
    }
  }
  return { maxIterations, tolerance };
}
