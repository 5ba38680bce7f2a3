import { describe, expect, it } from "vitest";
import { psi } from "../../src/stats/psi.ts";
import { psiBands } from "../../src/stats/psi-bands.ts";
import { scorePsi } from "../../src/stats/score-psi.ts";
import { randomCase } from "./random-case.ts";

describe("psi", () => {
  it("matches numpy on shares and counts", () => {
    // e, a = np.array([.5, .5]), np.array([.4, .6]); np.sum((a - e) * np.log(a / e)) = 0.04054651081081642
    expect(psi([50, 50], [40, 60])).toBeCloseTo(0.04054651081081642, 15);
    expect(psi([0.5, 0.5], [0.4, 0.6])).toBeCloseTo(0.04054651081081642, 15);
    // empty actual share floored at 1e-4: e = [.25]*4, a = np.maximum([0, .2, .3, .5], 1e-4)
    // np.sum((a - e) * np.log(a / e)) = 2.148789148658382
    expect(psi([1, 1, 1, 1], [0, 0.2, 0.3, 0.5])).toBeCloseTo(2.148789148658382, 13);
    // e = np.maximum(np.array([120, 80, 0]) / 200, 1e-4), a = np.array([30, 50, 20]) / 100: 1.749678910961867
    expect(psi([120, 80, 0], [30, 50, 20])).toBeCloseTo(1.749678910961867, 13);
  });

  it("is 0 for the same distribution", () => {
    expect(psi([3, 1, 6], [30, 10, 60])).toBe(0);
  });

  it("throws on mismatched, empty, negative and all-zero vectors", () => {
    expect(() => psi([1, 2], [1])).toThrow(/2 expected bins but 1 actual/);
    expect(() => psi([], [])).toThrow(/empty/);
    expect(() => psi([1, -1], [1, 1])).toThrow(/expected bin 1 is -1/);
    expect(() => psi([0, 0], [1, 1])).toThrow(/sum to 0/);
  });
});

describe("psiBands", () => {
  it("reads < 0.10 stable, 0.10 to 0.25 look, > 0.25 shifted", () => {
    expect(psiBands(0)).toBe("stable");
    expect(psiBands(0.0999)).toBe("stable");
    expect(psiBands(0.1)).toBe("look");
    expect(psiBands(0.25)).toBe("look");
    expect(psiBands(0.2501)).toBe("shifted");
    expect(() => psiBands(Number.NaN)).toThrow(RangeError);
  });
});

describe("scorePsi", () => {
  it("cuts bins at the training deciles and counts recent scores in them (worked by hand)", () => {
    const result = scorePsi([1, 2, 3, 4], [1, 1, 3, 4], 2);
    expect(result.bins).toEqual([
      { low: 1, high: 2, expected: 0.5, actual: 0.5 },
      { low: 3, high: 4, expected: 0.5, actual: 0.5 },
    ]);
    expect(result.psi).toBe(0);
    // Recent scores outside the training range fall in the end bins.
    expect(scorePsi([1, 2, 3, 4], [-5, 0, 9, 10], 2).bins.map((b) => b.actual)).toEqual([0.5, 0.5]);
  });

  it("keeps tied training scores in one bin", () => {
    // Quartiles of 8: the six 5s (ranks 0-5, middle 3 -> quartile floor(4 * 3 / 8) = 1) make one
    // bin; 7 (middle 6.5 -> 3) and 8 (7.5 -> 3) share the top quartile. Worked by hand.
    const result = scorePsi([5, 5, 5, 5, 5, 5, 7, 8], [5, 8], 4);
    expect(result.bins.map((b) => [b.low, b.high, b.expected, b.actual])).toEqual([
      [5, 5, 0.75, 0.5],
      [7, 8, 0.25, 0.5],
    ]);
  });

  it("matches numpy on 5,000 random rows", () => {
    const { points, pointsB } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py score_psi(points[:2500], points_b[2500:]) = 0.17198195128369617, 10 bins
    const shifted = scorePsi(points.subarray(0, 2500), pointsB.subarray(2500));
    expect(shifted.bins).toHaveLength(10);
    expect(shifted.psi).toBeCloseTo(0.17198195128369617, 13);
    // score_psi(points[:2500], points[2500:]) = 0.0055626765302826476
    expect(scorePsi(points.subarray(0, 2500), points.subarray(2500)).psi).toBeCloseTo(
      0.0055626765302826476,
      14,
    );
  });

  it("throws on empty or non-finite scores", () => {
    expect(() => scorePsi([], [1])).toThrow(/no training scores/);
    expect(() => scorePsi([1], [Number.NaN])).toThrow(/recent score at index 0 is NaN/);
  });
});
