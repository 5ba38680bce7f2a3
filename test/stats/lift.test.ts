import { describe, expect, it } from "vitest";
import { lift } from "../../src/stats/lift.ts";
import { randomCase } from "./random-case.ts";

describe("lift", () => {
  it("takes the top share by score (worked by hand)", () => {
    expect(lift([4, 3, 2, 1], [1, 0, 1, 0], [0.25, 0.5, 1])).toEqual([
      { fraction: 0.25, leads: 1, conversions: 1, rate: 1, lift: 2, capture: 0.5 },
      { fraction: 0.5, leads: 2, conversions: 1, rate: 0.5, lift: 1, capture: 0.5 },
      { fraction: 1, leads: 4, conversions: 2, rate: 0.5, lift: 1, capture: 1 },
    ]);
  });

  it("counts leads tied at the cut in proportion, so row order does not matter", () => {
    // Top 2 of 4: the lead at 9 (converted) and one of the three tied at 5, of which one
    // converted: expected 1 + 1/3 conversions.
    const a = lift([9, 5, 5, 5], [1, 1, 0, 0], [0.5])[0];
    const b = lift([5, 5, 9, 5], [0, 0, 1, 1], [0.5])[0];
    expect(a?.conversions).toBeCloseTo(4 / 3, 15);
    expect(b).toEqual(a);
    // All tied: the top share converts at the overall rate.
    expect(lift([1, 1, 1, 1, 1], [1, 0, 0, 0, 0], [0.2])[0]?.lift).toBeCloseTo(1, 15);
  });

  it("matches the expected top-k conversions on 5,000 random rows", () => {
    const { points, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py expected_top(f * n): conversions and lift
    const reference = [
      [274.8, 1.8455339153794492],
      [521.6428571428572, 1.7516549937637917],
      [717.76, 1.6068054622789343],
    ];
    const rows = lift(points, labels);
    rows.forEach((row, i) => {
      expect(row.leads).toBeCloseTo([500, 1000, 1500][i] as number, 9);
      expect(row.conversions).toBeCloseTo(reference[i]?.[0] as number, 9);
      expect(row.lift).toBeCloseTo(reference[i]?.[1] as number, 12);
    });
  });

  it("throws without conversions and for fractions outside (0, 1]", () => {
    expect(() => lift([1, 2], [0, 0])).toThrow(/no converted leads/);
    expect(() => lift([1, 2], [0, 1], [0])).toThrow(/fractions/);
    expect(() => lift([1, 2], [0, 1], [1.5])).toThrow(/fractions/);
    expect(() => lift([], [])).toThrow(/empty/);
  });
});
