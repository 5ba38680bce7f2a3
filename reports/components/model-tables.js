// Tables of the Model page, built from the rows src/report/model-view.ts derives from a calibration report.
import { html } from "htl";
import { downloadButton } from "./download.js";
import { count, percent } from "./format.js";
import { BAND_COLORS } from "./model-charts.js";

const DASH = "—";

const cellClass = (c) => [c.num ? "num" : "", c.nowrap ? "nowrap" : ""].join(" ").trim();

/**
 * A small table that wraps long text instead of scrolling, with a CSV download under it.
 * columns: [{key, label, format?, num?, nowrap?, csv?}]; the CSV carries the raw values (or csv(row))
 * under the same labels.
 */
export function wrappingTable(rows, { columns, filename }) {
  const table = html`<table class="model-table">
    <thead><tr>${columns.map((c) => html`<th class=${cellClass(c)}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map(
      (r) =>
        html`<tr>${columns.map(
          (c) =>
            html`<td class=${cellClass(c)}>${c.format ? c.format(r[c.key], r) : (r[c.key] ?? DASH)}</td>`,
        )}</tr>`,
    )}</tbody>
  </table>`;
  const csv = rows.map((r) => Object.fromEntries(columns.map((c) => [c.label, c.csv ? c.csv(r) : r[c.key]])));
  return html`<div class="data-table">${table}${downloadButton(csv, filename)}</div>`;
}

/** A metric value as the page prints it: kind is score, share, ratio, pvalue or number. */
export function formatMetric(x, kind) {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  if (kind === "share") return percent(x, 1);
  if (kind === "ratio") return `${x.toFixed(2)}×`;
  if (kind === "pvalue") return x < 0.001 ? "< 0.001" : x.toFixed(3);
  return x.toFixed(3);
}

/** "0.741 (0.709 to 0.772)". */
export function formatAuc(auc, low, high) {
  if (auc === null || auc === undefined) return DASH;
  return low === null || low === undefined || high === null || high === undefined
    ? auc.toFixed(3)
    : `${auc.toFixed(3)} (${low.toFixed(3)} to ${high.toFixed(3)})`;
}

function metricCell(m, who) {
  const text =
    m.key === "auc" ? formatAuc(m[who], m[`${who}Low`], m[`${who}High`]) : formatMetric(m[who], m.kind);
  return html`<td class=${m.better === who ? "num better" : "num"}>${text}</td>`;
}

/** Every metric for champion and challenger side by side, the better value in bold, with what it means. */
export function metricsTable(rows, { champion, challenger }) {
  return html`<table class="model-table">
    <thead><tr><th>Metric</th><th class="num">Champion ${champion}</th><th class="num">Challenger ${challenger}</th><th>What it tells you</th></tr></thead>
    <tbody>${rows.map(
      (m) => html`<tr>
        <td>${m.label}</td>${metricCell(m, "champion")}${metricCell(m, "challenger")}<td class="explain">${m.explain}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}

/** Points: whole numbers as they are, per-event points with one decimal. */
export function formatPoints(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function signed(x) {
  return x === null || x === undefined ? DASH : x > 0 ? `+${formatPoints(x)}` : formatPoints(x);
}

/** Old and new points per case, one block per criterion; a flagged row is highlighted with its flag. */
export function pointsTable(groups) {
  const csv = groups.flatMap((g) =>
    g.rows.map((r) => ({
      criterion: g.label,
      section: g.section,
      case: r.case,
      old_points: r.oldPoints,
      new_points: r.newPoints,
      change: r.change,
      training_leads: r.leads,
      conversion_rate: r.rate,
      flag: r.flag ?? "",
    })),
  );
  const table = html`<table class="model-table points-table">
    <thead><tr><th>Criterion and case</th><th class="num">Old points</th><th class="num">New points</th><th class="num">Change</th><th class="num">Training leads</th><th class="num">Conversion rate</th></tr></thead>
    ${groups.map(
      (g) => html`<tbody>
        <tr class="group"><th colspan="6">${g.label} <span class="muted">(${g.section}${g.flagged ? `, ${g.flagged} flagged` : ""})</span></th></tr>
        ${g.rows.map(
          (r) => html`<tr class=${r.flag ? "flagged" : ""}>
            <td>${r.case}${r.flag ? html`<div class="flag">⚠ ${r.flag}</div>` : ""}</td>
            <td class="num">${r.oldPoints === null ? "new" : formatPoints(r.oldPoints)}</td>
            <td class="num"><b>${formatPoints(r.newPoints)}</b></td>
            <td class="num">${signed(r.change)}</td>
            <td class="num">${count(r.leads)}</td>
            <td class="num">${percent(r.rate, 1)}</td>
          </tr>`,
        )}
      </tbody>`,
    )}
  </table>`;
  return html`<div class="data-table">${table}${downloadButton(csv, "leadcal-model-points.csv")}</div>`;
}

/** The PSI band as a coloured word, e.g. "worth a look (0.10 to 0.25)". */
export function bandBadge(row) {
  return html`<span class="band" style=${{ background: BAND_COLORS[row.band] ?? "#94a3b8" }}>${row.bandText}</span>`;
}
