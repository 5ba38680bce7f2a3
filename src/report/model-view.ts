import type { CalibrationReport, PointsRow, PsiRow, WindowInfo } from "../calibrate/report.ts";
import { hasProbabilities, type MetricRow, metricRows } from "./model-metrics.ts";
import {
  discoveredTakeaway,
  gainsTakeaway,
  pointsTakeaway,
  psiBandText,
  psiTakeaway,
  reliabilityTakeaway,
  rocTakeaway,
  warnings,
} from "./model-sentences.ts";

/**
 * What the Model page shows of one calibration report: the metrics table, the windows, the warnings,
 * the points grouped by criterion, the PSI rows with their band in words, and the takeaways.
 */

export interface PointsGroup {
  criterion: string;
  label: string;
  section: PointsRow["section"];
  rows: (PointsRow & { change: number | null })[];
  flagged: number;
}

export interface WindowRow {
  name: string;
  from: string | null;
  to: string | null;
  /** "2025-01-01 to 2025-06-30", or "no dates". */
  span: string;
  leads: number;
  conversions: number;
  rate: number | null;
}

export interface ModelView {
  metrics: MetricRow[];
  windows: WindowRow[];
  /** Things a reader must see before trusting the figures (holdout not out of time, ...). */
  warnings: string[];
  pointGroups: PointsGroup[];
  psi: (PsiRow & { bandText: string })[];
  /** True when the champion's definition carries probabilities (it may carry only points). */
  championHasProbabilities: boolean;
  challengerHasProbabilities: boolean;
  takeaways: {
    reliability: string;
    roc: string;
    gains: string;
    points: string;
    discovered: string;
    psi: string;
  };
}

/** The tables and sentences the page shows, derived from one report. */
export function modelView(report: CalibrationReport): ModelView {
  return {
    metrics: metricRows(report.champion, report.challenger),
    windows: windowRows(report),
    warnings: warnings(report),
    pointGroups: pointGroups(report.points),
    psi: report.psi.map((p) => ({ ...p, bandText: psiBandText(p.band) })),
    championHasProbabilities: hasProbabilities(report.champion),
    challengerHasProbabilities: hasProbabilities(report.challenger),
    takeaways: {
      reliability: reliabilityTakeaway(report),
      roc: rocTakeaway(report),
      gains: gainsTakeaway(report),
      points: pointsTakeaway(report.points),
      discovered: discoveredTakeaway(report.discovered, report.leftOut.length),
      psi: psiTakeaway(report.psi),
    },
  };
}

export function windowSpan(w: Pick<WindowInfo, "from" | "to">): string {
  if (!w.from && !w.to) return "no dates";
  return w.from === w.to ? String(w.from) : `${w.from ?? "?"} to ${w.to ?? "?"}`;
}

function windowRows(r: CalibrationReport): WindowRow[] {
  const row = (name: string, w: WindowInfo): WindowRow => ({
    name,
    from: w.from,
    to: w.to,
    span: windowSpan(w),
    leads: w.leads,
    conversions: w.conversions,
    rate: w.leads ? w.conversions / w.leads : null,
  });
  const read = (name: string, p?: { leads: number; of: number }) =>
    p && p.leads < p.of ? `${name} (a seeded sample of ${p.leads.toLocaleString("en-US")} read)` : name;
  return [
    row(read("Training", r.sample?.training), r.training),
    row(read("Holdout", r.sample?.holdout), r.holdoutWindow),
    ...(r.recent ? [row("Recent (for PSI)", r.recent)] : []),
  ];
}

export function pointGroups(points: PointsRow[]): PointsGroup[] {
  const groups = new Map<string, PointsGroup>();
  for (const p of points) {
    let g = groups.get(p.criterion);
    if (!g) {
      g = { criterion: p.criterion, label: p.criterionLabel, section: p.section, rows: [], flagged: 0 };
      groups.set(p.criterion, g);
    }
    // Points may carry decimals (engagement per event): round the difference's float noise away.
    const change = p.oldPoints === null ? null : Math.round((p.newPoints - p.oldPoints) * 1e6) / 1e6;
    g.rows.push({ ...p, change });
    if (p.flag) g.flagged++;
  }
  return [...groups.values()];
}
