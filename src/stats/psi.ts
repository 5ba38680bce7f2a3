/**
 * **Population stability index** between an expected (training) and an actual (recent)
 * distribution over the same bins: PSI = sum_b (a_b - e_b) ln(a_b / e_b) on shares, i.e. the
 * symmetrised Kullback-Leibler divergence KL(a||e) + KL(e||a) (Yurdakul & Naranjo, "Statistical
 * properties of the population stability index", Journal of Risk Model Validation 14, 2020). Counts
 * or shares may be given: each vector is divided by its sum. An empty share is floored at eps
 * (1e-4 by default) so an empty bin costs a large but finite amount instead of infinity.
 * See psiBands for the usual reading.
 *
 * Cost O(bins). Throws a RangeError when the vectors are empty or of different lengths, an entry is
 * negative or not finite, a vector sums to 0, or eps is not in (0, 1).
 *
 * @example psi([50, 50], [40, 60]) // 0.04054651081081645 = 0.1 ln 1.5 (worked by hand)
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, eps = 1e-4): number {
  if (expected.length !== actual.length)
    throw new RangeError(`psi: ${expected.length} expected bins but ${actual.length} actual bins`);
  if (expected.length === 0) throw new RangeError("psi: no bins (the arrays are empty)");
  if (!(eps > 0 && eps < 1)) throw new RangeError(`psi: eps must be in (0, 1), got ${eps}`);
  const expectedTotal = total("expected", expected);
  const actualTotal = total("actual", actual);
  let sum = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max((expected[b] as number) / expectedTotal, eps);
    const a = Math.max((actual[b] as number) / actualTotal, eps);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

function total(name: string, values: ArrayLike<number>): number {
  let sum = 0;
  for (let b = 0; b < values.length; b++) {
    const v = values[b] as number;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new RangeError(`psi: ${name} bin ${b} is ${v}; counts and shares must be finite and >= 0`);
    sum += v;
  }
  if (sum === 0) throw new RangeError(`psi: the ${name} counts sum to 0`);
  return sum;
}
