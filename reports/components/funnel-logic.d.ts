// Types of funnel-logic.js, for the tests that import it (the page itself is plain JavaScript).

export const FIELDS: readonly ["leads", "mql", "sql", "opportunity", "won", "lost"];
export type Totals = Record<(typeof FIELDS)[number], number>;

/** A loader cohort row: the leads of a cohort quarter (and channel, segment) reaching each stage. */
export type CohortRow = { quarter: string } & Partial<Totals>;

export function field(stage: string): string;

export interface CohortTotals<R extends CohortRow = CohortRow> {
  complete: Totals;
  maturing: Totals;
  useComplete: boolean;
  base: Totals;
  basis: R[];
  maturingQuarters: string[];
}
export function cohortTotals<R extends CohortRow>(
  rows: readonly R[],
  mature: ReadonlySet<string>,
): CohortTotals<R>;

export function stageRows(
  stages: readonly string[],
  totals: Pick<CohortTotals, "complete" | "maturing" | "base">,
): { stage: string; order: number; complete: number; maturing: number; total: number; rate: number | null }[];

export interface Step {
  from: string;
  to: string;
  rate: number;
}
export function stepRates(stages: readonly string[], base: Totals): Step[];
export function weakestStep(steps: readonly Step[]): Step | null;
export function endToEnd(stages: readonly string[], base: Totals): number | null;

/** A groupSum row: the group's key and its summed counts. */
export type Group = { key: unknown; [field: string]: unknown };

export function cohortRange(
  byCohort: readonly Group[],
  mature: ReadonlySet<unknown>,
  last: string,
): { lo: { q: unknown; rate: number }; hi: { q: unknown; rate: number } } | null;
export function cohortOutcome(
  c: Record<string, number>,
  last: string,
  isMature: boolean,
): { open: number | null; conversion: number | null };

export interface Rate {
  group: unknown;
  rate: number;
  reached: number;
  leads: number;
}
export function conversionRates(groups: readonly Group[], target: string): Rate[];
export const MIN_GROUP: number;
export function bestWorst(rates: readonly Rate[], what: string): string;
export function slowestStep<M extends { value: number }>(measured: readonly M[]): M | null;
