import { describe, expect, it } from "vitest";
import { delongPaired } from "../../src/stats/delong-paired.ts";
import { randomCase } from "./random-case.ts";

/*
 * Reference: scripts/reference/delong.py, DeLong, DeLong & Clarke-Pearson (1988) straight from the
 * definition in numpy (the P x N kernel matrix, np.cov of the structural components), p-value
 * 2 * scipy.stats.norm.sf(|z|), interval +- scipy.stats.norm.ppf(0.975) * se.
 */
function expectClose(actual: Record<string, number>, expected: Record<string, number>, digits: number) {
  for (const [key, value] of Object.entries(expected)) expect(actual[key], key).toBeCloseTo(value, digits);
}

describe("delongPaired", () => {
  it("matches the O(n^2) definition on small inline data", () => {
    const a = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.9, 0.55, 0.3, 0.6];
    const b = [0.2, 0.5, 0.3, 0.6, 0.9, 0.1, 0.8, 0.7, 0.3, 0.4];
    const y = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1];
    // /usr/bin/python3 scripts/reference/delong.py (its __main__ case)
    expectClose(
      { ...delongPaired(a, b, y) },
      {
        aucA: 0.96,
        aucB: 0.8800000000000001,
        difference: -0.07999999999999985,
        se: 0.09380831519646858,
        z: -0.8528028654224402,
        pValue: 0.3937686346429936,
        low: -0.26386091923545973,
        high: 0.10386091923546001,
      },
      13,
    );
  });

  it("matches the O(n^2) definition on 5,000 random rows with heavy ties", () => {
    const { points, pointsB, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: delong_paired(points, points_b, labels)
    expectClose(
      { ...delongPaired(points, pointsB, labels) },
      {
        aucA: 0.7089025013777097,
        aucB: 0.7055704617494016,
        difference: -0.003332039628308081,
        se: 0.001613714828690664,
        z: -2.064825562154393,
        pValue: 0.038939508288297474,
        low: -0.006494862573860005,
        high: -0.00016921668275615654,
      },
      10,
    ); // z agrees to 7e-13 relative: var(B - A) is summed directly rather than from the 2x2 covariances
  });

  it("gives a zero difference with a nonzero se for different scorers of equal AUC", () => {
    // scripts/reference/delong.py: delong_paired([1,2,3,4,5,6],[1,3,2,4,6,5],[0,1,0,1,0,1])
    // aucA = aucB = 0.6666666666666666, se = 0.2721655269759087, z 0, pValue 1
    const result = delongPaired([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 6, 5], [0, 1, 0, 1, 0, 1]);
    expect(result.difference).toBeCloseTo(0, 15);
    expect(result.se).toBeCloseTo(0.2721655269759087, 14);
    expect(result.pValue).toBeCloseTo(1, 14);
  });

  it("handles identical scorers (se = 0): difference 0, z 0, pValue 1, interval [0, 0]", () => {
    const s = [0.3, 0.1, 0.8, 0.5, 0.5, 0.9];
    const y = [0, 0, 1, 1, 0, 1];
    expect(delongPaired(s, s, y)).toMatchObject({ difference: 0, se: 0, z: 0, pValue: 1, low: 0, high: 0 });
    // A monotone transform ranks the leads the same way: the same placements, the same answer.
    expect(
      delongPaired(
        s,
        s.map((x) => 10 * x + 3),
        y,
      ),
    ).toMatchObject({ difference: 0, se: 0, pValue: 1 });
  });

  it("throws with fewer than 2 leads in a class, an empty class or mismatched lengths", () => {
    expect(() => delongPaired([1, 2, 3], [1, 2, 3], [0, 0, 1])).toThrow(/at least 2 converted/);
    expect(() => delongPaired([1, 2], [1, 2], [0, 0])).toThrow(/no converted leads/);
    expect(() => delongPaired([1, 2], [1, 2, 3], [0, 1])).toThrow(/2 scores but 3 labels|same length/);
    expect(() => delongPaired([], [], [])).toThrow(/empty/);
  });
});
