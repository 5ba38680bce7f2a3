import { choleskySolve } from "./logistic-cholesky.ts";
import { checkDesign, type Design, pickRows, pickValues } from "./logistic-design.ts";
import { accumulatePass, floats, ints } from "./logistic-parallel.ts";

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

export interface FitResult {
  intercept: number;
  /** One coefficient per design column; 0 exactly for dropped columns and columns no row used has. */
  coef: Float64Array;
  /** Newton steps taken. */
  iterations: number;
  converged: boolean;
  /** Weighted log-likelihood sum_i w_i (y_i ln p_i + (1 - y_i) ln(1 - p_i)) at the solution, without the penalty. */
  logLikelihood: number;
}

/** Rows above which a fit without a start first fits a sample (see fitLogistic). */
const WARM_ROWS = 100_000;
/** The sample's fit is only a start: it stops at this tolerance (or the caller's, if looser). */
const WARM_TOLERANCE = 1e-6;
/** A rowMask keeping fewer than this share of the rows is fitted on a compact copy of them. */
const COMPACT_SHARE = 0.9;

/** The fitting problem after the columns were mapped to free parameters. */
interface Problem {
  design: Design;
  labels: Uint8Array;
  /** Effective weight of each row: 0 outside the mask. */
  w: Float64Array;
  /** pmap[c + 1] = parameter of column c (1..K-1), or the sink K when the column has no free coefficient; pmap[0] = sink, for "no active level". */
  pmap: Int32Array;
  /** Free parameters including the intercept (index 0). */
  K: number;
  /** Numeric columns that have a free parameter. */
  numerics: { p: number; values: Float64Array }[];
  /**
   * The same numerics, row by row, nonzero entries only (compressed sparse rows): row i's entries are
   * nzP/nzV[nzStart[i] .. nzStart[i + 1]). Engagement counts and negative flags are 0 for most leads,
   * so the Hessian passes walk only what is there.
   */
  nzStart: Int32Array;
  nzP: Int32Array;
  nzV: Float64Array;
  totalWeight: number;
}

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

function makeProblem(
  design: Design,
  labels: Uint8Array,
  rowMask: Uint8Array | undefined,
  weights: Float64Array | undefined,
  opts: FitOptions,
): Problem {
  const n = design.rows;
  const p = design.columns;
  const w = floats(n, n);
  let w1 = 0;
  let w0 = 0;
  for (let i = 0; i < n; i++) {
    const wi = rowMask && !rowMask[i] ? 0 : weights ? (weights[i] as number) : 1;
    w[i] = wi;
    if (labels[i]) w1 += wi;
    else w0 += wi;
  }
  if (!(w1 > 0 && w0 > 0))
    throw new RangeError(
      `the rows used hold only one class (weight ${w1} on events, ${w0} on non-events): the intercept would be infinite`,
    );

  // group[c]: the parameter group of column c (its own, or its tie's); -1 once dropped
  const group = new Int32Array(p);
  for (let c = 0; c < p; c++) group[c] = c;
  const tiedSeen = new Uint8Array(p);
  (opts.tied ?? []).forEach((tie, g) => {
    for (const c of tie) {
      if (!(Number.isInteger(c) && c >= 0 && c < p))
        throw new RangeError(`tied[${g}]: column ${c} is outside [0, ${p})`);
      if (tiedSeen[c]) throw new RangeError(`tied[${g}]: column ${c} is in more than one tied group`);
      tiedSeen[c] = 1;
      group[c] = tie[0] as number;
    }
  });
  const zero = new Uint8Array(p);
  for (const c of opts.fixedZero ?? []) {
    if (!(Number.isInteger(c) && c >= 0 && c < p))
      throw new RangeError(`fixedZero: column ${c} is outside [0, ${p})`);
    zero[group[c] as number] = 1; // a fixed column fixes its whole tied group
  }

  // presence of each column among the rows used: total weight (blocks) or weight x |value| (numerics)
  const presence = new Float64Array(p);
  for (const block of design.categorical)
    for (let i = 0; i < n; i++) {
      const c = block[i] as number;
      if (c >= 0) presence[c] = (presence[c] as number) + (w[i] as number);
    }
  for (const { column, values } of design.numeric)
    for (let i = 0; i < n; i++)
      presence[column] = (presence[column] as number) + (w[i] as number) * Math.abs(values[i] as number);
  const groupPresence = new Float64Array(p);
  for (let c = 0; c < p; c++)
    groupPresence[group[c] as number] =
      (groupPresence[group[c] as number] as number) + (presence[c] as number);

  // parameters numbered 1.. in column order; the sink K is appended once K is known
  const paramOfGroup = new Int32Array(p).fill(-1);
  const paramOfColumn = new Int32Array(p).fill(-1);
  let K = 1;
  for (let c = 0; c < p; c++) {
    const g = group[c] as number;
    if (zero[g] || !((groupPresence[g] as number) > 0)) continue;
    if (paramOfGroup[g] === -1) paramOfGroup[g] = K++;
    paramOfColumn[c] = paramOfGroup[g] as number;
  }
  const pmap = new Int32Array(p + 1);
  pmap[0] = K;
  for (let c = 0; c < p; c++) pmap[c + 1] = paramOfColumn[c] === -1 ? K : (paramOfColumn[c] as number);

  const numerics = design.numeric
    .map(({ column, values }) => ({ p: pmap[column + 1] as number, values }))
    .filter((x) => x.p !== K);
  const nzStart = ints(n + 1, n);
  for (const { values } of numerics)
    for (let i = 0; i < n; i++)
      if ((values[i] as number) !== 0) nzStart[i + 1] = (nzStart[i + 1] as number) + 1;
  for (let i = 0; i < n; i++) nzStart[i + 1] = (nzStart[i + 1] as number) + (nzStart[i] as number);
  const nnz = nzStart[n] as number;
  const nzP = ints(nnz, n);
  const nzV = floats(nnz, n);
  const fill = nzStart.slice(0, n);
  for (const { p: pj, values } of numerics)
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v === 0) continue;
      const at = fill[i] as number;
      nzP[at] = pj;
      nzV[at] = v;
      fill[i] = at + 1;
    }
  return { design, labels, w, pmap, K, numerics, nzStart, nzP, nzV, totalWeight: w0 + w1 };
}

