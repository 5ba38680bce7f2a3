import { describe, expect, it } from "vitest";
import { gainsCurve } from "../../src/stats/gains-curve.ts";
import { randomCase } from "./random-case.ts";

describe("gainsCurve", () => {
  it("shares tied leads' conversions in proportion (worked by hand)", () => {
    // Top lead (0.9) converts: 1/4 of leads, 1/2 of conversions; the tie at 0.5 (one converted of
    // two) is taken together: 3/4 of leads, all conversions; then the last lead.
    expect(gainsCurve([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toEqual([
      { share: 0, capture: 0 },
      { share: 0.25, capture: 0.5 },
      { share: 0.75, capture: 1 },
      { share: 1, capture: 1 },
    ]);
  });

  it("is the diagonal when every score is tied, whatever the row order", () => {
    expect(gainsCurve([5, 5, 5, 5], [1, 0, 0, 1])).toEqual([
      { share: 0, capture: 0 },
      { share: 1, capture: 1 },
    ]);
    expect(gainsCurve([5, 5, 5, 5, 5, 5], [1, 0, 0, 0, 0, 0], 3)).toEqual([
      { share: 0, capture: 0 },
      { share: 1, capture: 1 },
    ]);
  });

  it("matches the expected capture under random tie-breaking on 5,000 random rows", () => {
    const { points, labels } = randomCase(7, 5000);
    const curve = gainsCurve(points, labels);
    expect(curve.length).toBe(101);
    // scripts/reference/stats_reference.py expected_top(j * n / 100) / conversions, computed
    // lead by lead as clip((k - leads above) / leads tied, 0, 1):
    const reference: [number, number][] = [
      [0, 0],
      [7, 0.1312961719274681],
      [10, 0.18455339153794495],
      [33, 0.5177971793149765],
      [50, 0.7170977976424816],
      [100, 1],
    ];
    for (const [j, capture] of reference) {
      expect(curve[j]?.share).toBeCloseTo(j / 100, 15);
      expect(curve[j]?.capture).toBeCloseTo(capture, 13);
    }
  });

  it("throws without conversions, on empty arrays and maxPoints < 2", () => {
    expect(() => gainsCurve([1, 2], [0, 0])).toThrow(/no converted leads/);
    expect(() => gainsCurve([], [])).toThrow(/empty/);
    expect(() => gainsCurve([1, 2], [0, 1], 1)).toThrow(/maxPoints/);
  });

  it("allows every lead to have converted (capture rises with share)", () => {
    expect(gainsCurve([1, 2], [1, 1])).toEqual([
      { share: 0, capture: 0 },
      { share: 0.5, capture: 0.5 },
      { share: 1, capture: 1 },
    ]);
  });
});
