import { describe, expect, it } from "vitest";
import { headRows, scorecardRows } from "../../scripts/reference/scorecard-rows.ts";
import { type Design, fitLogistic, predictLogit } from "../../src/stats/logistic.ts";

/**
 * Reference coefficients from scikit-learn 1.2.1 (Debian's python3-sklearn), printed by
 *   /usr/bin/python3 scripts/reference/logistic_sklearn.py
 * which fits LogisticRegression(C=1/l2, solver="newton-cg", tol=1e-10, max_iter=10000) on the full
 * one-hot encoding of the same 200 rows (seed 20240601, rebuilt here by scorecardRows). Each list is
 * [intercept_, *coef_[0]]; the script also reports the objective's largest gradient at each solution
 * (<= 1.2e-7; lbfgs at tol=1e-10 stops about 1e-4 away, so it is not used).
 */
const SKLEARN = {
  // LogisticRegression(C=1).fit(X, y)
  plain: [
    0.03752549393291518, 0.23904537347207927, 0.029699227508471652, -0.2687446005066405, -0.45178211184450595,
    -0.3539089389135692, 0.3182372681313707, 0.48745378310061555, 0.0, 0.33025108026332767,
    -0.3302510797894178, 0.7132659785814556, -1.2816145635326839,
  ],
  // LogisticRegression(C=0.5).fit(X, y, sample_weight=w)
  weighted: [
    -0.05693187064366963, 0.1431212217666441, -0.016090790878400815, -0.1270304308125094, -0.2837999199630385,
    -0.3808526109679794, 0.27761269309768943, 0.387039837909063, 0.0, 0.3219665453046905, -0.3219665452289563,
    0.7415725150118391, -1.1060775776887473,
  ],
  // LogisticRegression(C=2).fit(X[mask], y[mask])
  masked: [
    -0.27466516374755523, 0.2943605567458452, 0.19176717725938555, -0.4861277338854932, -0.007345482665924142,
    -0.43666742324225677, 0.17590941193755943, 0.2681034940903576, 0.0, 0.09198940424768261,
    -0.09198940412794751, 0.9551125878938792, -1.1651132168534284,
  ],
  // LogisticRegression(C=1).fit(merged, y), merged = X with columns 3+4 and 10+11 each summed into one
  tiedMerged: [
    0.38961134060091246, 0.1468562016098347, 0.16472775339144793, -0.3115839531064654, -0.5853545987335455,
    0.10287015654317802, 0.4824844440851853, 0.0, 0.3127075744318802, -0.3127075725370592, 0.5086354107219053,
  ],
  // LogisticRegression(C=1).fit(np.delete(X, 1, axis=1), y)
  withoutColumn1: [
    0.06269135699715213, 0.21612350149732598, -0.2921760138637908, -0.4515622960635131, -0.35410875982444734,
    0.3182116675682948, 0.487459386279853, 0.0, 0.330051868050048, -0.3300518700898628, 0.7134526299524443,
    -1.28290252929159,
  ],
  // LogisticRegression(C=1).fit(Xc, y), Xc with block c always at level 0
  constantC: [
    -0.08561463201316491, 0.29308993502175945, 0.004130455481853101, -0.29722039072486345,
    -0.4784985275318879, -0.41354335117734986, 0.4079913343004786, 0.48405054418750676, 0.0,
    -2.2125128208298487e-10, 0.0, 0.7623322540831291, -1.1994659149808162,
  ],
  // LogisticRegression(C=1).fit(X[:40], ys), ys = (a == 0): perfectly separated by column 0
  separatedC1: [
    -0.9334484064043832, 2.489869898622516, -1.2582913442628956, -1.2315785538349928, 0.08892895113567965,
    -0.12279093514538766, 0.049242716510793136, -0.015380731976457295, 0.0, 0.05595344221043658,
    -0.055953441685808736, -0.0417167658447797, 0.19435658158921407,
  ],
  // LogisticRegression(C=100).fit(X[:40], ys)
  separatedC100: [
    -2.0916743539435445, 7.368187283719764, -3.678238960681058, -3.6899484064625288, 0.13164400221625142,
    -0.19711901408409582, 0.062016156502091, 0.0034587719419307125, 0.0, 0.06032555677367503,
    -0.06032564019749761, -0.06362345224896247, 0.3594980715634665,
  ],
};

const SEED = 20240601;
const rows = scorecardRows(200, SEED);

function expectFit(
  fit: { intercept: number; coef: Float64Array },
  reference: number[],
  tolerance = 1e-6,
): void {
  const got = [fit.intercept, ...fit.coef];
  expect(got).toHaveLength(reference.length);
  const worst = Math.max(...got.map((g, j) => Math.abs(g - (reference[j] as number))));
  expect(worst).toBeLessThan(tolerance);
}

