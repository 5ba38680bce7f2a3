import type { ModelRow } from "./registry.ts";
import type { CalibrationReport, HoldoutMetrics } from "./report.ts";

/** The comparison a calibration prints: population, windows, both definitions' metrics, the verdict. */
export function formatCalibration(r: CalibrationReport): string[] {
  const lines: string[] = [];
  lines.push(
    `Calibration of ${r.championVersion} -> ${r.version}: predicting ${r.target.stage} within ${r.target.horizonDays} days${r.target.among ? `, among leads that had reached ${r.target.among}` : ""}.`,
  );
  if (!r.pointInTimeChecked) lines.push("NOTE: the data has no dates: point-in-time could not be checked.");
  if (!r.holdout.outOfTime)
    lines.push("NOTE: the holdout is NOT out of time (a random sample of the same period).");
  lines.push("");
  lines.push("Leads:");
  for (const p of r.population) lines.push(`  ${String(p.leads).padStart(9)}  ${p.reason}`);
  const win = (name: string, w: CalibrationReport["training"], read?: { leads: number; of: number }) =>
    `  ${name.padEnd(9)} ${String(w.leads).padStart(9)} leads, ${String(w.conversions).padStart(7)} converted${w.from ? `, scored ${w.from} to ${w.to}` : ""}${read && read.leads < read.of ? `; a seeded sample of ${read.leads} read` : ""}`;
  lines.push(win("training", r.training, r.sample?.training));
  lines.push(win("holdout", r.holdoutWindow, r.sample?.holdout));
  lines.push(`  holdout: ${r.holdout.description}`);
  lines.push("");
  const rows: [string, (m: HoldoutMetrics) => string][] = [
    ["AUC (95% interval)", (m) => `${f3(m.auc)} (${f3(m.aucLow)}-${f3(m.aucHigh)})`],
    ["Gini", (m) => f3(m.gini)],
    ["KS", (m) => f3(m.ks)],
    ["Brier score", (m) => opt(m.brier, 4)],
    ["Log loss", (m) => opt(m.logLoss, 4)],
    ["Calibration error (ECE)", (m) => opt(m.ece, 4)],
    ["Hosmer-Lemeshow p", (m) => (m.hosmerLemeshow ? pv(m.hosmerLemeshow.pValue) : "-")],
    ...[0, 1, 2].map((k): [string, (m: HoldoutMetrics) => string] => [
      `Top ${Math.round((r.champion.lift[k]?.fraction ?? 0) * 100)}%: lift, capture`,
      (m) => (m.lift[k] ? `${m.lift[k].lift.toFixed(2)}x, ${(100 * m.lift[k].capture).toFixed(1)}%` : "-"),
    ]),
  ];
  const w0 = Math.max(...rows.map(([n]) => n.length));
  lines.push(
    `  ${"holdout metric".padEnd(w0)}  ${`in use ${r.championVersion}`.padStart(22)}  ${`new ${r.version}`.padStart(22)}`,
  );
  for (const [name, get] of rows)
    lines.push(`  ${name.padEnd(w0)}  ${get(r.champion).padStart(22)}  ${get(r.challenger).padStart(22)}`);
  lines.push(
    `  new points' AUC before rounding to whole points: ${f3(r.challengerUnroundedAuc)} (after: ${f3(r.challenger.auc)})`,
  );
  lines.push("");
  lines.push(`Verdict: ${r.comparison.sentence}`);
  const moved = r.points.filter((p) => p.oldPoints !== p.newPoints).length;
  lines.push(
    `Points: ${moved} of ${r.points.length} cases change; scale: ${r.scaling.points_to_double_odds} points double the odds, ${r.scaling.base_score} points = odds ${r.scaling.base_odds}:1.`,
  );
  const flagged = r.points.filter((p) => p.flag);
  if (flagged.length) {
    lines.push("Look at these before approving:");
    for (const p of flagged) lines.push(`  ${p.criterionLabel} / ${p.case}: ${p.flag}`);
  }
  const drift = r.psi.filter((p) => p.band !== "stable");
  lines.push(
    `Stability (PSI, training vs ${r.recent.description}): score ${r.psi[0] ? `${r.psi[0].psi.toFixed(3)} ${r.psi[0].band}` : "-"}${drift.length ? `; ${drift.map((p) => `${p.label} ${p.psi.toFixed(2)} ${p.band}`).join(", ")}` : ""}`,
  );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines;
}

export function formatModels(models: ModelRow[]): string[] {
  if (models.length === 0) return ["No versions in the model registry yet: run `npx leadcal calibrate`."];
  const lines = [
    `${"version".padEnd(12)} ${"status".padEnd(9)} ${"origin".padEnd(11)} ${"created (UTC)".padEnd(19)} ${"holdout AUC".padStart(20)}  approved by`,
  ];
  for (const m of models) {
    const r = m.report;
    const aucText = r ? `${f3(r.challenger.auc)} (vs ${f3(r.champion.auc)})` : "-";
    const who = m.approvals.map((a) => `${a.by}${a.role ? `, ${a.role}` : ""} on ${a.on}`).join("; ");
    lines.push(
      `${m.version.padEnd(12)} ${m.status.padEnd(9)} ${m.origin.padEnd(11)} ${m.created_at.slice(0, 19).padEnd(19)} ${aucText.padStart(20)}  ${who || "-"}`,
    );
  }
  return lines;
}

function f3(x: number): string {
  return x.toFixed(3);
}
function opt(x: number | null, d: number): string {
  return x === null ? "-" : x.toFixed(d);
}
function pv(p: number): string {
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}
