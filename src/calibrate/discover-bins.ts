import { binNumeric } from "../stats/binning.ts";

/**
 * The binning rules of --discover on top of ../stats/binning.ts: which minimum a band or a value
 * needs, the significance its neighbours must reach, the fine bins mapped back to the values they
 * hold, and cut points rounded for people to read.
 */

/** A value or band needs this share of the training leads that have a value, and at least MIN_LEADS. */
export const MIN_SHARE = 0.05;
export const MIN_LEADS = 30;
export const MAX_BANDS = 8;
/** Neighbouring bands must differ in conversion at this level (ChiMerge's usual 5%). */
export const MAX_P_VALUE = 0.05;

/** Leads and conversions of one cell: a fine bin, a value, a band. */
export interface Cell {
  leads: number;
  events: number;
}

/** A fine bin of a numeric column: the smallest and largest value it holds, with its counts. */
export interface FineBin extends Cell {
  lo: number;
  hi: number;
}

/**
 * **The bands of a numeric column** from its fine bins (ascending and disjoint, as DuckDB aggregated
 * them on the training leads), by ../stats/binning.ts's binNumeric with monotone "auto", at most
 * MAX_BANDS bands of MIN_SHARE of the leads with a value (and never under MIN_LEADS), neighbours
 * differing at MAX_P_VALUE. The `missing` leads are their own case (they count in the WoE totals
 * only). Each band says the smallest and the largest value it holds, for the cut points and labels.
 *
 * @example discoverBands([{ lo: 1, hi: 1, leads: 50, events: 5 }, { lo: 2, hi: 2, leads: 50, events: 20 }],
 *   { leads: 0, events: 0 }) // two bands, 1..1 and 2..2, increasing
 */
export function discoverBands(
  fine: readonly FineBin[],
  missing: Cell,
): { bands: FineBin[]; direction: "increasing" | "decreasing" | null } {
  const used = fine.filter((f) => f.leads > 0);
  const present = used.reduce((s, f) => s + f.leads, 0);
  const minShare = present > 0 ? Math.min(1, Math.max(MIN_SHARE, MIN_LEADS / present)) : MIN_SHARE;
  const binned = binNumeric(
    used.map((f) => ({ value: f.lo, leads: f.leads, events: f.events })),
    missing,
    { maxBins: MAX_BANDS, minShare, maxPValue: MAX_P_VALUE },
  );
  // A bin starts at the lower edge of its first fine bin and runs to the next bin's start.
  const bands = binned.bins.map((b) => {
    const inside = used.filter((f) => (b.min === null || f.lo >= b.min) && (b.max === null || f.lo < b.max));
    return {
      lo: (inside[0] as FineBin).lo,
      hi: (inside[inside.length - 1] as FineBin).hi,
      leads: b.leads,
      events: b.events,
    };
  });
  return { bands, direction: binned.trend === "none" ? null : binned.trend };
}

/**
 * The roundest number x with a < x <= b: a cut between the largest value of one band (a) and the
 * smallest of the next (b) that people can read (203 and 187 give 200). Tries 1, 2 and 5 times each
 * power of ten, largest first.
 *
 * @example niceCut(187, 203) // 200
 */
export function niceCut(a: number, b: number): number {
  if (!(a < b)) throw new RangeError(`niceCut: expected a < b, got ${a} and ${b}`);
  const top = Math.ceil(Math.log10(Math.max(Math.abs(a), Math.abs(b), 1e-12))) + 1;
  for (let k = top; k > top - 16; k--) {
    for (const m of [5, 2, 1]) {
      const step = m * 10 ** (k - 1);
      const x = Number((Math.floor(b / step) * step).toPrecision(12));
      if (x > a && x <= b) return x;
    }
  }
  return b;
}
