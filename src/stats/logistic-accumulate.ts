/**
 * The Newton pass of the logistic fit over a range of rows: the gradient of the data term and the
 * pieces of X'SX, S = diag(w p (1-p)), written into one flat output laid out as
 * [M (Q x Q) | diag (Q) | grad (Q)]. `diag` holds the squared terms, `M` each pair of a row's entries
 * once (at [first][second]); the caller symmetrises. Sums over disjoint row ranges add up to the sum
 * over their union, which is what lets two threads share a pass (./logistic-parallel.ts).
 *
 * Rows go in chunks that stay in cache; within a chunk the block parameters are laid out row by row,
 * so one row's pair adds touch distinct cells (measured faster than summing one pair of blocks at a
 * time over the chunk). Numerics are walked through their nonzero entries only
 * (most leads have no events of most kinds).
 *
 * With `full` false, only the gradient (and the intercept's entries) is summed, with the same adds in
 * the same order as a full pass, so it is the full pass's gradient to the last bit at a fraction of
 * its cost: the Newton loop uses it to check for convergence when it expects to have converged.
 *
 * This function is also the source of the worker thread's code (its text is evaluated there), so it
 * must stay self-contained: no imports, no outer variables, no nested functions.
 */
export function accumulateRange(
  lo: number,
  hi: number,
  Q: number,
  K: number,
  blocks: Int32Array[],
  pmap: Int32Array,
  w: Float64Array,
  labels: Uint8Array,
  eta: Float64Array,
  nzStart: Int32Array,
  nzP: Int32Array,
  nzV: Float64Array,
  out: Float64Array,
  full: boolean,
): void {
  const CHUNK = 2048;
  const B = blocks.length;
  const D = Q * Q; // diag starts here
  const G = D + Q; // grad starts here
  out.fill(0);
  const catCount = new Float64Array(Q);
  const s = new Float64Array(CHUNK);
  const r = new Float64Array(CHUNK);
  const idx = new Int32Array(Math.max(1, B) * CHUNK);
  let s0 = 0;
  let g0 = 0;
  for (let r0 = lo; r0 < hi; r0 += CHUNK) {
    const len = Math.min(CHUNK, hi - r0);
    for (let i = 0; i < len; i++) {
      const wi = w[r0 + i] as number;
      if (wi === 0) {
        s[i] = 0;
        r[i] = 0;
        continue;
      }
      const pr = 1 / (1 + Math.exp(-(eta[r0 + i] as number)));
      const si = wi * pr * (1 - pr);
      const ri = wi * (pr - (labels[r0 + i] as number));
      s[i] = si;
      r[i] = ri;
      s0 += si;
      g0 += ri;
    }
    for (let k = 0; k < B; k++) {
      const block = blocks[k] as Int32Array;
      for (let i = 0; i < len; i++) {
        const a = pmap[(block[r0 + i] as number) + 1] as number;
        idx[i * B + k] = a;
        catCount[a] = (catCount[a] as number) + (s[i] as number);
        out[G + a] = (out[G + a] as number) + (r[i] as number);
      }
    }
    if (!full) {
      // the gradient only: the same adds to grad, in the same order, as the full pass below
      for (let i = 0; i < len; i++) {
        const ri = r[i] as number;
        if ((s[i] as number) === 0 && ri === 0) continue;
        for (let e = nzStart[r0 + i] as number, e1 = nzStart[r0 + i + 1] as number; e < e1; e++) {
          const pj = nzP[e] as number;
          out[G + pj] = (out[G + pj] as number) + ri * (nzV[e] as number);
        }
      }
      continue;
    }
    for (let i = 0; i < len; i++) {
      const si = s[i] as number;
      const ri = r[i] as number;
      if (si === 0 && ri === 0) continue;
      const ib = i * B;
      for (let k = 0; k < B; k++) {
        const base = (idx[ib + k] as number) * Q;
        for (let l = k + 1; l < B; l++) {
          const at = base + (idx[ib + l] as number);
          out[at] = (out[at] as number) + si;
        }
      }
      const e0 = nzStart[r0 + i] as number;
      const e1 = nzStart[r0 + i + 1] as number;
      for (let e = e0; e < e1; e++) {
        const pj = nzP[e] as number;
        const x = nzV[e] as number;
        const v = si * x;
        out[D + pj] = (out[D + pj] as number) + v * x;
        out[pj] = (out[pj] as number) + v; // the (intercept, pj) pair, M[0 * Q + pj]
        out[G + pj] = (out[G + pj] as number) + ri * x;
        const row = pj * Q;
        for (let f = e + 1; f < e1; f++) {
          const at = row + (nzP[f] as number);
          out[at] = (out[at] as number) + v * (nzV[f] as number);
        }
        for (let k = 0; k < B; k++) {
          const at = (idx[ib + k] as number) * Q + pj;
          out[at] = (out[at] as number) + v;
        }
      }
    }
  }
  out[D] = (out[D] as number) + s0;
  out[G] = (out[G] as number) + g0;
  // a block entry x = 1: its square and its pair with the intercept are both the summed s
  for (let a = 1; a < K; a++) {
    out[D + a] = (out[D + a] as number) + (catCount[a] as number);
    out[a] = (out[a] as number) + (catCount[a] as number);
  }
}

/**
 * sum_i w_i logloss_i over rows [lo, hi) at eta + t * dEta, ln(1 + e^x) computed without overflow: the
 * objective's data term, which the line search evaluates at each trial step. Self-contained, like
 * accumulateRange (the worker runs its text too).
 */
export function lossRange(
  lo: number,
  hi: number,
  w: Float64Array,
  labels: Uint8Array,
  eta: Float64Array,
  dEta: Float64Array,
  t: number,
): number {
  let sum = 0;
  for (let i = lo; i < hi; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const e = (eta[i] as number) + t * (dEta[i] as number);
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    sum += wi * (softplus - (labels[i] as number) * e);
  }
  return sum;
}

/**
 * out[i] = X_i beta for rows [lo, hi), for a parameter vector whose sink entry is 0: the intercept,
 * each block's active level, then the row's nonzero numerics. Self-contained, like accumulateRange.
 */
export function predictRange(
  lo: number,
  hi: number,
  blocks: Int32Array[],
  pmap: Int32Array,
  beta: Float64Array,
  nzStart: Int32Array,
  nzP: Int32Array,
  nzV: Float64Array,
  out: Float64Array,
): void {
  const b0 = beta[0] as number;
  for (let i = lo; i < hi; i++) out[i] = b0;
  for (let k = 0; k < blocks.length; k++) {
    const block = blocks[k] as Int32Array;
    for (let i = lo; i < hi; i++)
      out[i] = (out[i] as number) + (beta[pmap[(block[i] as number) + 1] as number] as number);
  }
  for (let i = lo; i < hi; i++) {
    let acc = 0;
    for (let e = nzStart[i] as number, end = nzStart[i + 1] as number; e < end; e++)
      acc += (beta[nzP[e] as number] as number) * (nzV[e] as number);
    out[i] = (out[i] as number) + acc;
  }
}
