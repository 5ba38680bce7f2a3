/**
 * Solves A x = b for a symmetric positive definite A (row-major, n x n) by the Cholesky factorisation
 * A = L L^T, then forward and back substitution (Golub & Van Loan, Matrix Computations, 4th ed.,
 * algorithm 4.2.1). A is overwritten by L in its lower triangle; b is overwritten by x.
 *
 * Cost O(n^3 / 3) flops for the factorisation, O(n^2) for the two substitutions: about 9 M flops at
 * n = 300, a millisecond.
 *
 * Returns false (leaving A and b partly overwritten) when a pivot is not positive, i.e. A is not
 * positive definite to working precision; the caller decides how to regularise and retry.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j] as number;
    for (let k = 0; k < j; k++) d -= (a[rowJ + k] as number) ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j] as number;
      for (let k = 0; k < j; k++) s -= (a[rowI + k] as number) * (a[rowJ + k] as number);
      a[rowI + j] = s / ljj;
    }
  }
  // L y = b
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[rowI + k] as number) * (b[k] as number);
    b[i] = s / (a[rowI + i] as number);
  }
  // L^T x = y
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (b[k] as number);
    b[i] = s / (a[i * n + i] as number);
  }
  return true;
}
