import { pairTest } from "./binning-pair-test.ts";
import { checkCounts, describeGroup, ivTerm } from "./binning-woe.ts";

export interface CountRow {
  value: number;
  leads: number;
  events: number;
}

export interface NumericBin {
  /** Lower edge, included; null for the first bin (from -infinity). */
  min: number | null;
  /** Upper edge, excluded; null for the last bin (to +infinity). */
  max: number | null;
  leads: number;
  events: number;
  rate: number;
  woe: number;
  iv: number;
}

export interface NumericBinning {
  bins: NumericBin[];
  /** The missing values' own bin; null when no lead is missing. */
  missing: { leads: number; events: number; rate: number | null; woe: number; iv: number } | null;
  /** Total information value, the missing bin included. */
  iv: number;
  /** The monotone constraint the event rates were fitted to; "none" when unconstrained or a single bin. */
  trend: "increasing" | "decreasing" | "none";
}

/** Fine pre-bins before merging (optbinning's default max_n_prebins is 20 too). */
const PRE_BINS = 20;
/** In "auto", a monotone fit is kept when it retains at least this share of the unconstrained IV. */
const KEEP_SHARE = 0.8;

interface Bin {
  start: number;
  leads: number;
  events: number;
}

/**
 * **Supervised binning of a numeric variable** from pre-aggregated counts (one row per distinct value,
 * or per fine pre-bin with value = its lower edge, ascending), for discovering criteria: bins with
 * their event rate, weight of evidence and information value (./binning-woe.ts).
 *
 * 1. Pre-bins of about equal leads, at most 20: a row goes to quantile bin
 *    floor(20 x (leads before it + half its own leads) / total), so a value never straddles two bins
 *    and cut points are values present in the data (rows with 0 leads are ignored).
 * 2. Monotone trend ("increasing"/"decreasing"): pool adjacent violators on the event rate (Barlow et
 *    al., Statistical Inference under Order Restrictions, 1972): while two neighbours are out of order,
 *    merge them. Merging neighbours of a monotone sequence keeps it monotone, so steps 3 and 4 keep it.
 * 3. Minimum share: while some bin holds under minShare of the non-missing leads, merge the smallest
 *    such bin into the neighbour whose merge loses less IV.
 * 4. At most maxBins: while there are more, merge the adjacent pair whose merge loses the least IV
 *    (a bottom-up merge like ChiMerge, Kerber 1992, with IV loss in place of the chi-square).
 * 5. Only with maxPValue: while some neighbours do not differ at that level (./binning-pair-test.ts,
 *    the Z-test of optbinning's max_pvalue with its "consecutive" policy), merge the pair with the
 *    largest p-value, as ChiMerge stops at a significance level. Off by default.
 * "auto" runs the increasing and the decreasing fits and the unconstrained one (steps 1, 3, 4, 5), keeps
 * the monotone fit with the higher IV if it retains at least 80% of the unconstrained IV, else the
 * unconstrained bins with trend "none" (a U or hump shape that monotone bins would flatten).
 * The missing leads are their own bin, outside the merging; they count in the WoE totals.
 *
 * optbinning solves this as a mixed-integer program over CART pre-bins (Navas-Palencia, "Optimal binning:
 * mathematical programming formulation", 2020) and R's scorecard::woebin splits top-down by IV gain;
 * this greedy bottom-up merge runs in O(rows + 20^3) on the aggregated counts, which is what lets the
 * caller aggregate millions of leads in DuckDB first.
 *
 * Throws a RangeError on values not strictly ascending or not finite, counts with events outside
 * [0, leads], maxBins not an integer >= 1, minShare outside [0, 1], maxPValue outside [0, 1].
 */
export function binNumeric(
  rows: CountRow[],
  missing: { leads: number; events: number },
  opts: {
    maxBins?: number;
    minShare?: number;
    monotone?: "auto" | "increasing" | "decreasing" | "none";
    /** Neighbours must differ at this level (step 5); unset, they need not. */
    maxPValue?: number;
  } = {},
): NumericBinning {
  const maxBins = opts.maxBins ?? 8;
  const minShare = opts.minShare ?? 0.05;
  const monotone = opts.monotone ?? "auto";
  if (!(Number.isInteger(maxBins) && maxBins >= 1))
    throw new RangeError(`maxBins must be an integer >= 1, got ${maxBins}`);
  if (!(minShare >= 0 && minShare <= 1)) throw new RangeError(`minShare must be in [0, 1], got ${minShare}`);
  const maxPValue = opts.maxPValue;
  if (maxPValue !== undefined && !(maxPValue >= 0 && maxPValue <= 1))
    throw new RangeError(`maxPValue must be in [0, 1], got ${maxPValue}`);
  checkCounts(missing, "missing");
  let leads = 0;
  let events = 0;
  rows.forEach((row, j) => {
    if (!Number.isFinite(row.value)) throw new RangeError(`rows[${j}]: value ${row.value} is not finite`);
    if (j > 0 && !(row.value > (rows[j - 1] as CountRow).value))
      throw new RangeError(
        `rows[${j}]: value ${row.value} does not follow ${(rows[j - 1] as CountRow).value} in ascending order`,
      );
    checkCounts(row, `rows[${j}]`);
    leads += row.leads;
    events += row.events;
  });
  const totalEvents = events + missing.events;
  const totalNonEvents = leads - events + missing.leads - missing.events;
  const loss = (a: Bin, b: Bin) => mergeLoss(a, b, totalEvents, totalNonEvents);

  const pre = preBins(rows, leads);
  const finish = (bins: Bin[]) => {
    const counted = mergeToCount(mergeSmall(bins, minShare * leads, loss), maxBins, loss);
    return maxPValue === undefined ? counted : mergeAlike(counted, maxPValue);
  };
  let chosen: Bin[];
  let trend: NumericBinning["trend"] = "none";
  if (monotone === "none") chosen = finish(pre);
  else if (monotone !== "auto") {
    chosen = finish(poolViolators(pre, monotone));
    trend = monotone;
  } else {
    const free = finish(pre);
    const inc = finish(poolViolators(pre, "increasing"));
    const dec = finish(poolViolators(pre, "decreasing"));
    const iv = (bins: Bin[]) =>
      bins.reduce((s, b) => s + ivTerm(b.events, b.leads - b.events, totalEvents, totalNonEvents), 0);
    const [best, direction] = iv(dec) > iv(inc) ? [dec, "decreasing" as const] : [inc, "increasing" as const];
    if (iv(best) >= KEEP_SHARE * iv(free)) {
      chosen = best;
      trend = direction;
    } else chosen = free;
  }
  if (chosen.length <= 1) trend = "none";

  const bins = chosen.map((b, j) => ({
    min: j === 0 ? null : b.start,
    max: j === chosen.length - 1 ? null : (chosen[j + 1] as Bin).start,
    ...describeGroup(b, totalEvents, totalNonEvents),
  }));
  const missingBin = missing.leads > 0 ? describeGroup(missing, totalEvents, totalNonEvents) : null;
  const iv = bins.reduce((s, b) => s + b.iv, 0) + (missingBin?.iv ?? 0);
  return { bins, missing: missingBin, iv, trend };
}

