import { rowAt } from "./recommend.ts";
import type { ThresholdResult } from "./run.ts";
import type { SweepRow } from "./sweep.ts";

/** What `leadcal thresholds` prints: the recommendation, the current thresholds beside it, a short sweep. */
export function formatThresholds(r: ThresholdResult): string[] {
  const rec = r.recommendation;
  const lines: string[] = [];
  const hold = r.windows.find((w) => w.part === "holdout");
  const train = r.windows.find((w) => w.part === "train");
  lines.push(
    `Thresholds for definition ${r.version}: chosen on the training window, reported on the holdout.`,
  );
  if (train)
    lines.push(
      `  training: ${train.leads} leads scored ${train.from} to ${train.to} (${train.weeks.toFixed(1)} weeks)`,
    );
  if (hold)
    lines.push(
      `  holdout:  ${hold.leads} leads scored ${hold.from} to ${hold.to} (${hold.weeks.toFixed(1)} weeks); ${r.holdoutDescription}`,
    );
  lines.push(
    `  capacity: ${Math.round(rec.capacityPerWeek)} touches a week; conversion floor ${pct(rec.minConversion)}; objective: ${rec.objective}`,
  );
  lines.push("");
  const head = `  ${"".padEnd(22)} ${"cut-off".padStart(8)} ${"leads/week".padStart(11)} ${"conversion (95% CI)".padStart(24)} ${"capture".padStart(8)} ${"wins".padStart(6)} ${"CPSQL".padStart(9)} ${"workload/wk".padStart(12)}`;
  lines.push("  Holdout figures:");
  lines.push(head);
  const line = (name: string, row: SweepRow | null) =>
    row
      ? `  ${name.padEnd(22)} ${String(row.threshold).padStart(8)} ${row.per_week.toFixed(1).padStart(11)} ${`${pct(row.rate)} (${pct(row.rate_low)}-${pct(row.rate_high)})`.padStart(24)} ${pct(row.capture).padStart(8)} ${String(row.wins).padStart(6)} ${(row.cost_per_sql === null ? "-" : Math.round(row.cost_per_sql).toLocaleString("en-US")).padStart(9)} ${Math.round(row.workload_per_week).toString().padStart(12)}`
      : `  ${name.padEnd(22)} -`;
  lines.push(line(`recommended ${rec.sql.stage}`, rec.sql.holdout));
  lines.push(line(`current ${rec.sql.stage}`, rec.current.sql?.holdout ?? null));
  if (rec.mql) lines.push(line(`recommended ${rec.mql.stage}`, rec.mql.holdout));
  if (rec.current.mql) lines.push(line(`current ${rec.mql?.stage ?? "mql"}`, rec.current.mql.holdout));
  lines.push("");
  lines.push(`Binding constraint for the ${rec.sql.stage} threshold: ${rec.sql.binding}.`);
  lines.push(rec.sentence);
  for (const w of rec.warnings) lines.push(`warning: ${w}`);
  lines.push("");
  lines.push(`  ${rec.sql.stage} sweep (holdout), around the recommendation:`);
  lines.push(head);
  const cuts = r.rows
    .filter((x) => x.part === "train" && x.stage === rec.sql.stage)
    .map((x) => x.threshold)
    .sort((a, b) => a - b);
  const at = cuts.indexOf(rec.sql.threshold);
  const step = Math.max(1, Math.ceil(cuts.length / 40));
  for (let k = -5; k <= 5; k++) {
    const t = cuts[at + k * step];
    if (t === undefined) continue;
    lines.push(
      line(t === rec.sql.threshold ? "-> recommended" : "", rowAt(r.rows, "holdout", rec.sql.stage, t)),
    );
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines;
}

function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? "-" : `${(100 * x).toFixed(1)}%`;
}