describe("fitLogistic: the same coefficients as scikit-learn's LogisticRegression", () => {
  it("checks that the rows match the Python script's (200 rows, 144 events, 129 in the mask)", () => {
    expect(rows.labels.reduce((s, y) => s + y, 0)).toBe(144);
    expect(rows.mask.reduce((s, y) => s + y, 0)).toBe(129);
  });

  it("3 blocks + 2 numerics, l2 = 1", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 1 });
    expect(fit.converged).toBe(true);
    expectFit(fit, SKLEARN.plain);
  });

  it("with row weights, l2 = 2", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 2, weights: rows.weights });
    expectFit(fit, SKLEARN.weighted);
  });

  it("with a rowMask: the same as fitting the masked rows alone, l2 = 0.5", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 0.5, rowMask: rows.mask });
    expectFit(fit, SKLEARN.masked);
  });

  it("a rowMask keeping under half the rows (fitted on a compact copy) gives the same as 0-weights", () => {
    const few = new Uint8Array(200);
    for (let i = 0; i < 200; i += 3) few[i] = 1;
    const byMask = fitLogistic(rows.design, rows.labels, { l2: 1, rowMask: few });
    const byWeight = fitLogistic(rows.design, rows.labels, { l2: 1, weights: Float64Array.from(few) });
    expectFit(byMask, [byWeight.intercept, ...byWeight.coef], 1e-9);
  });

  it("tied columns share one coefficient, as sklearn on the merged columns (penalised once)", () => {
    const fit = fitLogistic(rows.design, rows.labels, {
      l2: 1,
      tied: [
        [3, 4],
        [10, 11],
      ],
    });
    const m = SKLEARN.tiedMerged;
    // merged columns: 0 1 2 (3+4) 5 6 7 8 9 (10+11)
    const expanded = [
      m[0],
      m[1],
      m[2],
      m[3],
      m[4],
      m[4],
      m[5],
      m[6],
      m[7],
      m[8],
      m[9],
      m[10],
      m[10],
    ] as number[];
    expectFit(fit, expanded);
    expect(fit.coef[3]).toBe(fit.coef[4]);
  });

  it("a fixed-zero column is 0 exactly and the rest is the fit without it", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 1, fixedZero: [1] });
    expect(fit.coef[1]).toBe(0);
    const w = SKLEARN.withoutColumn1;
    expectFit(fit, [w[0], w[1], 0, ...w.slice(2)] as number[]);
  });

  it("a column nobody has (level 4 of block b) gets coefficient 0 exactly", () => {
    expect(fitLogistic(rows.design, rows.labels, { l2: 1 }).coef[7]).toBe(0);
  });

  it("a block whose level never changes: its column is absorbed by the intercept", () => {
    const constant = scorecardRows(200, SEED, { constantC: true });
    const fit = fitLogistic(constant.design, constant.labels, { l2: 1 });
    expectFit(fit, SKLEARN.constantC);
    expect(Math.abs(fit.coef[8] as number)).toBeLessThan(1e-9);
    expect(fit.coef[9]).toBe(0);
  });

  describe("perfect separation (y = 1 exactly when block a is at level 0): finite, thanks to the penalty", () => {
    const design = headRows(rows.design, 40);
    const labels = Uint8Array.from(rows.a.subarray(0, 40), (a) => (a === 0 ? 1 : 0));
    it("l2 = 1", () => {
      const fit = fitLogistic(design, labels, { l2: 1 });
      expect(fit.converged).toBe(true);
      expectFit(fit, SKLEARN.separatedC1);
    });
    it("l2 = 0.01: larger, still finite, still converged", () => {
      const fit = fitLogistic(design, labels, { l2: 0.01 });
      expect(fit.converged).toBe(true);
      expectFit(fit, SKLEARN.separatedC100, 1e-5);
    });
  });
});

describe("fitLogistic: the objective and its options", () => {
  it("logLikelihood is the unpenalised log-likelihood of the fitted probabilities", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 1 });
    const eta = predictLogit(rows.design, fit);
    let ll = 0;
    for (let i = 0; i < 200; i++) {
      const p = 1 / (1 + Math.exp(-(eta[i] as number)));
      ll += rows.labels[i] ? Math.log(p) : Math.log(1 - p);
    }
    expect(fit.logLikelihood).toBeCloseTo(ll, 10);
  });

  it("starting from a given solution takes no step", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 1 });
    const again = fitLogistic(rows.design, rows.labels, { l2: 1, init: fit });
    expect(again.iterations).toBe(0);
    expect(again.converged).toBe(true);
  });

  it("stops at maxIterations without claiming convergence", () => {
    const fit = fitLogistic(rows.design, rows.labels, { l2: 1, maxIterations: 1 });
    expect(fit.iterations).toBe(1);
    expect(fit.converged).toBe(false);
  });

  it("never lets the objective go up, even from a far-off start", () => {
    const far = { intercept: 30, coef: new Float64Array(12).fill(-25) };
    const fit = fitLogistic(rows.design, rows.labels, { l2: 1, init: far });
    expect(fit.converged).toBe(true);
    expectFit(fit, SKLEARN.plain);
  });

  it("a row with no level in a block (-1) gets nothing from that block", () => {
    const design: Design = { rows: 2, columns: 2, categorical: [Int32Array.of(0, -1)], numeric: [] };
    expect([...predictLogit(design, { intercept: -1, coef: [0.5, 2] })]).toEqual([-0.5, -1]);
  });

  it("refuses one-class labels, a zero penalty and malformed input", () => {
    const ones = new Uint8Array(200).fill(1);
    expect(() => fitLogistic(rows.design, ones, { l2: 1 })).toThrow(/only one class/);
    expect(() => fitLogistic(rows.design, rows.labels, { l2: 0 })).toThrow(RangeError);
    expect(() => fitLogistic(rows.design, rows.labels.subarray(1), { l2: 1 })).toThrow(/labels has 199/);
    const bad: Design = {
      ...rows.design,
      categorical: [Int32Array.from(rows.design.categorical[0] as Int32Array)],
    };
    (bad.categorical[0] as Int32Array)[5] = 12;
    expect(() => fitLogistic(bad, rows.labels, { l2: 1 })).toThrow(/categorical\[0\], row 5: column 12/);
    expect(() =>
      fitLogistic(rows.design, rows.labels, {
        l2: 1,
        tied: [
          [1, 2],
          [2, 3],
        ],
      }),
    ).toThrow(/more than one/);
    const negative = new Float64Array(200).fill(1);
    negative[3] = -1;
    expect(() => fitLogistic(rows.design, rows.labels, { l2: 1, weights: negative })).toThrow(
      /weights, row 3/,
    );
  });
});
