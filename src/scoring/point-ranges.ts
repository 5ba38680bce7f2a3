import type { ColumnCriterion, Definition } from "./schema.ts";

export interface Range {
  min: number;
  max: number;
}

/** The lowest and highest points each part of the score can reach. */
export function pointRanges(
  def: Definition,
): Record<"fit" | "situational" | "engagement" | "negative", Range> {
  const columnRange = (list: ColumnCriterion[]): Range => {
    const byGroup = new Map<string, number[]>();
    list.forEach((c, i) => {
      const key = c.group ?? `#${i}`;
      const rules = c.bands ?? c.values ?? [];
      const options = [...rules.map((r) => r.points), c.missing, c.otherwise];
      byGroup.set(key, [...(byGroup.get(key) ?? []), ...options]);
    });
    let min = 0;
    let max = 0;
    for (const opts of byGroup.values()) {
      min += Math.min(...opts);
      max += Math.max(...opts);
    }
    return { min, max };
  };
  let engMax = 0;
  let engMin = 0;
  for (const c of def.engagement.criteria) {
    const cap = c.cap ?? Number.POSITIVE_INFINITY;
    if (c.points > 0) engMax += cap;
    else engMin -= cap;
  }
  if (def.engagement.cap !== undefined) engMax = Math.min(engMax, def.engagement.cap);
  return {
    fit: columnRange(def.fit),
    situational: columnRange(def.situational),
    engagement: { min: engMin, max: engMax },
    negative: { min: def.negative.reduce((s, n) => s + n.points, 0), max: 0 },
  };
}
