import { describe, expect, it } from "vitest";
import { reliability } from "../../src/stats/reliability.ts";
import { randomCase } from "./random-case.ts";

describe("reliability", () => {
  it("matches sklearn's quantile calibration curve on small inline data", () => {
    const p = [0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.5, 0.55, 0.7, 0.9];
    const y = [0, 0, 1, 0, 0, 1, 0, 1, 1, 1];
    // t, pr = sklearn.calibration.calibration_curve(y, p, n_bins=5, strategy="quantile")
    // t = [0, 0.5, 0.5, 0.5, 1], pr = [0.075, 0.175, 0.325, 0.525, 0.8]; equal bins of 2, so
    // ECE = np.mean(np.abs(t - pr)) = 0.16
    const { bins, ece } = reliability(p, y, 5);
    expect(bins.map((b) => b.observedRate)).toEqual([0, 0.5, 0.5, 0.5, 1]);
    [0.075, 0.175, 0.325, 0.525, 0.8].forEach((m, i) => {
      expect(bins[i]?.meanPredicted).toBeCloseTo(m, 15);
    });
    expect(ece).toBeCloseTo(0.16, 15);
    expect(bins[0]).toMatchObject({ bin: 1, leads: 2, conversions: 0, low: 0.05, high: 0.1 });
  });

  it("never splits tied probabilities, giving fewer bins than asked", () => {
    // 4 distinct probabilities, 3 leads each: 4 bins of 3 whatever `bins` asks (worked by hand:
    // ECE = (|1/3-0.1| + |1/3-0.2| + |2/3-0.4| + |2/3-0.7|) / 4 = 0.15833...)
    const p = [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.4, 0.4, 0.4, 0.7, 0.7, 0.7];
    const y = [0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0];
    const { bins, ece } = reliability(p, y, 10);
    expect(bins.map((b) => b.leads)).toEqual([3, 3, 3, 3]);
    expect(bins.map((b) => b.low)).toEqual([0.1, 0.2, 0.4, 0.7]);
    expect(ece).toBeCloseTo((1 / 3 - 0.1 + (1 / 3 - 0.2) + (2 / 3 - 0.4) + (0.7 - 2 / 3)) / 4, 15);
    // One distinct probability: one bin.
    expect(reliability([0.3, 0.3, 0.3], [0, 1, 0]).bins).toHaveLength(1);
  });

  it("does not depend on row order", () => {
    const p = [0.4, 0.1, 0.4, 0.2, 0.4, 0.1];
    const y = [1, 0, 0, 1, 1, 0];
    const order = [5, 2, 0, 4, 1, 3];
    expect(
      reliability(
        order.map((i) => p[i] as number),
        order.map((i) => y[i] as number),
        3,
      ),
    ).toEqual(reliability(p, y, 3));
  });

  it("matches sklearn on 5,000 random rows (10 bins of 500)", () => {
    const { probabilities, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: calibration_curve(labels, prob, n_bins=10, strategy="quantile")
    const observed = [0.094, 0.104, 0.138, 0.208, 0.296, 0.332, 0.366, 0.398, 0.498, 0.544];
    const predicted = [
      0.06709688577111811, 0.12089272130175964, 0.1683725974213799, 0.21644331466012162, 0.265973592984113,
      0.3154170842464547, 0.3642652393702837, 0.4133392071467544, 0.463552300096904, 0.5184504301877411,
    ];
    const { bins, ece } = reliability(probabilities, labels);
    expect(bins.map((b) => b.leads)).toEqual(new Array(10).fill(500));
    bins.forEach((b, i) => {
      expect(b.observedRate).toBeCloseTo(observed[i] as number, 15);
      expect(b.meanPredicted).toBeCloseTo(predicted[i] as number, 13);
    });
    // scripts/reference/stats_reference.py: np.mean(np.abs(prob_true - prob_pred)) = 0.020629230787340094
    expect(ece).toBeCloseTo(0.020629230787340094, 13);
  });

  it("throws on empty arrays, probabilities outside [0, 1] and bad bin counts", () => {
    expect(() => reliability([], [])).toThrow(/empty/);
    expect(() => reliability([1.5], [1])).toThrow(/probabilities must be in \[0, 1\]/);
    expect(() => reliability([0.5], [1], 0)).toThrow(/integer >= 1/);
  });
});
