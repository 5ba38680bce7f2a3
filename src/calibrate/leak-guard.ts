import type { Cell } from "./discover-bins.ts";

/**
 * The leak guard of --discover: a candidate that predicts the outcome too well, or whose values
 * arrive later in a lead's life than the scoring moment, was probably filled in because of the
 * outcome (a rep's "closed" tag, a lost reason, a deal amount) and would score every past lead
 * perfectly and every new lead not at all. Such a candidate is left out unless named with --include.
 *
 * Lead columns carry no history (an export holds each lead's value as of the export), so whether a
 * value was known at the scoring moment cannot be checked directly; these rules catch the patterns
 * that show in the data and no more.
 */

/** Out-of-fold AUC of the candidate alone above which it is taken for a leak. */
export const LEAK_AUC = 0.95;
/** A case with at least this many training leads ... */
export const LEAK_CASE_LEADS = 30;
/** ... converting at least this often is taken for a leak. */
export const LEAK_CASE_RATE = 0.98;

export interface NamedCell extends Cell {
  label: string;
}

/** Why the candidate looks like the outcome itself, or null. */
export function leakReason(singleAuc: number | null, cases: readonly NamedCell[]): string | null {
  if (singleAuc !== null && singleAuc > LEAK_AUC)
    return `leak guard: alone it separates converters almost perfectly (out-of-fold AUC ${singleAuc.toFixed(3)} > ${LEAK_AUC}): probably filled in after the outcome`;
  const sure = cases.find((c) => c.leads >= LEAK_CASE_LEADS && c.events / c.leads >= LEAK_CASE_RATE);
  if (sure)
    return `leak guard: ${sure.events} of the ${sure.leads} training leads with "${sure.label}" converted (${pct(sure.events / sure.leads)}, at least ${pct(LEAK_CASE_RATE)} of at least ${LEAK_CASE_LEADS}): probably filled in after the outcome`;
  return null;
}

/** How often a column has a value: among training leads, leads with an open outcome window, and by outcome. */
export interface FillRates {
  train: Cell & { filled: number };
  /** Leads scored recently whose outcome is not known yet (null when there are none). */
  open: { leads: number; filled: number } | null;
  /** The first scoring moment (YYYY-MM-DD) of a training lead with a value, and how many training leads were scored before it. */
  firstFilled: string | null;
  trainingBefore: number;
}

/** Fewest leads with an open outcome window to compare fill rates. */
export const MIN_OPEN_LEADS = 100;

/**
 * Why the column's values seem to arrive after the scoring moment, or null. A value entered when a
 * lead is created is as often present for a lead scored last week as for one scored a year ago; a
 * value entered later in a lead's life (after a sales call, at the close) is present mostly for the
 * older leads, whose outcome is known. So: the training leads have a value at least twice as often,
 * and at least 20 points more often, than the leads whose outcome window is still open.
 */
export function lateFillReason(f: FillRates): string | null {
  if (!f.open || f.open.leads < MIN_OPEN_LEADS || f.train.leads === 0) return null;
  const train = f.train.filled / f.train.leads;
  const open = f.open.filled / f.open.leads;
  if (train >= 2 * open && train - open >= 0.2)
    return `changed after the scoring moment: filled for ${pct(train)} of the training leads but only ${pct(open)} of the ${f.open.leads} recent leads whose outcome is not known yet: probably entered later in a lead's life`;
  return null;
}

/** A remark (not a reason to leave it out) when the column is empty for every lead scored before some date. */
export function startedLateNote(f: FillRates): string | null {
  if (!f.firstFilled || f.train.leads === 0 || f.trainingBefore < 0.1 * f.train.leads) return null;
  return `empty for every lead scored before ${f.firstFilled} (${f.trainingBefore} training leads): recorded only since then, so its missing case mixes older leads with unknown values`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
