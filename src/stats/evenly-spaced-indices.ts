/**
 * **Evenly spaced indices** 0 = i_0 < i_1 < ... < i_(k-1) = m - 1 picking k of m points, used to
 * thin a curve to about k points while keeping both ends. All m indices when m <= k.
 *
 * Cost O(k). Throws a RangeError when k < 2.
 *
 * @example evenlySpacedIndices(5, 3) // Int32Array [0, 2, 4]
 */
export function evenlySpacedIndices(m: number, k: number): Int32Array {
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`maxPoints must be an integer >= 2, got ${k}`);
  if (m <= k) return Int32Array.from({ length: m }, (_, i) => i);
  const out = new Int32Array(k);
  // With m > k the step (m - 1) / (k - 1) exceeds 1, so rounding keeps the indices strictly rising.
  for (let j = 0; j < k; j++) out[j] = Math.round((j * (m - 1)) / (k - 1));
  return out;
}
