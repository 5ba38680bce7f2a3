import { describe, expect, it } from "vitest";
import { chiSquareUpperTail } from "../../src/stats/chi-square-upper-tail.ts";

// [x, df, scipy.stats.chi2.sf(x, df)] from scipy 1.10.1
const REFERENCE: [number, number, number][] = [
  [3.841458820694124, 1, 0.04999999999999989],
  [10, 8, 0.2650259152973616],
  [0.5, 2, 0.7788007830714049], // = exp(-0.25)
  [100, 50, 3.454931382984871e-5],
  [1e-3, 3, 0.9999915920809419],
  [1000, 900, 0.010994608942135844],
  [17.75897690666034, 8, 0.023107869426222515],
  [40, 3, 1.065509033425585e-8],
  [200, 1, 2.0884875837625688e-45],
  [0.2, 30, 1.0],
  [1e-10, 1, 0.9999920211543921],
];

describe("chiSquareUpperTail", () => {
  it.each(REFERENCE)("chi2.sf(%d, %d) = %d (scipy)", (x, df, expected) => {
    expect(Math.abs(chiSquareUpperTail(x, df) - expected)).toBeLessThanOrEqual(1e-12 * expected + 1e-16);
  });

  it("is 1 at x <= 0 and 0 at infinity", () => {
    expect(chiSquareUpperTail(0, 4)).toBe(1);
    expect(chiSquareUpperTail(-3, 4)).toBe(1);
    expect(chiSquareUpperTail(Number.POSITIVE_INFINITY, 4)).toBe(0);
  });

  it("throws for df <= 0 and NaN", () => {
    expect(() => chiSquareUpperTail(1, 0)).toThrow(RangeError);
    expect(() => chiSquareUpperTail(Number.NaN, 2)).toThrow(RangeError);
  });
});
