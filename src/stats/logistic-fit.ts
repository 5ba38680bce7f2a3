import { type Design, pickRows, pickValues } from "./logistic-design.ts";
import { type FitResult, fitProblem } from "./logistic-newton.ts";
import { checkFitInputs, type FitOptions } from "./logistic-options.ts";
import { makeProblem } from "./logistic-problem.ts";

// fitLogistic checks its inputs (./logistic-options.ts), maps the columns to parameters
// (./logistic-problem.ts) and runs the Newton iteration (./logistic-newton.ts); here are the warm start
// and the compaction of a sparse rowMask between them.

/** Rows above which a fit without a start first fits a sample (see fitLogistic). */
const WARM_ROWS = 100_000;
/** The sample's fit is only a start: it stops at this tolerance (or the caller's, if looser). */
const WARM_TOLERANCE = 1e-6;
/** A rowMask keeping fewer than this share of the rows is fitted on a compact copy of them. */
const COMPACT_SHARE = 0.9;

/**
 * L2-penalised (ridge) logistic regression fitted by Newton-Raphson, i.e. iteratively reweighted least
 * squares (Hastie, Tibshirani & Friedman, The Elements of Statistical Learning, 2nd ed., section 4.4.1;
 * the penalised form as in Le Cessie & van Houwelingen, "Ridge estimators in logistic regression",
 * Applied Statistics 41, 1992). It minimises
 *
 *   f(beta) = sum_i w_i [ ln(1 + e^eta_i) - y_i eta_i ] + (lambda / 2) sum_j beta_j^2,
 *   eta_i = beta_0 + sum_j x_ij beta_j,
 *
 * with the intercept beta_0 unpenalised: the same objective as scikit-learn's
 * LogisticRegression(penalty="l2", C=1/lambda, fit_intercept=True) with sample_weight=w. Every level of
 * every block has its own column (no reference level): with lambda > 0 the penalty picks, among the
 * equivalent parametrisations, the one whose levels are shrunk towards the intercept, so the problem is
 * strictly convex and has one solution, finite even under perfect separation.
 *
 * - Tied columns are one parameter (their columns are summed into one, as if merged beforehand) and so
 *   are penalised once; fixed-zero columns and columns that no used row has (zero weight, or value 0
 *   for a numeric column) are left out of the system and get coefficient 0 exactly.
 * - Each step solves (X'SX + lambda I) d = -grad by Cholesky on the K x K system (K = free parameters
 *   + 1). X'SX is accumulated over the pairs of a row's active columns, never from a dense matrix:
 *   per row one add per pair of blocks, per block and numeric, and per pair of numerics.
 * - A backtracking line search (step halving with the Armijo condition) makes every step decrease f,
 *   so the iteration never diverges; near the optimum, where the predicted decrease is below rounding,
 *   the full Newton step is taken.
 * - Converged when max |df/dbeta| / sum(w) <= tolerance: the gradient on the scale of the mean loss,
 *   so that one tolerance means the same at 100 rows and at 10 million.
 *
 * Cost per Newton step O(rows x (blocks + numerics)^2 / 2) for the Hessian plus O(K^3 / 3) for the
 * solve; typically 5 to 10 steps from the default start (the intercept-only model). A rowMask keeping
 * under half of the rows is first copied into a compact design, so the steps only walk the rows used.
 *
 * Throws a RangeError on a malformed design, labels other than 0/1, weights that are negative or not
 * finite, lambda <= 0 or not finite (without a penalty the full one-hot design is not identifiable), an
 * out-of-range or twice-tied column, and when the rows used do not hold both classes (the intercept
 * would be infinite).
 *
 * @example fitLogistic(design, labels, { l2: 1 }) // { intercept, coef, iterations: 6, converged: true, ... }
 */
export function fitLogistic(design: Design, labels: Uint8Array, opts: FitOptions): FitResult {
  const { maxIterations, tolerance } = checkFitInputs(design, labels, opts);
  return fitChecked(design, labels, opts, maxIterations, tolerance);
}

/** fitLogistic once its inputs are checked: the warm start and the compaction, then the Newton loop. */
function fitChecked(
  design: Design,
  labels: Uint8Array,
  opts: FitOptions,
  maxIterations: number,
  tolerance: number,
): FitResult {
  const n = design.rows;
  const { rowMask, weights } = opts;

  // Many rows and no start given: Newton from the intercept-only model takes 6 to 10 full passes, but
  // from the fit on an evenly spread sample of the rows (a tenth, at least WARM_ROWS) two or three
  // passes finish it, since Newton converges quadratically near the optimum. The answer is the same
  // optimum (the objective is strictly convex); only the way there is shorter.
  if (!opts.init && n > 2 * WARM_ROWS) {
    let kept = 0;
    for (let i = 0; i < n; i++) if (!rowMask || rowMask[i]) kept++;
    if (kept > 2 * WARM_ROWS) {
      const stride = Math.max(2, Math.floor(kept / Math.max(WARM_ROWS, Math.ceil(kept / 10))));
      const sample = new Uint8Array(n);
      for (let i = 0, k = 0; i < n; i++) {
        if (rowMask && !rowMask[i]) continue;
        if (k++ % stride === 0) sample[i] = 1;
      }
      try {
        // only a start: a looser tolerance saves the sample's last passes, the full fit still ends at `tolerance`
        const start = fitChecked(
          design,
          labels,
          { ...opts, rowMask: sample },
          30,
          Math.max(tolerance, WARM_TOLERANCE),
        );
        return fitChecked(
          design,
          labels,
          { ...opts, init: { intercept: start.intercept, coef: start.coef } },
          maxIterations,
          tolerance,
        );
      } catch (e) {
        // a sample holding one class only: start from the intercept as usual
        if (!(e instanceof RangeError)) throw e;
      }
    }
  }

  if (rowMask) {
    let kept = 0;
    for (let i = 0; i < n; i++) if (rowMask[i]) kept++;
    // rows left out still cost time in every pass: copy the kept ones unless nearly all are kept
    if (kept < COMPACT_SHARE * n) {
      const picked = new Int32Array(kept);
      for (let i = 0, j = 0; i < n; i++) if (rowMask[i]) picked[j++] = i;
      const sub = pickRows(design, picked);
      return fitProblem(
        makeProblem(sub, pickValues(labels, picked), undefined, weights && pickValues(weights, picked), opts),
        opts,
        maxIterations,
        tolerance,
      );
    }
  }
  return fitProblem(makeProblem(design, labels, rowMask, weights, opts), opts, maxIterations, tolerance);
}
