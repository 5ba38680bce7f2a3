import type { Definition } from "../scoring/schema.ts";

/**
 * New points live on a new scale, so the MQL/SQL thresholds and grade bands are carried over at the
 * same volume: each new cut-off is the one that lets through the share of training leads closest to
 * the share the old cut-off let through under the old points. The thresholds are then a starting
 * point for `leadcal thresholds`, not a choice.
 */

/** The share of `values` at or above `cut`. */
function shareAtLeast(sorted: Int32Array, cut: number): number {
  // sorted ascending: first index with value >= cut
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < cut) lo = mid + 1;
    else hi = mid;
  }
  return (sorted.length - lo) / sorted.length;
}

/** The cut on `newer` whose share at-or-above is closest to `share`, at least `floor`. */
export function cutForShare(newer: Int32Array, share: number, floor = Number.NEGATIVE_INFINITY): number {
  const distinct = [...new Set(newer)].sort((a, b) => a - b);
  let best = distinct[distinct.length - 1] ?? 0;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const v of distinct) {
    if (v < floor) continue;
    const gap = Math.abs(shareAtLeast(newer, v) - share);
    if (gap < bestGap - 1e-12) {
      bestGap = gap;
      best = v;
    }
  }
  // Nobody at or above the old cut: keep the new one above everyone as well.
  if (share === 0) best = (distinct[distinct.length - 1] ?? 0) + 1;
  return Math.max(best, Number.isFinite(floor) ? floor : best);
}

function sortedOf(values: Int32Array, mask: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (mask[i]) out.push(values[i] as number);
  return Int32Array.from(out).sort();
}

export function carryOver(
  def: Definition,
  mask: Uint8Array,
  old: { total: Int32Array; fit: Int32Array; engagement: Int32Array },
  next: { total: Int32Array; fit: Int32Array; engagement: Int32Array },
): {
  thresholds: { stage: string; min_score: number; min_fit?: number; min_engagement?: number }[];
  grades: number[] | null;
} {
  const o = {
    total: sortedOf(old.total, mask),
    fit: sortedOf(old.fit, mask),
    engagement: sortedOf(old.engagement, mask),
  };
  const n = {
    total: sortedOf(next.total, mask),
    fit: sortedOf(next.fit, mask),
    engagement: sortedOf(next.engagement, mask),
  };
  let floor = Number.NEGATIVE_INFINITY;
  const thresholds = def.thresholds.map((t) => {
    const min_score = cutForShare(n.total, shareAtLeast(o.total, t.min_score), floor);
    floor = min_score + 1; // thresholds climb strictly
    const out: { stage: string; min_score: number; min_fit?: number; min_engagement?: number } = {
      stage: t.stage,
      min_score,
    };
    if (t.min_fit !== undefined) out.min_fit = cutForShare(n.fit, shareAtLeast(o.fit, t.min_fit));
    if (t.min_engagement !== undefined) {
      out.min_engagement = cutForShare(n.engagement, shareAtLeast(o.engagement, t.min_engagement));
    }
    return out;
  });
  let grades: number[] | null = null;
  if (def.grades) {
    const src = def.grades.on === "fit" ? o.fit : o.total;
    const dst = def.grades.on === "fit" ? n.fit : n.total;
    let ceiling = Number.POSITIVE_INFINITY;
    grades = def.grades.bands.map((b) => {
      if (b.min === undefined) return Number.NaN;
      let g = cutForShare(dst, shareAtLeast(src, b.min));
      if (g >= ceiling) g = ceiling - 1; // bands descend strictly
      ceiling = g;
      return g;
    });
  }
  return { thresholds, grades };
}
