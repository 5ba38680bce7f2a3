import { describe, expect, it } from "vitest";
import { logLoss } from "../../src/stats/log-loss.ts";
import { randomCase } from "./random-case.ts";

describe("logLoss", () => {
  it("matches sklearn on small inline data", () => {
    // sklearn.metrics.log_loss([0,1,1,0],[0.1,0.9,0.8,0.3], eps=1e-15) = 0.19763488164214868
    expect(logLoss([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(0.19763488164214868, 15);
  });

  it("stays finite for probabilities of exactly 0 and 1, clipped like sklearn", () => {
    // sklearn.metrics.log_loss([0,1,1,0],[0.0,1.0,0.0,1.0], eps=1e-15) = 17.26958809681289
    expect(logLoss([0, 1, 0, 1], [0, 1, 1, 0])).toBeCloseTo(17.26958809681289, 12);
    // sklearn.metrics.log_loss([0,1],[0.0,1.0], eps=1e-15) = 9.992007221626415e-16 (sklearn renormalises
    // [1 - p, p] after clipping, we take log1p(-p): they differ by 4e-19)
    expect(logLoss([0, 1], [0, 1])).toBeCloseTo(9.992007221626415e-16, 18);
    // sklearn.metrics.log_loss([0,1,1,0],[0.0,1.0,0.0,1.0], eps=1e-7) = 8.059047875610752
    expect(logLoss([0, 1, 0, 1], [0, 1, 1, 0], 1e-7)).toBeCloseTo(8.059047875610752, 12);
  });

  it("matches sklearn on 5,000 random rows", () => {
    const { probabilities, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: log_loss(labels, prob) = 0.5525619493043743
    expect(logLoss(probabilities, labels)).toBeCloseTo(0.5525619493043743, 13);
  });

  it("works with a single class (sklearn needs labels= for that; the formula does not)", () => {
    expect(logLoss([0.5, 0.5], [1, 1])).toBeCloseTo(Math.LN2, 15);
  });

  it("throws on empty arrays, probabilities outside [0, 1] and a bad eps", () => {
    expect(() => logLoss([], [])).toThrow(/empty/);
    expect(() => logLoss([-0.1], [0])).toThrow(/probability at index 0/);
    expect(() => logLoss([0.5], [0], 0)).toThrow(/eps/);
  });
});
