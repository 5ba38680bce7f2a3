/**
 * Scoring definitions: the format (./schema.ts, documented in ./FORMAT.md), loading and validation,
 * the plain-language contract, checks against the data, set-based scoring in DuckDB and the CSV
 * export.
 */
export { type AsOfChoice, latestMoment, parseAsOf } from "./as-of.ts";
export { type CriterionCoverage, checkAgainstData, type DataCheck, type Finding } from "./check.ts";
export { SCORE_CHECKS } from "./checks.ts";
export { contractFor } from "./contract.ts";
export { formatContract } from "./contract-text.ts";
export type { Contract, ContractItem, ContractSection } from "./contract-types.ts";
export { decayFactor } from "./decay.ts";
export { explainDefinition } from "./explain.ts";
export { type ExportOptions, type ExportResult, exportScores } from "./export.ts";
export { formatCheck } from "./format-check.ts";
export {
  DEFAULT_DEFINITION,
  type DefinitionProblem,
  formatProblem,
  formatProblems,
  type LoadedDefinition,
  loadDefinitionFile,
  parseDefinition,
  validateDefinition,
} from "./load-definition.ts";
export { pointRanges } from "./point-ranges.ts";
export { preflight } from "./preflight.ts";
export type { Definition, DefinitionInput } from "./schema.ts";
export { definitionSchema } from "./schema.ts";
export { type ScoreOptions, type ScoreResult, scoreLeads } from "./score.ts";
export {
  type AsOfScope,
  buildScoreQuery,
  SCORE_COLUMNS,
  type ScoreQuery,
  type ScoreQueryOptions,
} from "./score-query.ts";
