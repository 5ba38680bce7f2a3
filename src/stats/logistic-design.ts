/**
 * A scorecard design matrix kept sparse: per categorical criterion (a block) each row has at most one
 * active level, a 1 in one column; numeric columns (decayed engagement counts) have a value per row.
 * The dense n x p matrix is never built: a row is its block columns plus its numeric values.
 */
export interface Design {
  rows: number;
  /** Total number of coefficients, excluding the intercept. */
  columns: number;
  /** One Int32Array of length `rows` per categorical block: the global column index active for that row, or -1 for none. */
  categorical: Int32Array[];
  /** Numeric columns: the global column index and one value per row. */
  numeric: { column: number; values: Float64Array }[];
}

/**
 * Checks that a design is well formed: every block and numeric array has `rows` entries, every column
 * index is in [0, columns) (-1 allowed in blocks), every numeric value is finite. Cost O(rows x
 * (blocks + numerics)). Throws a RangeError naming the block, numeric column or row at fault.
 */
export function checkDesign(design: Design): void {
  const { rows, columns } = design;
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`design.rows must be an integer >= 0, got ${rows}`);
  if (!Number.isInteger(columns) || columns < 0)
    throw new RangeError(`design.columns must be an integer >= 0, got ${columns}`);
  design.categorical.forEach((block, k) => {
    if (block.length !== rows)
      throw new RangeError(`design.categorical[${k}] has ${block.length} entries, expected ${rows}`);
    for (let i = 0; i < rows; i++) {
      const c = block[i] as number;
      if (c < -1 || c >= columns)
        throw new RangeError(`design.categorical[${k}], row ${i}: column ${c} is outside [-1, ${columns})`);
    }
  });
  design.numeric.forEach(({ column, values }, j) => {
    if (!Number.isInteger(column) || column < 0 || column >= columns)
      throw new RangeError(`design.numeric[${j}]: column ${column} is outside [0, ${columns})`);
    if (values.length !== rows)
      throw new RangeError(`design.numeric[${j}] has ${values.length} values, expected ${rows}`);
    for (let i = 0; i < rows; i++)
      if (!Number.isFinite(values[i]))
        throw new RangeError(
          `design.numeric[${j}] (column ${column}), row ${i}: value ${values[i]} is not finite`,
        );
  });
}

/**
 * The rows of a design at the given indices, in that order, as a new design (the columns are kept).
 * Used to fit on a small subset without walking the rows left out. Cost O(picked x (blocks + numerics)).
 */
export function pickRows(design: Design, picked: Int32Array): Design {
  const m = picked.length;
  return {
    rows: m,
    columns: design.columns,
    categorical: design.categorical.map((block) => {
      const out = new Int32Array(m);
      for (let i = 0; i < m; i++) out[i] = block[picked[i] as number] as number;
      return out;
    }),
    numeric: design.numeric.map(({ column, values }) => {
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) out[i] = values[picked[i] as number] as number;
      return { column, values: out };
    }),
  };
}

/** The same labels (or mask, or weights) at the given row indices. Cost O(picked). */
export function pickValues<T extends Uint8Array | Float64Array>(values: T, picked: Int32Array): T {
  const out = new (values.constructor as { new (n: number): T })(picked.length);
  for (let i = 0; i < picked.length; i++) out[i] = values[picked[i] as number] as number;
  return out;
}
