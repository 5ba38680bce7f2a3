import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { scorecardRows } from "../../scripts/reference/scorecard-rows.ts";
import { lossRange, predictRange } from "../../src/stats/logistic-accumulate.ts";
import {
  accumulateInto,
  accumulatePass,
  floats,
  ints,
  lossPass,
  PARALLEL_ROWS,
  type PassInputs,
  passCounts,
  predictPass,
  secondThread,
  splitPoint,
} from "../../src/stats/logistic-parallel.ts";

/**
 * The Newton pass split over two threads must give, to the last bit, what one thread gives when it
 * computes the same two ranges one after the other (so a calibration's bytes do not depend on the
 * number of cores), and agree with a single pass over all rows up to rounding.
 */
function inputs(n: number): PassInputs {
  const rows = scorecardRows(n, 7);
  const { design, labels } = rows;
  const Q = 14; // 12 columns + intercept + sink: pmap[c + 1] = c + 1, no active level -> sink 13
  const pmap = ints(design.columns + 1, n);
  pmap[0] = 13;
  for (let c = 0; c < design.columns; c++) pmap[c + 1] = c + 1;
  const w = floats(n, n);
  const eta = floats(n, n);
  for (let i = 0; i < n; i++) {
    w[i] = rows.weights[i] as number;
    eta[i] = ((i % 17) - 8) / 5;
  }
  const nzStart = ints(n + 1, n);
  const nzP = ints(2 * n, n);
  const nzV = floats(2 * n, n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (const { column, values } of design.numeric) {
      const v = values[i] as number;
      if (v === 0) continue;
      nzP[e] = column + 1;
      nzV[e] = v;
      e++;
    }
    nzStart[i + 1] = e;
  }
  return { Q, K: 13, blocks: design.categorical, pmap, w, labels, eta, nzStart, nzP, nzV };
}

function range(x: PassInputs, lo: number, hi: number, full = true): Float64Array {
  const out = new Float64Array(x.Q * x.Q + 2 * x.Q);
  accumulateInto(x, lo, hi, out, full);
  return out;
}

describe("the Newton pass on two threads", () => {
  const n = PARALLEL_ROWS + 54_321;
  const x = inputs(n);

  it("uses a worker thread on a machine with two cores", () => {
    expect(secondThread()).toBe(availableParallelism() >= 2 && process.env.LEADCAL_THREADS !== "1");
  });

  it("splits at a whole chunk about half way, whatever the machine", () => {
    expect(splitPoint(n)).toBe(2048 * Math.ceil(Math.ceil(n / 2048) / 2));
    expect(splitPoint(n)).toBeGreaterThan(n / 2 - 2048);
    expect(splitPoint(n)).toBeLessThan(n / 2 + 2048);
  });

  it("gives bit for bit the sum of the two ranges computed on one thread", () => {
    const out = new Float64Array(x.Q * x.Q + 2 * x.Q);
    const before = { ...passCounts };
    accumulatePass(x, out);
    if (secondThread()) expect(passCounts.worker).toBe(before.worker + 1);
    else expect(passCounts.here).toBe(before.here + 1);
    const a = range(x, 0, splitPoint(n));
    const b = range(x, splitPoint(n), n);
    const expected = a.map((v, j) => v + (b[j] as number));
    expect([...out]).toEqual([...expected]);
    // and again: the worker's answer does not depend on timing
    const again = new Float64Array(out.length);
    accumulatePass(x, again);
    expect([...again]).toEqual([...out]);
  });

  it("agrees with one pass over all rows up to rounding", () => {
    const out = new Float64Array(x.Q * x.Q + 2 * x.Q);
    accumulatePass(x, out);
    const whole = range(x, 0, n);
    let scale = 0;
    for (const v of whole) scale = Math.max(scale, Math.abs(v));
    expect(scale).toBeGreaterThan(0);
    for (let j = 0; j < whole.length; j++)
      expect(Math.abs((out[j] as number) - (whole[j] as number))).toBeLessThan(1e-9 * scale);
  });

  it("the gradient-only pass gives the full pass's gradient to the last bit", () => {
    const Q = x.Q;
    const grad = (a: Float64Array) => [...a.subarray(Q * Q + Q)];
    const full = new Float64Array(Q * Q + 2 * Q);
    const only = new Float64Array(Q * Q + 2 * Q);
    accumulatePass(x, full);
    accumulatePass(x, only, false);
    expect(grad(only)).toEqual(grad(full));
    expect(grad(range(x, 0, n, false))).toEqual(grad(range(x, 0, n)));
  });

  it("sums the loss as the two ranges' sums, first range first, on one thread or two", () => {
    const dEta = floats(n, n);
    for (let i = 0; i < n; i++) dEta[i] = ((i % 5) - 2) / 10;
    const mid = splitPoint(n);
    for (const t of [0, 0.5, 1]) {
      const expected =
        lossRange(0, mid, x.w, x.labels, x.eta, dEta, t) + lossRange(mid, n, x.w, x.labels, x.eta, dEta, t);
      expect(lossPass(x, dEta, t)).toBe(expected);
      expect(Math.abs(lossPass(x, dEta, t) - lossRange(0, n, x.w, x.labels, x.eta, dEta, t))).toBeLessThan(
        1e-9 * expected,
      );
    }
  });

  it("predicts each row as one thread does", () => {
    const beta = new Float64Array(x.Q);
    for (let a = 0; a < x.K; a++) beta[a] = ((a % 7) - 3) / 4;
    const out = floats(n, n);
    predictPass(x, beta, out);
    const one = new Float64Array(n);
    predictRange(0, n, x.blocks, x.pmap, beta, x.nzStart, x.nzP, x.nzV, one);
    expect([...out]).toEqual([...one]);
  });
});
