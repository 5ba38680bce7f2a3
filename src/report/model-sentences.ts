import type { CalibrationReport, DiscoveredRow, PointsRow, PsiRow } from "../calibrate/report.ts";
import { hasProbabilities, liftAt } from "./model-metrics.ts";

/**
 * The sentences of the Model page: the warnings a reader must see before trusting the figures, the
 * PSI bands in words, and the one-sentence takeaway under each chart.
 */

/** What a reader must know before trusting the comparison. */
export function warnings(r: CalibrationReport): string[] {
  const out: string[] = [];
  if (!r.holdout.outOfTime) {
    out.push(
      `The holdout is NOT out of time: it was drawn from the same period as the training leads (${r.holdout.description}), so it cannot show how the scoring holds up on newer leads.`,
    );
  }
  if (!r.pointInTimeChecked) {
    out.push(
      "Point-in-time could not be checked: the data lacks the dates to score each lead as it was at its own moment, so later information may have leaked into the scores.",
    );
  }
  if (!hasProbabilities(r.champion)) {
    out.push(
      `The champion (${r.championVersion}) carries points but no probabilities, so its Brier score, log loss, calibration error and reliability cannot be measured.`,
    );
  }
  return out;
}

const PSI_BANDS: Record<PsiRow["band"], [string, string]> = {
  stable: ["stable", "under 0.10"],
  look: ["worth a look", "0.10 to 0.25"],
  shifted: ["shifted", "over 0.25"],
};

/** The PSI band in words, with its limits: "worth a look (0.10 to 0.25)". */
export function psiBandText(band: PsiRow["band"]): string {
  const b = PSI_BANDS[band];
  return b ? `${b[0]} (${b[1]})` : band;
}

/** A number for a sentence; a figure the run could not compute (null) reads as a dash. */
const fixed = (x: number | null | undefined, digits: number) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`;
const signedFixed = (x: number | null | undefined, digits: number) =>
  `${x !== null && x !== undefined && x > 0 ? "+" : ""}${fixed(x, digits)}`;

export function reliabilityTakeaway(r: CalibrationReport): string {
  const m = r.challenger;
  if (!hasProbabilities(m)) return `The challenger (${r.version}) carries no probabilities to check.`;
  const worst = m.reliability.reduce((a, b) =>
    Math.abs(b.observedRate - b.meanPredicted) > Math.abs(a.observedRate - a.meanPredicted) ? b : a,
  );
  const hl = m.hosmerLemeshow;
  return (
    `The challenger's predicted chances are ${fixed(m.ece === null ? null : m.ece * 100, 1)} percentage points off the observed rates on average; ` +
    `the widest gap is in bin ${worst.bin} (predicted ${pct(worst.meanPredicted)}, observed ${pct(worst.observedRate)}, ${worst.leads.toLocaleString("en-US")} leads)` +
    (hl
      ? hl.pValue < 0.05
        ? `, and Hosmer-Lemeshow finds the gaps larger than chance (p = ${fixed(hl.pValue, 3)}).`
        : `, within what chance allows (Hosmer-Lemeshow p = ${fixed(hl.pValue, 3)}).`
      : ".")
  );
}

export function rocTakeaway(r: CalibrationReport): string {
  const c = r.comparison;
  return `On the holdout the challenger's AUC is ${fixed(c.aucChallenger, 3)} against the champion's ${fixed(c.aucChampion, 3)} (difference ${signedFixed(c.difference, 3)}, 95% interval ${fixed(c.low, 3)} to ${fixed(c.high, 3)}): ${c.verdict}.`;
}

export function gainsTakeaway(r: CalibrationReport): string {
  const a = liftAt(r.champion, 0.2);
  const b = liftAt(r.challenger, 0.2);
  if (!a || !b) return "";
  return `The top 20% of leads by the challenger's score hold ${pct(b.capture, 0)} of the conversions (lift ${fixed(b.lift, 1)}×), against ${pct(a.capture, 0)} (lift ${fixed(a.lift, 1)}×) by the champion's.`;
}

export function pointsTakeaway(points: PointsRow[]): string {
  const changed = points.filter((p) => p.oldPoints !== p.newPoints).length;
  const flagged = points.filter((p) => p.flag).length;
  return (
    `${changed} of ${points.length} cases get different points` +
    (flagged
      ? `; ${flagged} ${flagged === 1 ? "is" : "are"} flagged because the new points run against the case's own conversion rate: read ${flagged === 1 ? "it" : "them"} before approving.`
      : "; none runs against its own conversion rate.")
  );
}

export function discoveredTakeaway(rows: DiscoveredRow[], leftOut: number): string {
  if (!rows.length)
    return leftOut
      ? `No new candidates were looked at (calibrate ran without --discover); ${leftOut} column${leftOut === 1 ? " was" : "s were"} left out.`
      : "No new candidates were looked at (calibrate ran without --discover).";
  const kept = rows.filter((d) => d.decision === "kept");
  return `${rows.length} candidate${rows.length === 1 ? " was" : "s were"} looked at; ${kept.length ? `${kept.map((d) => d.name).join(", ")} ${kept.length === 1 ? "was" : "were"} added to the draft` : "none was added to the draft"}.`;
}

export function psiTakeaway(rows: PsiRow[]): string {
  const score = rows.find((p) => p.name === "score");
  const moved = rows.filter((p) => p.name !== "score" && p.band !== "stable");
  if (!rows.length) return "No stability figures were recorded.";
  return (
    (score
      ? `The score distribution is ${PSI_BANDS[score.band]?.[0] ?? score.band} (PSI ${fixed(score.psi, 3)})`
      : "") +
    (moved.length
      ? `${score ? "; " : ""}${moved.map((p) => `${p.label} ${p.band === "shifted" ? "has shifted" : "is worth a look"}`).join(", ")}.`
      : `${score ? ", and " : ""}every criterion is stable.`)
  );
}
