import { chiSquareUpperTail } from "../stats/chi-square-upper-tail.ts";

/**
 * Supervised binning for --discover, on counts aggregated in DuckDB (never one object per lead):
 * numeric columns into a few monotone bands where the data allow one, categorical values with their
 * rare values pooled into "other", and the information value that ranks the candidates.
 *
 * Pure functions: counts in, plain objects out.
 */

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

/** A band: the fine bins first..last (inclusive), with the values and counts they hold. */
export interface Band extends FineBin {
  first: number;
  last: number;
}

export interface NumericBinning {
  bands: Band[];
  /** The trend kept, or null when the data show none (the bands then follow the rates as they are). */
  direction: "increasing" | "decreasing" | null;
}

/**
 * **Information value** of a split of the leads into cells (Siddiqi, Credit Risk Scorecards, 2006,
 * ch. 6): IV = sum_c (g_c/G - b_c/B) ln((g_c/G) / (b_c/B)), g converters and b the others in cell c.
 * A cell with no converter or no other lead gets half a lead of each (a common correction, so one
 * empty cell does not make IV infinite). Rules of thumb: under 0.02 useless, 0.1 medium, 0.3 strong,
 * above 0.5 suspiciously strong. Cells with no lead are skipped. 0 when either class is empty.
 *
 * @example informationValue([{ leads: 100, events: 10 }, { leads: 100, events: 30 }]) // 0.42185 (by hand: 0.3125 x (ln 2.25 + ln 1.714))
 */
export function informationValue(cells: readonly Cell[]): number {
  const used = cells.filter((c) => c.leads > 0);
  const G = used.reduce((s, c) => s + c.events, 0);
  const B = used.reduce((s, c) => s + c.leads - c.events, 0);
  if (G === 0 || B === 0) return 0;
  let iv = 0;
  for (const c of used) {
    const empty = c.events === 0 || c.events === c.leads;
    const g = (c.events + (empty ? 0.5 : 0)) / G;
    const b = (c.leads - c.events + (empty ? 0.5 : 0)) / B;
    iv += (g - b) * Math.log(g / b);
  }
  return iv;
}

/**
 * Pearson's chi-square of the 2 x 2 table of two adjacent cells (converted or not, in one or the
 * other): ChiMerge's measure of whether they differ (Kerber, "ChiMerge: discretization of numeric
 * attributes", AAAI 1992). 0 when the cells' rates are equal or a margin is empty.
 */
export function pairChiSquare(a: Cell, b: Cell): number {
  const n = a.leads + b.leads;
  const e = a.events + b.events;
  if (n === 0 || e === 0 || e === n || a.leads === 0 || b.leads === 0) return 0;
  let chi = 0;
  for (const c of [a, b]) {
    for (const [obs, share] of [
      [c.events, e / n],
      [c.leads - c.events, (n - e) / n],
    ] as const) {
      const expected = c.leads * share;
      chi += (obs - expected) ** 2 / expected;
    }
  }
  return chi;
}

function merge(a: Band, b: Band): Band {
  return {
    first: Math.min(a.first, b.first),
    last: Math.max(a.last, b.last),
    lo: Math.min(a.lo, b.lo),
    hi: Math.max(a.hi, b.hi),
    leads: a.leads + b.leads,
    events: a.events + b.events,
  };
}

const rate = (c: Cell) => (c.leads ? c.events / c.leads : 0);

/** The lead-weighted covariance of a band's rank with its rate: its sign is the trend of the data. */
function trend(bands: Band[]): number {
  let n = 0;
  let sr = 0;
  let sp = 0;
  let srp = 0;
  bands.forEach((b, rank) => {
    n += b.leads;
    sr += b.leads * rank;
    sp += b.leads * rate(b);
    srp += b.leads * rank * rate(b);
  });
  return n ? srp / n - (sr / n) * (sp / n) : 0;
}

/** Pool-adjacent-violators on the rates, weighted by leads: the closest monotone sequence of bands. */
function poolViolators(bands: Band[], sign: 1 | -1): Band[] {
  const out: Band[] = [];
  for (const b of bands) {
    out.push(b);
    while (out.length > 1) {
      const last = out[out.length - 1] as Band;
      const prev = out[out.length - 2] as Band;
      if (sign * rate(prev) <= sign * rate(last) + 1e-12) break;
      out.splice(out.length - 2, 2, merge(prev, last));
    }
  }
  return out;
}

/** The G-test log-likelihood of the rates of `bands` (binomial, each band its own rate). */
function logLikelihood(bands: Band[]): number {
  let ll = 0;
  for (const b of bands) {
    const p = rate(b);
    if (b.events > 0) ll += b.events * Math.log(p);
    if (b.leads - b.events > 0) ll += (b.leads - b.events) * Math.log(1 - p);
  }
  return ll;
}

