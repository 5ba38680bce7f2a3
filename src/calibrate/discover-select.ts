import type { OnProgress } from "../progress.ts";
import { informationValue } from "../stats/binning.ts";
import { auc } from "../stats/index.ts";
import { chooseL2, type Design, fitLogistic, predictLogit } from "../stats/logistic.ts";
import { pickRows, pickValues } from "../stats/logistic-design.ts";
import { stratifiedFolds, stratifiedSample } from "../stats/logistic-folds.ts";
import type { Candidate } from "./discover.ts";
import { discoverBands, type FineBin } from "./discover-bins.ts";
import type { FeatureSet } from "./features.ts";
import { columnCounts, trainMask } from "./fit.ts";
import { leakReason, type NamedCell } from "./leak-guard.ts";
import type { DiscoveredRow, LeftOut } from "./report.ts";

/**
 * --discover, second half: which candidates the draft keeps. On the training window of the design
 * scored with every candidate (at zero points), each candidate gets its information value and its
 * out-of-fold AUC alone; the leak guard takes out those that predict too well; then forward
 * selection in information-value order adds a candidate when the k-fold cross-validated log loss of
 * the champion's criteria plus those kept so far falls by more than MARGIN (relative). The folds are
 * fixed by the seed, the penalty is the one cross-validation chooses for the champion's criteria.
 */

/** A candidate is kept when it lowers the cross-validated log loss by more than this share. */
export const MARGIN = 0.001;
const FOLDS = 5;
/** Cross-validation runs on a seeded stratified sample of at most this many training leads. */
const MAX_ROWS = 200_000;

export interface Selection {
  kept: Candidate[];
  discovered: DiscoveredRow[];
  leftOut: LeftOut[];
  notes: string[];
}

interface Piece {
  categorical?: Int32Array;
  numeric?: { column: number; values: Float64Array };
}

export function selectCandidates(
  fs: FeatureSet,
  candidates: readonly Candidate[],
  opts: { seed: number; onProgress?: OnProgress },
): Selection {
  const step: OnProgress = opts.onProgress ?? (() => {});
  const byName = new Map(candidates.map((c) => [c.criterion.name, c]));
  const train = trainMask(fs);
  const counts = columnCounts(fs, train);
  // The design of each term, and the training rows (sampled when many) in compact form.
  const pieces = new Map<string, Piece>();
  let b = 0;
  let m = 0;
  for (const t of fs.terms) {
    if (t.kind === "column") pieces.set(t.name, { categorical: fs.design.categorical[b++] as Int32Array });
    else pieces.set(t.name, { numeric: fs.design.numeric[m++] as Piece["numeric"] });
  }
  let trainRows = 0;
  for (let i = 0; i < fs.rows; i++) trainRows += train[i] as number;
  const rows = trainRows > MAX_ROWS ? stratifiedSample(fs.labels, MAX_ROWS, opts.seed, train) : rowsOf(train);
  const labels = pickValues(fs.labels, rows);
  const fold = stratifiedFolds(labels, FOLDS, opts.seed);
  const designOf = (names: readonly string[]): Design => {
    const d: Design = { rows: fs.rows, columns: fs.design.columns, categorical: [], numeric: [] };
    for (const n of names) {
      const p = pieces.get(n) as Piece;
      if (p.categorical) d.categorical.push(p.categorical);
      if (p.numeric) d.numeric.push(p.numeric);
    }
    return pickRows(d, rows);
  };
  const base = fs.terms.filter((t) => !byName.has(t.name)).map((t) => t.name);
  const l2 =
    base.length > 0
      ? chooseL2(designOf(base), labels, { folds: FOLDS, seed: opts.seed }).best
      : labels.length * 1e-4;
  const outOfFold = (names: readonly string[]): Float64Array => {
    const d = designOf(names);
    const eta = new Float64Array(d.rows);
    const mask = new Uint8Array(d.rows);
    const out = new Float64Array(d.rows);
    for (let f = 0; f < FOLDS; f++) {
      for (let i = 0; i < d.rows; i++) mask[i] = fold[i] === f ? 0 : 1;
      const fit = fitLogistic(d, labels, { l2, rowMask: mask });
      predictLogit(d, fit, eta);
      for (let i = 0; i < d.rows; i++) if (fold[i] === f) out[i] = eta[i] as number;
    }
    return out;
  };
  const cvLoss = (names: readonly string[]) => meanLogLoss(outOfFold(names), labels);

  // Information value, AUC alone and the leak guard, per candidate.
  const notes: string[] = [];
  const rowsInfo = candidates.map((c, i) => {
    step("each candidate alone, cross-validated", i, candidates.length);
    const t = fs.terms.find((x) => x.name === c.criterion.name);
    if (!t) throw new Error(`discover: no term for candidate ${c.criterion.name}`);
    let cases: NamedCell[];
    if (t.kind === "column") {
      cases = t.cases.map((label, k) => ({
        label,
        leads: counts.leads[t.first + k] as number,
        events: (counts.events[t.first + k] as number) || 0,
      }));
    } else {
      cases = activityCases((pieces.get(t.name) as Piece).numeric?.values as Float64Array, fs.labels, train);
    }
    const eta = outOfFold([t.name]);
    const single = bothClasses(labels) ? auc(eta, labels) : null;
    const leak = leakReason(single, cases);
    return { c, cases, iv: informationValue(cases), single, leak };
  });

  const discovered: DiscoveredRow[] = [];
  const leftOut: LeftOut[] = [];
  const eligible: typeof rowsInfo = [];
  for (const r of rowsInfo) {
    const suspicion = r.leak ?? r.c.lateFill;
    if (suspicion && !r.c.included) {
      leftOut.push({ name: r.c.source, reason: suspicion });
      discovered.push(row(r, "left out", `${suspicion}; name it with --include to let it in`));
    } else eligible.push(r);
  }
  eligible.sort((a, b) => b.iv - a.iv || (a.c.source < b.c.source ? -1 : 1));
  const current = [...base];
  let loss = cvLoss(current);
  const kept: Candidate[] = [];
  for (const [i, r] of eligible.entries()) {
    step("forward selection, cross-validated", i, eligible.length);
    const next = cvLoss([...current, r.c.criterion.name]);
    const forced = r.c.included && (r.leak ?? r.c.lateFill);
    const change = `cross-validated log loss ${loss.toFixed(4)} -> ${next.toFixed(4)}`;
    const remarks = [...(forced ? [`let in by --include despite: ${forced}`] : []), ...r.c.remarks];
    if (next < loss * (1 - MARGIN)) {
      discovered.push(
        row(r, "kept", [`${change} (${pct((loss - next) / loss)} better)`, ...remarks].join("; ")),
      );
      current.push(r.c.criterion.name);
      kept.push(r.c);
      loss = next;
    } else {
      discovered.push(
        row(r, "not kept", [`${change}: not better by more than ${pct(MARGIN)}`, ...remarks].join("; ")),
      );
    }
  }
  notes.push(
    `--discover: ${candidates.length} candidates ranked by information value on the training leads; each added in turn if it lowered the ${FOLDS}-fold cross-validated log loss by more than ${pct(MARGIN)} (folds fixed by the seed${trainRows > MAX_ROWS ? `, on a stratified sample of ${MAX_ROWS} training leads` : ""}); ${kept.length} kept`,
  );
  const order = new Map(candidates.map((c, i) => [c.criterion.name, i]));
  return {
    kept: kept.sort((a, b) => (order.get(a.criterion.name) ?? 0) - (order.get(b.criterion.name) ?? 0)),
    discovered,
    leftOut,
    notes,
  };
}

