/** Thresholds: the sweep of every cut-off from stored scores, the recommendation under capacity, --write. */
export { formatThresholds } from "./format.ts";
export { type AtThreshold, type Recommendation, recommend, rowAt } from "./recommend.ts";
export { handoverStages, runThresholds, type ThresholdOptions, type ThresholdResult } from "./run.ts";
export type { SweepRow, WindowFacts } from "./sweep.ts";
export { writeThresholds } from "./write.ts";
