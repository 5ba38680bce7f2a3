/**
 * **Wilson score interval** for a binomial proportion (Wilson, "Probable inference, the law of
 * succession, and statistical inference", JASA 22, 1927): the proportions p whose score test
 * |s - n p| / sqrt(n p (1 - p)) <= z does not reject,
 *
 *   (s + z^2/2 +- z sqrt(s (n - s) / n + z^2 / 4)) / (n + z^2)
 *
 * Unlike the normal (Wald) interval it stays inside [0, 1] and is not empty at 0 or n successes,
 * which matters for small bins of leads. z defaults to the 97.5% normal quantile
 * (scipy.stats.norm.ppf(0.975) = 1.959963984540054), a 95% interval.
 *
 * n = 0 gives { low: 0, high: 1 }: with no leads every rate is possible; never NaN. Successes may
 * be fractional (expected counts). Cost O(1). Throws a RangeError unless 0 <= successes <= n, both
 * finite, and z > 0.
 *
 * @example wilson(3, 10) // { low: 0.10779126740630104, high: 0.6032218525388546 }
 */
export function wilson(successes: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  if (!(n >= 0) || !Number.isFinite(n))
    throw new RangeError(`wilson: n must be a finite number >= 0, got ${n}`);
  if (!(successes >= 0 && successes <= n))
    throw new RangeError(`wilson: successes must be between 0 and n = ${n}, got ${successes}`);
  if (!(z > 0) || !Number.isFinite(z))
    throw new RangeError(`wilson: z must be a finite number > 0, got ${z}`);
  if (n === 0) return { low: 0, high: 1 };
  const z2 = z * z;
  const centre = (successes + z2 / 2) / (n + z2);
  const half = (z * Math.sqrt((successes * (n - successes)) / n + z2 / 4)) / (n + z2);
  // Exactly 0 and 1 at s = 0 and s = n (rounding could leave 1e-17 either side).
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