function preBins(rows: CountRow[], total: number): Bin[] {
  const bins: Bin[] = [];
  let before = 0;
  let current = -1;
  for (const row of rows) {
    if (row.leads === 0) continue;
    const q = Math.min(PRE_BINS - 1, Math.floor((PRE_BINS * (before + row.leads / 2)) / total));
    before += row.leads;
    const last = bins[bins.length - 1];
    if (last && q === current) {
      last.leads += row.leads;
      last.events += row.events;
    } else bins.push({ start: row.value, leads: row.leads, events: row.events });
    current = q;
  }
  return bins;
}

function merged(a: Bin, b: Bin): Bin {
  return { start: Math.min(a.start, b.start), leads: a.leads + b.leads, events: a.events + b.events };
}

/** IV lost by merging two bins: their two terms minus the merged bin's (>= 0, by convexity). */
function mergeLoss(a: Bin, b: Bin, totalEvents: number, totalNonEvents: number): number {
  const term = (g: Bin) => ivTerm(g.events, g.leads - g.events, totalEvents, totalNonEvents);
  return term(a) + term(b) - term(merged(a, b));
}

const rate = (b: Bin) => b.events / b.leads;

function poolViolators(bins: Bin[], direction: "increasing" | "decreasing"): Bin[] {
  const out: Bin[] = [];
  for (const bin of bins) {
    let top = bin;
    for (;;) {
      const prev = out[out.length - 1];
      if (!prev) break;
      const violates = direction === "increasing" ? rate(prev) > rate(top) : rate(prev) < rate(top);
      if (!violates) break;
      out.pop();
      top = merged(prev, top);
    }
    out.push(top);
  }
  return out;
}

function mergeSmall(input: Bin[], minLeads: number, loss: (a: Bin, b: Bin) => number): Bin[] {
  const bins = [...input];
  while (bins.length > 1) {
    let small = -1;
    for (let j = 0; j < bins.length; j++)
      if (
        (bins[j] as Bin).leads < minLeads &&
        (small === -1 || (bins[j] as Bin).leads < (bins[small] as Bin).leads)
      )
        small = j;
    if (small === -1) break;
    const left = small > 0 ? loss(bins[small - 1] as Bin, bins[small] as Bin) : Infinity;
    const right = small < bins.length - 1 ? loss(bins[small] as Bin, bins[small + 1] as Bin) : Infinity;
    const at = left <= right ? small - 1 : small;
    bins.splice(at, 2, merged(bins[at] as Bin, bins[at + 1] as Bin));
  }
  return bins;
}

function mergeToCount(input: Bin[], maxBins: number, loss: (a: Bin, b: Bin) => number): Bin[] {
  const bins = [...input];
  while (bins.length > maxBins) {
    let at = 0;
    let least = Infinity;
    for (let j = 0; j + 1 < bins.length; j++) {
      const l = loss(bins[j] as Bin, bins[j + 1] as Bin);
      if (l < least) {
        least = l;
        at = j;
      }
    }
    bins.splice(at, 2, merged(bins[at] as Bin, bins[at + 1] as Bin));
  }
  return bins;
}

/** Merges the neighbours least distinguishable (largest p-value) while that p-value is above maxPValue. */
function mergeAlike(input: Bin[], maxPValue: number): Bin[] {
  const bins = [...input];
  while (bins.length > 1) {
    let at = 0;
    let largest = -1;
    for (let j = 0; j + 1 < bins.length; j++) {
      const { p } = pairTest(bins[j] as Bin, bins[j + 1] as Bin);
      if (p > largest) {
        largest = p;
        at = j;
      }
    }
    if (largest <= maxPValue) break;
    bins.splice(at, 2, merged(bins[at] as Bin, bins[at + 1] as Bin));
  }
  return bins;
}
