import { describe, expect, it } from "vitest";
import { ks } from "../../src/stats/ks.ts";
import { randomCase } from "./random-case.ts";

describe("ks", () => {
  it("matches scipy's two-sample KS statistic and location on small inline data", () => {
    // r = scipy.stats.ks_2samp([2,3,3,4],[1,2,3]); r.statistic = 0.4166666666666667, r.statistic_location = 2
    const tied = ks([1, 2, 2, 3, 3, 3, 4], [0, 0, 1, 0, 1, 1, 1]);
    expect(tied.statistic).toBeCloseTo(0.4166666666666667, 15);
    expect(tied.at).toBe(2);
    // scipy.stats.ks_2samp([3,4],[1,2]): statistic 1.0, statistic_location 2
    expect(ks([1, 2, 3, 4], [0, 0, 1, 1])).toEqual({ statistic: 1, at: 2 });
  });

  it("is 0 when every score is tied", () => {
    expect(ks([4, 4, 4, 4], [0, 1, 1, 0])).toEqual({ statistic: 0, at: 4 });
  });

  it("matches scipy on 5,000 random rows", () => {
    const { points, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: ks_2samp(points[labels==1], points[labels==0])
    // statistic = 0.319340022980639, statistic_location = 104
    const result = ks(points, labels);
    expect(result.statistic).toBeCloseTo(0.319340022980639, 13);
    expect(result.at).toBe(104);
  });

  it("throws for an empty class and empty arrays", () => {
    expect(() => ks([1, 2], [0, 0])).toThrow(/no converted leads/);
    expect(() => ks([], [])).toThrow(RangeError);
  });
});
