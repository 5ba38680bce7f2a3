// A KPI card: the figure, what it is, and how it compares with a reference period.
import { html } from "htl";
import { change, signedPercent } from "./format.js";

/**
 * `value`, `before`: numbers (or null); `format`: number -> text; `lowerIsBetter` flips the colour.
 * `versus` names the reference with its preposition ("at the same point of 2025 Q2", "in 2025 Q2");
 * leave `before` undefined for no comparison.
 */
export function kpiCard(label, value, before, { format, versus, lowerIsBetter = false, note } = {}) {
  const delta = change(value, before);
  // Changes under half a percent are shown uncoloured: they are noise, not news.
  const good = delta === null || Math.abs(delta) < 0.005 ? "" : delta > 0 !== lowerIsBetter ? "good" : "bad";
  const comparison =
    value === null
      ? html`<span>not in the data</span>`
      : before === undefined
        ? ""
        : before === null
          ? html`<span>nothing to compare with</span>`
          : html`<span class=${good}>${signedPercent(delta)}</span> vs ${format(before)} ${versus}`;
  return html`<div class="card kpi">
    <div class="label">${label}</div>
    <div class="value">${format(value)}</div>
    <div class="delta">${comparison}</div>
    ${note ? html`<div class="delta">${note}</div>` : ""}
  </div>`;
}
