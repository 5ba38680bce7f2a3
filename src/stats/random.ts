import { gammaln } from "simple-statistics";

/**
 * A seeded uniform generator on [0, 1): **mulberry32** (Tommy Ettinger, 2017), a 32-bit state
 * generator that passes gjrand and PractRand to 2^32 outputs — plenty for bootstrap replicates,
 * and small enough to port exactly (scripts/reference/mulberry32.py gives the same stream, which is
 * how the tests share random data with Python).
 *
 * Each output is a multiple of 2^-32. Not for cryptography. Cost O(1) per draw.
 *
 * @example seededRandom(42)() // 0.6011037519201636 (scripts/reference/mulberry32.py: mulberry32(42)())
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A **Poisson sampler** driven by a uniform generator: `poissonSampler(random)(mean)` draws one
 * Poisson(mean) count.
 *
 * - mean < 10: Knuth's multiplication method (multiply uniforms until the product drops below
 *   e^-mean), about mean + 1 uniforms per draw.
 * - mean >= 10: Hörmann's transformed rejection with squeeze, PTRS (W. Hörmann, "The transformed
 *   rejection method for generating Poisson random variables", Insurance: Mathematics and Economics
 *   12, 1993), the method numpy uses; about 2 uniforms per draw whatever the mean, so a cell of a
 *   million leads costs the same as a cell of ten.
 *
 * Throws a RangeError for a negative or non-finite mean; mean 0 gives 0.
 *
 * @example poissonSampler(seededRandom(1))(0) // 0
 */
export function poissonSampler(random: () => number): (mean: number) => number {
  return (mean: number) => {
    if (!(mean >= 0) || !Number.isFinite(mean))
      throw new RangeError(`Poisson mean must be a finite number >= 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) return poissonByMultiplication(random, mean);
    return poissonByTransformedRejection(random, mean);
  };
}

function poissonByMultiplication(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random();
  while (product > limit) {
    k++;
    product *= random();
  }
  return k;
}

function poissonByTransformedRejection(random: () => number, mean: number): number {
  const sqrtMean = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * sqrtMean;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    // The squeeze accepts most draws without a logarithm.
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logMean - gammaln(k + 1))
      return k;
  }
}
