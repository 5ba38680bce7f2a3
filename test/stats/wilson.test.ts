import { describe, expect, it } from "vitest";
import { wilson } from "../../src/stats/wilson.ts";

/*
 * Reference: the Wilson interval is the set of p where the score test does not reject, so each end
 * was found independently of the closed form by root finding in scipy:
 *   z = scipy.stats.norm.ppf(0.975); f = lambda q: abs(s - n*q) / np.sqrt(n*q*(1-q)) - z
 *   low = scipy.optimize.brentq(f, 1e-15, s/n, xtol=1e-15, rtol=1e-15); high = brentq(f, s/n, 1-1e-15, ...)
 */
const REFERENCE: [number, number, number, number][] = [
  [3, 10, 0.10779126740630095, 0.6032218525388547],
  [0, 10, 0, 0.27753279986288926],
  [10, 10, 0.7224672001371107, 1],
  [1, 1, 0.2065493143772374, 1],
  [45, 120, 0.29352429786446804, 0.4642304937402078],
];

describe("wilson", () => {
  it.each(REFERENCE)("%d of %d: [%d, %d] (scipy root finding)", (s, n, low, high) => {
    const ci = wilson(s, n);
    expect(ci.low).toBeCloseTo(low, 13);
    expect(ci.high).toBeCloseTo(high, 13);
  });

  it("gives the whole range [0, 1], not NaN, for n = 0", () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("narrows with a smaller z", () => {
    const wide = wilson(3, 10);
    const narrow = wilson(3, 10, 1);
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });

  it("throws for successes outside [0, n] and bad n or z", () => {
    expect(() => wilson(11, 10)).toThrow(/between 0 and n = 10/);
    expect(() => wilson(-1, 10)).toThrow(RangeError);
    expect(() => wilson(1, Number.NaN)).toThrow(RangeError);
    expect(() => wilson(1, 2, 0)).toThrow(/z must be/);
  });
});
