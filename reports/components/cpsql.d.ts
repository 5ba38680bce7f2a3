// Types of cpsql.js, for the tests that import it (the page itself is plain JavaScript).

import type { CostMonthRow } from "../../src/report/cost-per-sql.ts";

/** A loader month row: one month and channel ("unallocated" holds the cost booked to no channel). */
export type MonthRow = CostMonthRow;

export type Totals = Record<(typeof FIELDS)[number], number>;
export interface Recorded {
  mql: boolean;
  sql: boolean;
  won: boolean;
}

export const FIELDS: readonly [
  "marketing_cost",
  "sales_cost",
  "unallocated_share",
  "leads",
  "mqls",
  "sqls",
  "won",
];

export function directCost(t: { marketing_cost: number; sales_cost: number }): number;
export function costOf(
  t: { marketing_cost: number; sales_cost: number; unallocated_share: number },
  channel: string | null,
): number;
export function known<V>(v: V, recorded: boolean): V | null;
export function unitCosts(
  cost: number | null,
  t: { leads: number; mqls: number; sqls: number; won: number },
  recorded: { mql: boolean; won: boolean },
): { lead: number | null; mql: number | null; sql: number | null; won: number | null };

export interface Selection<R extends MonthRow = MonthRow> {
  inPeriod: R[];
  selected: R[];
  monthsWithCost: Set<string>;
  costed: R[];
  allCosted: R[];
  totals: Totals;
  cost: number;
  unallocatedCost: number;
}
export function selectCosts<R extends MonthRow>(
  months: readonly R[],
  o: { period: { from: string; to: string } | undefined | null; channel?: string | null },
): Selection<R>;

export interface MonthlyRow {
  month: string;
  quarter: string;
  marketing_cost: number | null;
  sales_cost: number | null;
  unallocated_share: number | null;
  cost: number | null;
  leads: number;
  mqls: number | null;
  sqls: number | null;
  won: number | null;
  cpsql: number | null;
  direct_cpsql: number | null;
  to_date: boolean;
}
export function monthlyRows(
  sel: Selection,
  o: { channel?: string | null; recorded: Recorded; asOfMonth: string | undefined },
): MonthlyRow[];
export function monthlyLines(
  monthly: readonly MonthlyRow[],
  channel?: string | null,
): { month: string; series: string; value: number; sqls: number | null; cost: number | null }[];

export interface QuarterCost {
  quarter: string;
  cpsql: number;
}
export interface Trend {
  last: QuarterCost | null;
  prev: QuarterCost | null;
  change: number | null;
}
export function quarterTrend(
  sel: Selection,
  o: { channel?: string | null; asOfQuarter?: string | null },
): Trend;
export function trendSentence(o: {
  channel?: string | null;
  periodText: string;
  cost: number;
  sqls: number;
  trend: Trend;
  currency: string;
}): string;

export interface QuarterRow {
  quarter: string;
  label: string;
  cost: number | null;
  sqls: number | null;
  cpsql: number | null;
  months: number;
  cost_per_lead: number | null;
  cost_per_mql: number | null;
  cost_per_won: number | null;
  leads: number;
  mqls: number | null;
  won: number | null;
}
export function quarterRows(
  sel: Selection,
  o: { channel?: string | null; recorded: Recorded; asOfQuarter?: string | null },
): QuarterRow[];

export interface ChannelRow {
  channel: string;
  direct_cost: number;
  unallocated_share: number | null;
  loaded_cost: number | null;
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
  direct_cpsql: number | null;
  loaded_cpsql: number | null;
  cost_per_lead: number | null;
  cost_per_mql: number | null;
  cost_per_won: number | null;
}
export function channelRows(sel: Selection, o: { recorded: Recorded }): ChannelRow[];
export function channelTable(
  rows: readonly ChannelRow[],
  sel: Selection,
  o: { recorded: Recorded },
): ChannelRow[];
export function channelBars(rows: readonly ChannelRow[]): {
  channel: string;
  part: string;
  partOrder: number;
  value: number;
  loaded: number;
  direct: number;
  sqls: number;
}[];

export const MIN_RANKED_SQLS: number;
export function channelRanking(rows: readonly ChannelRow[]): { ranked: ChannelRow[]; noCost: string[] };
export function rankingSentence(
  r: { ranked: readonly ChannelRow[]; noCost: readonly string[] },
  currency: string,
): string;
