import { wilson } from "../stats/index.ts";
import type { ScaledModel } from "./points.ts";
import type { PointsRow } from "./report.ts";

/**
 * The points table for people: per criterion and case, old and new points, training leads and their
 * conversion rate, and a flag where the new points run against the case's own rate: the case
 * converts clearly above its criterion's average (its Wilson interval excludes it) yet gets fewer
 * points than the criterion's average, or the reverse. Such a case is explained by the other
 * criteria (the leads it holds score high or low elsewhere), and deserves a look before approval.
 */
export function pointsRows(
  scaled: ScaledModel,
  counts: { leads: Float64Array; events: Float64Array },
  isNew: Set<string>,
): PointsRow[] {
  const rows: PointsRow[] = [];
  for (const tp of scaled.terms) {
    const t = tp.term;
    if (t.kind === "column") {
      const rules = t.criterion.bands ?? t.criterion.values ?? [];
      const old = [t.criterion.missing, ...rules.map((r) => r.points), t.criterion.otherwise];
      let n = 0;
      let e = 0;
      let wp = 0;
      t.cases.forEach((_, k) => {
        const l = counts.leads[t.first + k] as number;
        n += l;
        e += counts.events[t.first + k] as number;
        wp += l * (tp.points[k] as number);
      });
      const overall = n ? e / n : 0;
      const meanPoints = n ? wp / n : 0;
      t.cases.forEach((label, k) => {
        const l = counts.leads[t.first + k] as number;
        const ev = counts.events[t.first + k] as number;
        const points = tp.points[k] as number;
        let flag = tp.flags[k];
        if (!flag && l > 0) {
          const ci = wilson(ev, l);
          const above = ci.low > overall;
          const below = ci.high < overall;
          if ((above && points < meanPoints) || (below && points > meanPoints)) {
            flag = `converts ${above ? "above" : "below"} the criterion's average (${pct(ev / l)} against ${pct(overall)}) but gets ${above ? "fewer" : "more"} points than average: the other criteria explain it`;
          }
        }
        rows.push({
          criterion: t.name,
          criterionLabel: t.label,
          section: t.section,
          case: label,
          oldPoints: isNew.has(t.name) ? null : (old[k] ?? null),
          newPoints: points,
          leads: l,
          rate: l ? ev / l : null,
          ...(flag ? { flag } : {}),
        });
      });
    } else {
      const l = counts.leads[t.column] as number;
      const ev = counts.events[t.column] as number;
      rows.push({
        criterion: t.name,
        criterionLabel: t.label,
        section: t.kind,
        case: t.kind === "engagement" ? "per event" : "when it holds",
        oldPoints: isNew.has(t.name) ? null : t.criterion.points,
        newPoints: tp.points[0] as number,
        leads: l,
        rate: l ? ev / l : null,
        ...(tp.flags[0] ? { flag: tp.flags[0] } : {}),
      });
    }
  }
  return rows;
}

export function scaledRowsCount(scaled: ScaledModel, counts: { leads: Float64Array }): number {
  let n = 0;
  for (const tp of scaled.terms) {
    const t = tp.term;
    if (t.kind !== "column") continue;
    for (let k = 0; k < t.cases.length; k++) if ((counts.leads[t.first + k] as number) === 0) n++;
  }
  return n;
}

export function pointsRowsUnseen(n: number): string | null {
  return n
    ? `${n} cases had no lead in the training window (no value there, or no "other" value): each gets its criterion's average points`
    : null;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
