import { describe, expect, it } from "vitest";
import { poissonSampler, seededRandom } from "../../src/stats/random.ts";

describe("seededRandom", () => {
  it("gives mulberry32's stream", () => {
    // scripts/reference/mulberry32.py: draw = mulberry32(42); [draw() for _ in range(3)]
    const random = seededRandom(42);
    expect([random(), random(), random()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it("repeats for the same seed and stays in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(() => seededRandom(Number.NaN)).toThrow(RangeError);
  });
});

describe("poissonSampler", () => {
  // A Poisson(mean) has mean and variance both equal to mean. With 20,000 draws the sample mean's
  // standard error is sqrt(mean / 20000); the checks allow 5 of them (and 10% on the variance).
  it.each([0.5, 3, 9.9, 10, 50, 1000, 1e6])("has mean and variance %d", (mean) => {
    const draw = poissonSampler(seededRandom(123));
    const n = 20_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const k = draw(mean);
      expect(Number.isInteger(k) && k >= 0).toBe(true);
      sum += k;
      squares += k * k;
    }
    const m = sum / n;
    const v = squares / n - m * m;
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
    expect(Math.abs(v / mean - 1)).toBeLessThan(0.1);
  });

  it("matches the Poisson(20) probabilities (scipy.stats.poisson.pmf)", () => {
    const draw = poissonSampler(seededRandom(5));
    const n = 100_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = draw(20);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // scipy.stats.poisson.pmf(20, 20) = 0.08883531954648644, pmf(15, 20) = 0.05164885353175814,
    // pmf(25, 20) = 0.04458764910826764; binomial standard error sqrt(p(1-p)/n) < 0.0009
    expect(Math.abs((counts.get(20) ?? 0) / n - 0.08883531954648644)).toBeLessThan(0.0045);
    expect(Math.abs((counts.get(15) ?? 0) / n - 0.05164885353175814)).toBeLessThan(0.0035);
    expect(Math.abs((counts.get(25) ?? 0) / n - 0.04458764910826764)).toBeLessThan(0.0033);
  });

  it("gives 0 for mean 0 and throws for a negative mean", () => {
    const draw = poissonSampler(seededRandom(1));
    expect(draw(0)).toBe(0);
    expect(() => draw(-1)).toThrow(RangeError);
    expect(() => draw(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
