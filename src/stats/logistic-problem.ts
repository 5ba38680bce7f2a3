import type { Design } from "./logistic-design.ts";
import type { FitOptions } from "./logistic-options.ts";
import { floats, ints } from "./logistic-parallel.ts";

/** The fitting problem after the columns were mapped to free parameters. */
export interface Problem {
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
 * The columns mapped to free parameters (tied columns share one; fixed-zero columns and columns no used
 * row has go to the sink), the rows' effective weights, and the numerics laid out row by row. Throws a
 * RangeError when the rows used hold one class only, or on a bad `tied` or `fixedZero` entry.
 */
export function makeProblem(
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
