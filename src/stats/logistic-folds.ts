/**
 * Seeded draws for cross-validation: stratified fold labels and a stratified subsample. Pure
 * functions of (labels, seed), drawn with mulberry32 (./random.ts): the same seed gives the same folds
 * on every machine.
 */
import { seededRandom } from "./random.ts";

/** The row indices of each class among the rows kept by the mask, each shuffled (Fisher-Yates). */
function shuffledByClass(
  labels: Uint8Array,
  mask: Uint8Array | undefined,
  random: () => number,
): Int32Array[] {
  let events = 0;
  let kept = 0;
  for (let i = 0; i < labels.length; i++)
    if (!mask || mask[i]) {
      kept++;
      if (labels[i]) events++;
    }
  const nonEvents = new Int32Array(kept - events);
  const eventRows = new Int32Array(events);
  for (let i = 0, e = 0, ne = 0; i < labels.length; i++)
    if (!mask || mask[i]) {
      if (labels[i]) eventRows[e++] = i;
      else nonEvents[ne++] = i;
    }
  const out = [nonEvents, eventRows];
  for (const idx of out)
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = t;
    }
  return out;
}

/**
 * Stratified k-fold labels: within each class the rows are shuffled and dealt round-robin, so every
 * fold gets its share of events and of non-events to within one row. Rows outside the mask get 255.
 * Cost O(rows). Throws a RangeError unless 2 <= folds <= 254.
 */
export function stratifiedFolds(
  labels: Uint8Array,
  folds: number,
  seed: number,
  mask?: Uint8Array,
): Uint8Array {
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= 254))
    throw new RangeError(`folds must be an integer in [2, 254], got ${folds}`);
  const foldOf = new Uint8Array(labels.length).fill(255);
  const random = seededRandom(seed);
  let start = 0;
  for (const idx of shuffledByClass(labels, mask, random)) {
    // the second class continues the deal where the first stopped, so fold sizes stay within one row
    for (let i = 0; i < idx.length; i++) foldOf[idx[i] as number] = (start + i) % folds;
    start = (start + idx.length) % folds;
  }
  return foldOf;
}

/**
 * A stratified random subsample of about `size` of the rows kept by the mask: each class keeps its
 * share, rounded (at least one row of a class that has any). Returns the row indices in ascending order.
 * Cost O(rows).
 */
export function stratifiedSample(
  labels: Uint8Array,
  size: number,
  seed: number,
  mask?: Uint8Array,
): Int32Array {
  const byClass = shuffledByClass(labels, mask, seededRandom(seed));
  const total = byClass.reduce((s, idx) => s + idx.length, 0);
  const parts = byClass.map((idx) =>
    idx.length === 0 ? idx : idx.subarray(0, Math.max(1, Math.round((size * idx.length) / total))),
  );
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.sort();
}
