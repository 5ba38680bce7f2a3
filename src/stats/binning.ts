/**
 * Supervised binning and information value, on counts the caller aggregated in DuckDB: numeric bins,
 * categorical groups, weight of evidence, information value and the test between neighbouring bins.
 */
export { groupCategories } from "./binning-categories.ts";
export type { CountRow, NumericBin, NumericBinning } from "./binning-numeric.ts";
export { binNumeric } from "./binning-numeric.ts";
export { pairTest } from "./binning-pair-test.ts";
export { informationValue, ivTerm, woe } from "./binning-woe.ts";
