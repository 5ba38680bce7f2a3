import { describe, expect, it } from "vitest";
import { rocCurve } from "../../src/stats/roc-curve.ts";
import { randomCase } from "./random-case.ts";

const pairs = (points: { fpr: number; tpr: number }[]) => points.map((p) => [p.fpr, p.tpr]);

describe("rocCurve", () => {
  it("has sklearn's vertices on small inline data", () => {
    // fpr, tpr, _ = sklearn.metrics.roc_curve([0,1,1,0],[0.1,0.4,0.35,0.8], drop_intermediate=False)
    // fpr = [0, 0.5, 0.5, 0.5, 1], tpr = [0, 0, 0.5, 1, 1]
    expect(pairs(rocCurve([0.1, 0.4, 0.35, 0.8], [0, 1, 1, 0]))).toEqual([
      [0, 0],
      [0.5, 0],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
  });

  it("moves tied scores as one diagonal step, like sklearn", () => {
    // sklearn.metrics.roc_curve([0,0,1,0,1,1,1],[1,2,2,3,3,3,4], drop_intermediate=False)
    // fpr = [0, 0, 1/3, 2/3, 1], tpr = [0, 0.25, 0.75, 1, 1]
    const curve = pairs(rocCurve([1, 2, 2, 3, 3, 3, 4], [0, 0, 1, 0, 1, 1, 1]));
    const expected = [
      [0, 0],
      [0, 0.25],
      [1 / 3, 0.75],
      [2 / 3, 1],
      [1, 1],
    ];
    expect(curve.length).toBe(expected.length);
    curve.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i]?.[0] as number, 15);
      expect(p[1]).toBeCloseTo(expected[i]?.[1] as number, 15);
    });
  });

  it("is the diagonal from (0,0) to (1,1) when every score is tied", () => {
    expect(pairs(rocCurve([3, 3, 3], [0, 1, 0]))).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it("thins 201 vertices to 101 keeping the ends, matching sklearn's vertices", () => {
    const { points, labels } = randomCase(7, 5000);
    const curve = rocCurve(points, labels);
    expect(curve.length).toBe(101);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve[100]).toEqual({ fpr: 1, tpr: 1 });
    // scripts/reference/stats_reference.py: roc_curve(labels, points, drop_intermediate=False) has
    // 201 vertices; at kept index round(j * 200 / 100) = 2j:
    // vertex 2 = (0.005126744517231558, 0.018132975151108125), vertex 100 = (0.4030190828823697, 0.7118871725990598),
    // sums over the kept vertices: fpr 43.92452292794076, tpr 64.61114842175957
    expect(curve[1]?.fpr).toBeCloseTo(0.005126744517231558, 14);
    expect(curve[1]?.tpr).toBeCloseTo(0.018132975151108125, 14);
    expect(curve[50]?.fpr).toBeCloseTo(0.4030190828823697, 14);
    expect(curve[50]?.tpr).toBeCloseTo(0.7118871725990598, 14);
    expect(curve.reduce((s, p) => s + p.fpr, 0)).toBeCloseTo(43.92452292794076, 11);
    expect(curve.reduce((s, p) => s + p.tpr, 0)).toBeCloseTo(64.61114842175957, 11);
    expect(rocCurve(points, labels, 1000).length).toBe(201);
  });

  it("throws for an empty class, empty arrays and maxPoints < 2", () => {
    expect(() => rocCurve([1, 2], [1, 1])).toThrow(/no non-converted leads/);
    expect(() => rocCurve([], [])).toThrow(/empty/);
    expect(() => rocCurve([1, 2], [0, 1], 1)).toThrow(/maxPoints/);
  });
});
