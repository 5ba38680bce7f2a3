import { describe, expect, it } from "vitest";
import { auc } from "../../src/stats/auc.ts";
import { gini } from "../../src/stats/gini.ts";
import { randomCase } from "./random-case.ts";

describe("auc", () => {
  it("matches sklearn on small inline data", () => {
    // sklearn.metrics.roc_auc_score([0,1,1,0],[0.1,0.4,0.35,0.8]) = 0.5
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 1, 1, 0])).toBe(0.5);
    // sklearn.metrics.roc_auc_score([0,0,1,0,1,1,1],[1,2,2,3,3,3,4]) = 0.7916666666666666
    expect(auc([1, 2, 2, 3, 3, 3, 4], [0, 0, 1, 0, 1, 1, 1])).toBeCloseTo(0.7916666666666666, 15);
    // sklearn.metrics.roc_auc_score([0,1],[1,2]) = 1.0; reversed = 0.0
    expect(auc([1, 2], [0, 1])).toBe(1);
    expect(auc([2, 1], [0, 1])).toBe(0);
  });

  it("gives 0.5 when every score is tied", () => {
    // sklearn.metrics.roc_auc_score([0,1,0,1,1],[7,7,7,7,7]) = 0.5
    expect(auc([7, 7, 7, 7, 7], [0, 1, 0, 1, 1])).toBe(0.5);
  });

  it("accepts typed arrays", () => {
    expect(auc(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 1, 1, 0]))).toBe(0.5);
    expect(auc(new Int32Array([1, 2, 2, 3]), new Int32Array([0, 1, 0, 1]))).toBe(0.875);
  });

  it("matches sklearn on 5,000 random rows with 200 distinct scores", () => {
    const { points, pointsB, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: roc_auc_score(labels, points) = 0.7089025013777097
    expect(auc(points, labels)).toBeCloseTo(0.7089025013777097, 13);
    // scripts/reference/stats_reference.py: roc_auc_score(labels, points_b) = 0.7055704617494016
    expect(auc(pointsB, labels)).toBeCloseTo(0.7055704617494016, 13);
  });

  it("agrees with the O(n^2) pair count on random data with ties", () => {
    const { pointsB, labels } = randomCase(11, 600);
    let pairs = 0;
    let wins = 0;
    for (let i = 0; i < labels.length; i++)
      for (let j = 0; j < labels.length; j++)
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          const a = pointsB[i] as number;
          const b = pointsB[j] as number;
          wins += a > b ? 1 : a === b ? 0.5 : 0;
        }
    expect(auc(pointsB, labels)).toBeCloseTo(wins / pairs, 13);
  });

  it("throws a RangeError naming the empty class", () => {
    expect(() => auc([1, 2, 3], [0, 0, 0])).toThrow(/no converted leads \(label 1\) among the 3 leads/);
    expect(() => auc([1, 2, 3], [1, 1, 1])).toThrow(/no non-converted leads \(label 0\)/);
    expect(() => auc([1, 2, 3], [1, 1, 1])).toThrow(RangeError);
  });

  it("throws on empty arrays, different lengths, bad labels and non-finite scores", () => {
    expect(() => auc([], [])).toThrow(/empty/);
    expect(() => auc([1, 2], [0, 1, 1])).toThrow(/2 scores but 3 labels/);
    expect(() => auc([1, 2], [0, 2])).toThrow(/label at index 1 is 2/);
    expect(() => auc([1, Number.NaN], [0, 1])).toThrow(/score at index 1 is NaN/);
  });
});

describe("gini", () => {
  it("is 2 auc - 1", () => {
    expect(gini(0.5)).toBe(0); // random ranking
    expect(gini(1)).toBe(1);
    expect(gini(0.75)).toBe(0.5);
    expect(gini(0)).toBe(-1);
  });

  it("throws outside [0, 1]", () => {
    expect(() => gini(1.5)).toThrow(RangeError);
    expect(() => gini(Number.NaN)).toThrow(RangeError);
  });
});