/**
 * **Supervised binning of a numeric column** from its fine bins (ascending, as DuckDB aggregated
 * them on the training leads; the missing values are their own case and not passed here):
 * 1. fine bins under `minLeads` leads are merged into the neighbour whose rate is closer;
 * 2. the trend: the direction of the lead-weighted covariance of rank and rate, and the closest
 *    monotone sequence by pool-adjacent-violators. It is kept when a likelihood-ratio test does not
 *    reject it against the unconstrained bins at the 5% level (the data support one); otherwise the
 *    bands follow the data (a U shape is allowed) and direction is null;
 * 3. ChiMerge: the adjacent pair that differs least (smallest 2 x 2 chi-square) is merged while there
 *    are more than `maxBands` bands or a pair does not differ at the 5% level (chi-square < 3.84).
 *    Merging adjacent bands keeps a monotone sequence monotone.
 *
 * Cost O(bins^2). Throws a RangeError when a bin has negative counts or more events than leads.
 *
 * @example binNumeric([{lo:1,hi:1,leads:50,events:5},{lo:2,hi:2,leads:50,events:20}], {minLeads: 30})
 * // two bands, increasing (10% against 40%: chi-square 12, far above 3.84)
 */
export function binNumeric(
  fine: readonly FineBin[],
  opts: { minLeads: number; maxBands?: number; criticalChiSquare?: number },
): NumericBinning {
  const maxBands = opts.maxBands ?? 8;
  const critical = opts.criticalChiSquare ?? 3.841458820694124;
  for (const f of fine)
    if (!(f.leads >= 0 && f.events >= 0 && f.events <= f.leads))
      throw new RangeError(`binNumeric: bin ${f.lo}..${f.hi} has ${f.events} events of ${f.leads} leads`);
  let bands: Band[] = fine
    .map((f, i) => ({ ...f, first: i, last: i }))
    .filter((b) => b.leads > 0)
    .sort((a, b) => a.lo - b.lo);
  // 1. no band under minLeads
  while (bands.length > 1) {
    let k = -1;
    for (let i = 0; i < bands.length; i++)
      if (
        (bands[i] as Band).leads < opts.minLeads &&
        (k < 0 || (bands[i] as Band).leads < (bands[k] as Band).leads)
      )
        k = i;
    if (k < 0) break;
    const b = bands[k] as Band;
    const left = bands[k - 1];
    const right = bands[k + 1];
    const j =
      left && right
        ? Math.abs(rate(left) - rate(b)) <= Math.abs(rate(right) - rate(b))
          ? k - 1
          : k + 1
        : left
          ? k - 1
          : k + 1;
    const lo = Math.min(j, k);
    bands.splice(lo, 2, merge(bands[lo] as Band, bands[lo + 1] as Band));
  }
  // 2. a monotone trend, when the data do not reject one
  let direction: NumericBinning["direction"] = null;
  if (bands.length > 1) {
    const sign: 1 | -1 = trend(bands) >= 0 ? 1 : -1;
    const pooled = poolViolators(bands, sign);
    const df = bands.length - pooled.length;
    const g2 = 2 * (logLikelihood(bands) - logLikelihood(pooled));
    if (df === 0 || chiSquareUpperTail(Math.max(0, g2), df) > 0.05) {
      bands = pooled;
      direction = sign === 1 ? "increasing" : "decreasing";
    }
  }
  // 3. ChiMerge
  while (bands.length > 1) {
    let k = 0;
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < bands.length; i++) {
      const chi = pairChiSquare(bands[i] as Band, bands[i + 1] as Band);
      if (chi < least) {
        least = chi;
        k = i;
      }
    }
    if (bands.length <= maxBands && least >= critical) break;
    bands.splice(k, 2, merge(bands[k] as Band, bands[k + 1] as Band));
  }
  if (bands.length < 2) direction = null;
  return { bands, direction };
}

/**
 * **Rare values pooled into "other"**: each value with at least `minLeads` training leads keeps its
 * own case (most leads first, at most `maxValues` of them); the rest are pooled, counts summed.
 */
export function groupCategories<T extends Cell & { value: string }>(
  values: readonly T[],
  opts: { minLeads: number; maxValues?: number },
): { kept: T[]; other: Cell & { values: number } } {
  const sorted = [...values].sort((a, b) => b.leads - a.leads || (a.value < b.value ? -1 : 1));
  const kept = sorted.filter((v) => v.leads >= opts.minLeads).slice(0, opts.maxValues ?? 20);
  const keptSet = new Set(kept);
  const rest = sorted.filter((v) => !keptSet.has(v));
  return {
    kept,
    other: {
      values: rest.length,
      leads: rest.reduce((s, v) => s + v.leads, 0),
      events: rest.reduce((s, v) => s + v.events, 0),
    },
  };
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
