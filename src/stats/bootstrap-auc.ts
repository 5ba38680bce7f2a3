import { quantileSorted } from "simple-statistics";
import { aucFromCounts } from "./auc-from-counts.ts";
import { requireBothClasses } from "./check-inputs.ts";
import { poissonSampler, seededRandom } from "./random.ts";
import { scoreCells } from "./score-cells.ts";

/**
 * **Bootstrap percentile interval for the AUC** (Efron & Tibshirani, An Introduction to the
 * Bootstrap, 1993, ch. 13), computed on cells rather than rows.
 *
 * The leads are aggregated once into cells (distinct score x class). A replicate gives every lead
 * an independent Poisson(1) weight — the Poisson bootstrap, which approximates resampling n rows
 * with replacement (Hanley & MacGibbon, "Creating non-parametric bootstrap samples using Poisson
 * frequencies", Computer Methods and Programs in Biomedicine 83, 2006) — and since a sum of c
 * independent Poisson(1) weights is Poisson(c), a cell of c leads needs one Poisson(c) draw. The
 * classes are resampled separately (each class's total is its own Poisson draw), and the
 * replicate's AUC is read from the weighted cells in O(cells). A replicate that drew no lead of a
 * class (possible only when a class has a handful of leads) is drawn again. The interval is the
 * (1 - level)/2 and (1 + level)/2 quantiles of the replicate AUCs, by simple-statistics'
 * quantileSorted (linear interpolation, numpy's default).
 *
 * Deterministic for a given seed (mulberry32, see random.ts). Cost O(n log n + replicates * cells):
 * a million leads scored in a few hundred integer points take about the time of the sort; with
 * continuous scores cells ~ n, so replicates * n Poisson(1) draws.
 *
 * Throws a RangeError for an empty class, mismatched or empty arrays, a score that is not finite, a
 * label other than 0/1, replicates not an integer >= 2, or level outside (0, 1).
 *
 * @example bootstrapAuc([1, 1, 1, 1], [0, 1, 0, 1], { seed: 1 }) // { low: 0.5, high: 0.5 } (all tied)
 */
export function bootstrapAuc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  opts: { replicates?: number; seed: number; level?: number },
): { low: number; high: number } {
  const replicates = opts.replicates ?? 1000;
  const level = opts.level ?? 0.95;
  if (!(Number.isInteger(replicates) && replicates >= 2))
    throw new RangeError(`bootstrapAuc: replicates must be an integer >= 2, got ${replicates}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapAuc: level must be in (0, 1), got ${level}`);
  const cells = scoreCells("bootstrapAuc", scores, labels);
  requireBothClasses("bootstrapAuc", cells.totalPositives, scores.length);
  const poisson = poissonSampler(seededRandom(opts.seed));
  const cellCount = cells.values.length;
  const positives = new Float64Array(cellCount);
  const negatives = new Float64Array(cellCount);
  const aucs = new Float64Array(replicates);
  const maxAttempts = 100 * replicates;
  let attempts = 0;
  for (let r = 0; r < replicates; ) {
    if (++attempts > maxAttempts)
      throw new RangeError(
        "bootstrapAuc: too many replicates drew an empty class; a class has too few leads",
      );
    let p = 0;
    let q = 0;
    for (let c = 0; c < cellCount; c++) {
      const wp = poisson(cells.positives[c] as number);
      const wq = poisson(cells.negatives[c] as number);
      positives[c] = wp;
      negatives[c] = wq;
      p += wp;
      q += wq;
    }
    if (p === 0 || q === 0) continue;
    aucs[r++] = aucFromCounts(positives, negatives);
  }
  aucs.sort();
  const sorted = Array.from(aucs);
  return { low: quantileSorted(sorted, (1 - level) / 2), high: quantileSorted(sorted, (1 + level) / 2) };
}
