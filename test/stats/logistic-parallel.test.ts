import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { scorecardRows } from "../../scripts/reference/scorecard-rows.ts";
import { accumulateRange } from "../../src/stats/logistic-accumulate.ts";
import {
  accumulatePass,
  floats,
  ints,
  PARALLEL_ROWS,
  type PassInputs,
  passCounts,
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

function range(x: PassInputs, lo: number, hi: number): Float64Array {
  const out = new Float64Array(x.Q * x.Q + 2 * x.Q);
  accumulateRange(lo, hi, x.Q, x.K, x.blocks, x.pmap, x.w, x.labels, x.eta, x.nzStart, x.nzP, x.nzV, out);
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
});
