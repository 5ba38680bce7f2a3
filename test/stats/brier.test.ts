import { describe, expect, it } from "vitest";
import { brier } from "../../src/stats/brier.ts";
import { randomCase } from "./random-case.ts";

describe("brier", () => {
  it("matches sklearn on small inline data", () => {
    // sklearn.metrics.brier_score_loss([0,1,1,0],[0.1,0.9,0.8,0.3]) = 0.03749999999999999
    expect(brier([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(0.0375, 15);
    // sklearn.metrics.brier_score_loss([0,1,1,0],[0,1,0,1]) = 0.5
    expect(brier([0, 1, 0, 1], [0, 1, 1, 0])).toBe(0.5);
  });

  it("matches sklearn on 5,000 random rows", () => {
    const { probabilities, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: brier_score_loss(labels, prob) = 0.186405712299693
    expect(brier(probabilities, labels)).toBeCloseTo(0.186405712299693, 14);
  });

  it("works with a single class", () => {
    expect(brier([0.5, 0.5], [1, 1])).toBe(0.25);
  });

  it("throws on empty arrays and probabilities outside [0, 1]", () => {
    expect(() => brier([], [])).toThrow(/empty/);
    expect(() => brier([0.5, 1.2], [0, 1])).toThrow(/probability at index 1 is 1.2/);
    expect(() => brier([0.5, 0.2], [0, 1, 1])).toThrow(RangeError);
  });
});