function fitProblem(prob: Problem, opts: FitOptions, maxIterations: number, tolerance: number): FitResult {
  const { K, pmap, w, labels } = prob;
  const n = prob.design.rows;
  const p = prob.design.columns;
  const lambda = opts.l2;
  const Q = K + 1; // stride of the accumulators, which have a row and column for the sink

  const beta = new Float64Array(Q);
  if (opts.init) {
    const { intercept, coef } = opts.init;
    if (coef.length !== p) throw new RangeError(`init.coef has ${coef.length} entries, expected ${p}`);
    beta[0] = intercept;
    const count = new Float64Array(Q);
    for (let c = 0; c < p; c++) {
      const a = pmap[c + 1] as number;
      beta[a] = (beta[a] as number) + (coef[c] as number);
      count[a] = (count[a] as number) + 1;
    }
    for (let a = 1; a < K; a++) beta[a] = (beta[a] as number) / (count[a] as number); // a tie starts at its mean
    beta[K] = 0;
  } else {
    let w1 = 0;
    for (let i = 0; i < n; i++) if (labels[i]) w1 += w[i] as number;
    beta[0] = Math.log(w1 / (prob.totalWeight - w1));
  }

  const eta = floats(n, n);
  const dEta = new Float64Array(n);
  const acc = new Float64Array(Q * Q + 2 * Q); // [M | diag | grad], see accumulateRange
  const M = acc.subarray(0, Q * Q);
  const diag = acc.subarray(Q * Q, Q * Q + Q);
  const grad = acc.subarray(Q * Q + Q);
  const pass = {
    Q,
    K,
    blocks: prob.design.categorical,
    pmap,
    w,
    labels,
    eta,
    nzStart: prob.nzStart,
    nzP: prob.nzP,
    nzV: prob.nzV,
  };
  const H = new Float64Array(K * K);
  const d = new Float64Array(K);
  const dFull = new Float64Array(Q);

  linearPredictor(prob, beta, eta);
  let f = dataLoss(prob, eta, eta, 0) + penalty(beta, K, lambda);
  let iterations = 0;
  let converged = false;
  for (;;) {
    accumulatePass(pass, acc);
    let maxGrad = Math.abs(grad[0] as number);
    for (let a = 1; a < K; a++) {
      grad[a] = (grad[a] as number) + lambda * (beta[a] as number);
      maxGrad = Math.max(maxGrad, Math.abs(grad[a] as number));
    }
    if (maxGrad / prob.totalWeight <= tolerance) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;

    // H = M + M' off the diagonal, diag + 2 M on it, plus the penalty; solve H d = -grad
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) H[a * K + b] = (M[a * Q + b] as number) + (M[b * Q + a] as number);
      H[a * K + a] = (diag[a] as number) + 2 * (M[a * Q + a] as number) + (a === 0 ? 0 : lambda);
    }
    solveDamped(H, grad, d, K);

    let slope = 0;
    for (let a = 0; a < K; a++) {
      dFull[a] = d[a] as number;
      slope += (d[a] as number) * (grad[a] as number);
    }
    dFull[K] = 0;
    linearPredictor(prob, dFull, dEta);

    // backtracking: halve the step until f decreases enough (Armijo, c = 1e-4)
    let t = 1;
    let fNew = Number.NaN;
    const negligible = -slope < 1e-12 * (1 + Math.abs(f));
    for (let halving = 0; halving < 60; halving++) {
      fNew = dataLoss(prob, eta, dEta, t) + penaltyAlong(beta, d, t, K, lambda);
      if (negligible || fNew <= f + 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!negligible && !(fNew <= f + 1e-4 * t * slope)) break; // no descent left: rounding has the last word
    for (let a = 0; a < K; a++) beta[a] = (beta[a] as number) + t * (d[a] as number);
    for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + t * (dEta[i] as number);
    f = fNew;
    iterations++;
  }

  const coef = new Float64Array(p);
  for (let c = 0; c < p; c++) coef[c] = beta[pmap[c + 1] as number] as number; // the sink is 0
  return {
    intercept: beta[0] as number,
    coef,
    iterations,
    converged,
    logLikelihood: -dataLoss(prob, eta, eta, 0),
  };
}

