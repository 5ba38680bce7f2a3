import { describe, expect, it } from "vitest";
import { hosmerLemeshow } from "../../src/stats/hosmer-lemeshow.ts";
import { randomCase } from "./random-case.ts";

/*
 * Reference: the statistic computed directly in numpy over the stated groups, the p-value by scipy:
 *   st = sum((o - e)**2 / (e * (1 - e / m)) for each group); scipy.stats.chi2.sf(st, len(groups) - 2)
 * (the hl() helper used is the loop in scripts/reference/stats_reference.py).
 */
describe("hosmerLemeshow", () => {
  it("matches the numpy/scipy computation on small inline data", () => {
    const p = [0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.5, 0.55, 0.7, 0.9];
    const y = [0, 0, 1, 0, 0, 1, 0, 1, 1, 1];
    // groups of 2 in order: statistic 2.409580435896226, chi2.sf(.., 3) = 0.4918537192805168
    const result = hosmerLemeshow(p, y, 5);
    expect(result.df).toBe(3);
    expect(result.statistic).toBeCloseTo(2.409580435896226, 13);
    expect(result.pValue).toBeCloseTo(0.4918537192805168, 13);
    expect(result.groups[4]).toMatchObject({ group: 5, leads: 2, conversions: 2, low: 0.7, high: 0.9 });
    expect(result.groups[4]?.expected).toBeCloseTo(1.6, 15);
  });

  it("forms fewer groups from fewer distinct probabilities and lowers df to match", () => {
    // 4 distinct probabilities, 3 leads each: 4 groups, df = 2; statistic 3.0529100529100512,
    // chi2.sf(.., 2) = 0.2173046427216216
    const p = [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.4, 0.4, 0.4, 0.7, 0.7, 0.7];
    const y = [0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0];
    const result = hosmerLemeshow(p, y);
    expect(result.groups).toHaveLength(4);
    expect(result.df).toBe(2);
    expect(result.statistic).toBeCloseTo(3.0529100529100512, 13);
    expect(result.pValue).toBeCloseTo(0.2173046427216216, 13);
  });

  it("throws when fewer than 3 groups can be formed", () => {
    expect(() => hosmerLemeshow([0.2, 0.2, 0.6, 0.6], [0, 1, 1, 1])).toThrow(/only 2 group\(s\)/);
    expect(() => hosmerLemeshow([], [])).toThrow(/empty/);
  });

  it("gives an infinite statistic and p-value 0 when a certainty is contradicted", () => {
    const result = hosmerLemeshow([0, 0, 0.5, 0.5, 1, 1], [1, 0, 1, 0, 1, 1], 3);
    expect(result.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(result.pValue).toBe(0);
    // Certainties that hold add nothing.
    expect(hosmerLemeshow([0, 0, 0.5, 0.5, 1, 1], [0, 0, 1, 0, 1, 1], 3).statistic).toBe(0);
  });

  it("matches numpy/scipy on 5,000 random rows", () => {
    const { probabilities, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: 10 groups of 500 by np.argsort(prob):
    // statistic 17.75897690666034, chi2.sf(.., 8) = 0.023107869426222515
    const result = hosmerLemeshow(probabilities, labels);
    expect(result.df).toBe(8);
    expect(result.statistic).toBeCloseTo(17.75897690666034, 10);
    expect(result.pValue).toBeCloseTo(0.023107869426222515, 12);
  });
});
