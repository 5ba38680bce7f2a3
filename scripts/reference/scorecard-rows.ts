import type { Design } from "../../src/stats/logistic.ts";

/**
 * The rows of ./logistic_sklearn.py (the TypeScript twin of its scorecard_rows), rebuilt bit for bit: the Park-Miller generator
 * (state * 16807 mod 2^31 - 1) keeps every product below 2^53, so JavaScript and Python draw the same.
 * Blocks a (columns 0-2), b (columns 3-7; column 7 is a level no row has), c (columns 8-9); numerics x1
 * (column 10) and x2 (column 11).
 */
export interface ScorecardRows {
  design: Design;
  labels: Uint8Array;
  weights: Float64Array;
  mask: Uint8Array;
  a: Int32Array;
}

const M31 = 2147483647;

export function scorecardRows(n: number, seed: number, options: { constantC?: boolean } = {}): ScorecardRows {
  let state = seed;
  const next = () => {
    state = (state * 16807) % M31;
    return state / M31;
  };
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const c = new Int32Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const labels = new Uint8Array(n);
  const weights = new Float64Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ai = Math.floor(next() * 3);
    const bi = Math.floor(next() * 4);
    const ci = Math.floor(next() * 2);
    x1[i] = (Math.floor(next() * 1000) / 1000) * 3;
    x2[i] = Math.floor(next() * 1000) / 1000 - 0.5;
    const eta =
      -0.5 +
      ([0.8, 0, -0.6][ai] as number) +
      ([0.3, -0.2, 0.5, 0][bi] as number) +
      ([0.4, 0][ci] as number) +
      0.7 * (x1[i] as number) -
      1.0 * (x2[i] as number);
    labels[i] = next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    weights[i] = 0.5 + Math.floor(next() * 4) / 2;
    mask[i] = next() < 0.7 ? 1 : 0;
    a[i] = ai;
    b[i] = 3 + bi;
    c[i] = options.constantC ? 8 : 8 + ci;
  }
  const design: Design = {
    rows: n,
    columns: 12,
    categorical: [a.slice(), b, c],
    numeric: [
      { column: 10, values: x1 },
      { column: 11, values: x2 },
    ],
  };
  return { design, labels, weights, mask, a };
}

/** The first `m` rows of a design. */
export function headRows(design: Design, m: number): Design {
  return {
    rows: m,
    columns: design.columns,
    categorical: design.categorical.map((block) => block.slice(0, m)),
    numeric: design.numeric.map(({ column, values }) => ({ column, values: values.slice(0, m) })),
  };
}