/** Solve H d = -g by Cholesky; if H is not positive definite to working precision, add mu I (mu grown tenfold) and retry. */
function solveDamped(H: Float64Array, grad: Float64Array, d: Float64Array, K: number): void {
  let maxDiag = 0;
  for (let a = 0; a < K; a++) maxDiag = Math.max(maxDiag, H[a * K + a] as number);
  const work = new Float64Array(K * K);
  for (let mu = 0, tries = 0; tries < 30; tries++, mu = mu === 0 ? 1e-12 * maxDiag : mu * 10) {
    work.set(H);
    for (let a = 0; a < K; a++) {
      work[a * K + a] = (work[a * K + a] as number) + mu;
      d[a] = -(grad[a] as number);
    }
    if (choleskySolve(work, d, K)) return;
  }
  throw new Error("the Newton system stayed singular after damping");
}

/** eta = X beta for a parameter vector (the sink entry must be 0). */
function linearPredictor(prob: Problem, beta: Float64Array, out: Float64Array): void {
  const { design, pmap, nzStart, nzP, nzV } = prob;
  const n = design.rows;
  out.fill(beta[0] as number);
  for (const block of design.categorical)
    for (let i = 0; i < n; i++)
      out[i] = (out[i] as number) + (beta[pmap[(block[i] as number) + 1] as number] as number);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let e = nzStart[i] as number, end = nzStart[i + 1] as number; e < end; e++)
      acc += (beta[nzP[e] as number] as number) * (nzV[e] as number);
    out[i] = (out[i] as number) + acc;
  }
}

/** sum_i w_i logloss_i at eta + t * dEta; ln(1 + e^x) computed without overflow. */
function dataLoss(prob: Problem, eta: Float64Array, dEta: Float64Array, t: number): number {
  const { w, labels } = prob;
  let sum = 0;
  for (let i = 0; i < eta.length; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const e = (eta[i] as number) + t * (dEta[i] as number);
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    sum += wi * (softplus - (labels[i] as number) * e);
  }
  return sum;
}

function penalty(beta: Float64Array, K: number, lambda: number): number {
  let s = 0;
  for (let a = 1; a < K; a++) s += (beta[a] as number) ** 2;
  return (lambda / 2) * s;
}

function penaltyAlong(beta: Float64Array, d: Float64Array, t: number, K: number, lambda: number): number {
  let s = 0;
  for (let a = 1; a < K; a++) s += ((beta[a] as number) + t * (d[a] as number)) ** 2;
  return (lambda / 2) * s;
}
