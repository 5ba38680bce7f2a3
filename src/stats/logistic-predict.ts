import type { Design } from "./logistic-design.ts";

/**
 * The linear predictor (log-odds) of every row of a design: intercept + the coefficient of each
 * block's active column + sum of coefficient x value over the numeric columns. A row with no active
 * level in a block (-1) gets nothing from that block. Apply the logistic function 1 / (1 + e^-x) for
 * a probability.
 *
 * Cost O(rows x (blocks + numerics)), column by column so each pass streams one typed array. Writes
 * into `out` when given (it must have `rows` entries) and returns it. Throws a RangeError when `out`
 * or `coef` is too short.
 *
 * @example predictLogit({ rows: 2, columns: 2, categorical: [Int32Array.of(0, 1)], numeric: [] },
 *   { intercept: -1, coef: [0.5, 2] }) // Float64Array [-0.5, 1]
 */
export function predictLogit(
  design: Design,
  fit: { intercept: number; coef: ArrayLike<number> },
  out?: Float64Array,
): Float64Array {
  const n = design.rows;
  if (fit.coef.length < design.columns)
    throw new RangeError(`coef has ${fit.coef.length} entries, the design has ${design.columns} columns`);
  if (out && out.length !== n) throw new RangeError(`out has ${out.length} entries, expected ${n}`);
  const eta = out ?? new Float64Array(n);
  eta.fill(fit.intercept);
  // shifted so that -1 (no active level) reads a 0 without a branch
  const shifted = new Float64Array(design.columns + 1);
  for (let c = 0; c < design.columns; c++) shifted[c + 1] = fit.coef[c] as number;
  for (const block of design.categorical) {
    for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + (shifted[(block[i] as number) + 1] as number);
  }
  for (const { column, values } of design.numeric) {
    const b = fit.coef[column] as number;
    if (b === 0) continue;
    for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + b * (values[i] as number);
  }
  return eta;
}