function row(
  r: { c: Candidate; iv: number; single: number | null },
  decision: DiscoveredRow["decision"],
  reason: string,
): DiscoveredRow {
  return {
    name: r.c.source,
    kind: r.c.kind,
    informationValue: round(r.iv, 4),
    singleAuc: r.single === null ? null : round(r.single, 4),
    bands: r.c.bands,
    decision,
    reason,
  };
}

/**
 * The training leads of an activity candidate in bands of its decayed count: none, then the bands of
 * the leads with one (./discover-bins.ts, "none" standing where a column's missing case would).
 */
function activityCases(values: Float64Array, labels: Uint8Array, train: Uint8Array): NamedCell[] {
  const none = { label: "no event", leads: 0, events: 0 };
  const positives: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!train[i]) continue;
    const v = values[i] as number;
    if (v > 0) positives.push(i);
    else {
      none.leads++;
      none.events += labels[i] as number;
    }
  }
  if (!positives.length) return [none];
  const sorted = Float64Array.from(positives, (i) => values[i] as number).sort();
  const edges = [
    ...new Set(
      Array.from({ length: 19 }, (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / 20)] as number),
    ),
  ];
  const fine: FineBin[] = [...edges, Number.POSITIVE_INFINITY].map(() => ({
    lo: Number.POSITIVE_INFINITY,
    hi: Number.NEGATIVE_INFINITY,
    leads: 0,
    events: 0,
  }));
  for (const i of positives) {
    const v = values[i] as number;
    let k = 0;
    while (k < edges.length && (edges[k] as number) <= v) k++;
    const f = fine[k] as FineBin;
    f.lo = Math.min(f.lo, v);
    f.hi = Math.max(f.hi, v);
    f.leads++;
    f.events += labels[i] as number;
  }
  const { bands } = discoverBands(fine, none);
  return [
    none,
    ...bands.map((band) => ({
      label: `${band.lo.toFixed(1)} to ${band.hi.toFixed(1)} decayed events`,
      leads: band.leads,
      events: band.events,
    })),
  ];
}

function rowsOf(mask: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] as number;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = i;
  return out;
}

function bothClasses(labels: Uint8Array): boolean {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += labels[i] as number;
  return s > 0 && s < labels.length;
}

/** Mean log loss of logits `eta` (ln(1 + e^eta) - y eta, without overflow). */
function meanLogLoss(eta: Float64Array, labels: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i] as number;
    sum += (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - (labels[i] as number) * e;
  }
  return sum / eta.length;
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
