import type { FitResult } from "../stats/logistic.ts";
import type { Term } from "./features.ts";

/**
 * Turns fitted log-odds coefficients into the integer points people read, by the scorecard
 * convention: `points_to_double_odds` (PDO) points double the odds, so one unit of log-odds is worth
 * PDO / ln 2 points. Within a criterion (or a group of alternative criteria) only differences
 * matter, so each is shifted to give its most common case 0 points (the others read as what they
 * add to or take from a typical lead); the shifts and the intercept go into
 * `base_score`, the score at which the odds are `base_odds`. Then
 *   log-odds = ln(base_odds) + (score - base_score) * ln 2 / PDO
 * holds exactly before rounding, and each point is rounded to a whole number (engagement points per
 * event to a tenth: they are summed over events, decayed and rounded again by the scorer).
 */
export interface Scaling {
  base_score: number;
  base_odds: number;
  points_to_double_odds: number;
}

export interface TermPoints {
  term: Term;
  /** Column terms: points per case (missing, rules..., other); others: one value. */
  points: number[];
  /** Engagement: the new cap in points (the cap in events kept), or null for none. */
  cap?: number | null;
  /** Per case: why the value needs a second look, if it does. A case no training lead had gets the
   * criterion's lead-weighted average (its row shows 0 leads). */
  flags: (string | undefined)[];
}

export interface ScaledModel {
  scaling: Scaling;
  terms: TermPoints[];
}

export function scaleModel(
  terms: Term[],
  fit: FitResult,
  leads: Float64Array,
  opts: { pdo: number; baseOdds: number },
): ScaledModel {
  const factor = opts.pdo / Math.LN2;
  const coef = (c: number) => fit.coef[c] as number;
  // Groups of alternative criteria share one shift: a lead is in exactly one of them.
  const groups = new Map<string, Extract<Term, { kind: "column" }>[]>();
  for (const t of terms) {
    if (t.kind !== "column") continue;
    const key = t.criterion.group ?? `\u0000${t.name}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  let shiftTotal = 0;
  const out: TermPoints[] = [];
  const shiftOf = new Map<string, { shift: number; mean: number }>();
  for (const members of groups.values()) {
    // The most common case of the group scores 0; the others add or subtract from it.
    let mode = -1;
    let modeLeads = -1;
    let wsum = 0;
    let wb = 0;
    for (const t of members) {
      for (let k = 0; k < t.cases.length; k++) {
        const c = t.first + k;
        const n = leads[c] as number;
        if (n > modeLeads) {
          modeLeads = n;
          mode = c;
        }
        wsum += n;
        wb += n * coef(c);
      }
    }
    const shift = mode >= 0 && modeLeads > 0 ? coef(mode) : 0;
    const mean = wsum > 0 ? wb / wsum : 0;
    shiftTotal += shift;
    for (const t of members) shiftOf.set(t.name, { shift, mean });
  }
  for (const t of terms) {
    if (t.kind === "column") {
      const { shift, mean } = shiftOf.get(t.name) as { shift: number; mean: number };
      const points: number[] = [];
      const flags: (string | undefined)[] = [];
      for (let k = 0; k < t.cases.length; k++) {
        const c = t.first + k;
        const seen = (leads[c] as number) > 0;
        points.push(roundHalfAway(factor * ((seen ? coef(c) : mean) - shift)));
        flags.push(undefined);
      }
      out.push({ term: t, points, flags });
    } else if (t.kind === "engagement") {
      const perEvent = Math.round(factor * coef(t.column) * 10) / 10;
      const cap =
        t.capEvents !== null && perEvent !== 0
          ? Math.round(t.capEvents * Math.abs(perEvent) * 10) / 10
          : null;
      out.push({ term: t, points: [perEvent], cap, flags: [undefined] });
    } else {
      const fitted = roundHalfAway(factor * coef(t.column));
      const flag =
        fitted > 0
          ? `the data says leads with this sign converted more (fitted +${fitted} points); kept at 0, since a negative criterion can only subtract`
          : undefined;
      out.push({ term: t, points: [Math.min(0, fitted) || 0], flags: [flag] });
    }
  }
  const baseScore = factor * (Math.log(opts.baseOdds) - fit.intercept - shiftTotal);
  return {
    scaling: {
      base_score: Math.round(baseScore * 100) / 100,
      base_odds: opts.baseOdds,
      points_to_double_odds: opts.pdo,
    },
    terms: out,
  };
}

/** Whole points, halves away from zero (as the scorer rounds). */
export function roundHalfAway(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return r === 0 ? 0 : r;
}

/**
 * The log-odds the unrounded model gives each row, and the total points the rounded one gives
 * (engagement rounded per criterion, as the scorer does; the engagement section's cap is not applied:
 * calibration removes it). Used to check what rounding costs and to carry thresholds over.
 */
export function linearScores(
  model: ScaledModel,
  fit: FitResult,
  design: { rows: number; categorical: Int32Array[]; numeric: { column: number; values: Float64Array }[] },
  terms: Term[],
): { logit: Float64Array; total: Int32Array; fitPart: Int32Array; engagementPart: Int32Array } {
  const n = design.rows;
  const logit = new Float64Array(n).fill(fit.intercept);
  const total = new Int32Array(n);
  const fitPart = new Int32Array(n);
  const engagementPart = new Int32Array(n);
  let b = 0;
  let m = 0;
  terms.forEach((t, k) => {
    const tp = model.terms[k] as TermPoints;
    if (t.kind === "column") {
      const block = design.categorical[b++] as Int32Array;
      for (let i = 0; i < n; i++) {
        const c = block[i] as number;
        if (c < 0) continue;
        logit[i] = (logit[i] as number) + (fit.coef[c] as number);
        const p = tp.points[c - t.first] as number;
        total[i] = (total[i] as number) + p;
        fitPart[i] = (fitPart[i] as number) + p;
      }
    } else {
      const { column, values } = design.numeric[m++] as { column: number; values: Float64Array };
      const per = tp.points[0] as number;
      const beta = fit.coef[column] as number;
      for (let i = 0; i < n; i++) {
        const x = values[i] as number;
        if (x === 0) continue;
        logit[i] = (logit[i] as number) + beta * x;
        let p = per * x;
        if (t.kind === "engagement" && tp.cap != null) p = Math.sign(p) * Math.min(tp.cap, Math.abs(p));
        const whole = roundHalfAway(p);
        total[i] = (total[i] as number) + whole;
        if (t.kind === "engagement") engagementPart[i] = (engagementPart[i] as number) + whole;
      }
    }
  });
  return { logit, total, fitPart, engagementPart };
}
