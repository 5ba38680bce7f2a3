import type { ReportSettings } from "../settings.ts";

/**
 * The Service levels page's time-to-first-touch histogram: its buckets (fixed edges in minutes plus
 * the policy's own target and limit) and the case expressions that put an SQL's minutes in one.
 */

/** Edges of the time-to-first-touch buckets, in minutes; the policy's own figures are added. */
const DELAY_EDGES = [5, 30, 60, 240, 1440, 3 * 1440, 7 * 1440];

export function formatMinutes(m: number): string {
  if (m < 60) return `${m} min`;
  if (m < 1440) return `${m / 60} h`;
  const d = m / 1440;
  return `${d} ${d === 1 ? "day" : "days"}`;
}

/** Buckets for the delay histogram: [label, upper edge in minutes] plus a last open bucket. */
export function delayBuckets(
  policy: ReportSettings["serviceLevels"],
): { label: string; upTo: number | null }[] {
  const edges = [
    ...new Set([...DELAY_EDGES, policy.firstTouchTargetMinutes, policy.firstTouchLimitMinutes]),
  ].sort((a, b) => a - b);
  const buckets: { label: string; upTo: number | null }[] = [];
  let prev = 0;
  for (const e of edges) {
    buckets.push({
      label: prev === 0 ? `up to ${formatMinutes(e)}` : `${formatMinutes(prev)} to ${formatMinutes(e)}`,
      upTo: e,
    });
    prev = e;
  }
  buckets.push({ label: `over ${formatMinutes(prev)}`, upTo: null });
  return buckets;
}

/** A bucket's label (bound as $b0, $b1, ...) and its position, as case expressions over `minutes`. */
export function bucketCaseSql(buckets: { label: string; upTo: number | null }[]): {
  label: string;
  order: string;
} {
  const label = buckets
    .map((b, i) => (b.upTo === null ? `else $b${i}` : `when minutes <= ${Number(b.upTo)} then $b${i}`))
    .join(" ");
  const order = buckets
    .map((b, i) => (b.upTo === null ? `else ${i}` : `when minutes <= ${Number(b.upTo)} then ${i}`))
    .join(" ");
  return {
    label: `case when minutes is null then $untouched ${label} end`,
    order: `case when minutes is null then ${buckets.length} ${order} end`,
  };
}
