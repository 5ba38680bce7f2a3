import { choleskySolve } from "./logistic-cholesky.ts";
import type { FitOptions } from "./logistic-options.ts";
import { accumulatePass, floats, lossPass, predictPass } from "./logistic-parallel.ts";
import type { Problem } from "./logistic-problem.ts";

/**
 * How far above the tolerance the last full pass's gradient may be for the next pass to try the
 * gradient alone first. Newton's steps near the optimum shrink the gradient by orders of magnitude
 * (on the 1M-lead demo: 1.9e-6, 7.6e-8, 2.5e-10 per unit of weight), so a gradient within a thousand
 * times the tolerance is usually below it after one more step; when it is not, the gradient pass
 * (about a fifth of a full one) is the only cost.
 */
const EXPECT_CONVERGED = 1000;

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

/**
 * The Newton iteration of fitLogistic (./logistic-fit.ts, which describes the method) on a prepared
 * problem: from `opts.init` or the intercept-only model, damped Cholesky steps with a backtracking line
 * search, until the gradient is within `tolerance`, `maxIterations` steps were taken or no step decreases
 * the objective any more.
 */
export function fitProblem(
  prob: Problem,
  opts: FitOptions,
  maxIterations: number,
  tolerance: number,
): FitResult {
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
  const dEta = floats(n, n);
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

  predictPass(pass, beta, eta);
  let f = lossPass(pass, eta, 0) + penalty(beta, K, lambda);
  let iterations = 0;
  let converged = false;
  // the penalised gradient's largest entry per unit of weight, from the pass just made
  const relativeGradient = () => {
    let maxGrad = Math.abs(grad[0] as number);
    for (let a = 1; a < K; a++) {
      grad[a] = (grad[a] as number) + lambda * (beta[a] as number);
      maxGrad = Math.max(maxGrad, Math.abs(grad[a] as number));
    }
    return maxGrad / prob.totalWeight;
  };
  let last = Number.POSITIVE_INFINITY;
  for (;;) {
    // Close to the optimum (the last full step left a gradient within EXPECT_CONVERGED of the
    // tolerance) the next pass is likely only to confirm convergence: the gradient alone, a fraction of
    // a full pass and the same bits, says so; the full pass follows only when it does not.
    if (iterations > 0 && last <= EXPECT_CONVERGED * tolerance) {
      accumulatePass(pass, acc, false);
      const g = relativeGradient();
      if (g <= tolerance) {
        converged = true;
        break;
      }
      if (iterations >= maxIterations) break;
    }
    accumulatePass(pass, acc);
    last = relativeGradient();
    if (last <= tolerance) {
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
    predictPass(pass, dFull, dEta);

    // backtracking: halve the step until f decreases enough (Armijo, c = 1e-4)
    let t = 1;
    let fNew = Number.NaN;
    const negligible = -slope < 1e-12 * (1 + Math.abs(f));
    for (let halving = 0; halving < 60; halving++) {
      fNew = lossPass(pass, dEta, t) + penaltyAlong(beta, d, t, K, lambda);
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
    logLikelihood: -lossPass(pass, eta, 0),
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
