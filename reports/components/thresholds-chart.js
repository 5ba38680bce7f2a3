// The Thresholds page's trade-off chart and its slider.
import { html } from "htl";
import { snapCutoff } from "./thresholds-logic.js";
import { vegaChart } from "./vega.js";

const VOLUME = "#1f6feb";
const RATE = "#d97706";
const CAPACITY = "#b91c1c";

/**
 * Trade-off over every cut-off of one stage: leads a week (left axis, a step line: a cut-off between
 * two swept ones reads the next one up), conversion with its 95% interval (right axis), the capacity
 * in leads a week (dashed red, handover stage only), and vertical marks for the threshold in use, the
 * recommended one and the chosen one. The chosen mark and the capacity line are named datasets, so the
 * page moves them with `updateTradeoff` without redrawing the chart.
 */
export async function tradeoffChart(
  rows,
  { width, height = 210, stage, current, recommended, outcome, title, capacityLeads = null },
) {
  const showCapacity = capacityLeads !== null;
  const STAGE = stage.toUpperCase();
  const sideOf = sider(rows);
  const maxVolume = Math.max(0, ...rows.map((r) => r.per_week));
  const marks = [
    ...(current === null ? [] : [{ threshold: current, label: `in use ${current}`, kind: "current" }]),
    ...(recommended === null
      ? []
      : [{ threshold: recommended, label: `recommended ${recommended}`, kind: "recommended" }]),
  ].map((m) => ({ ...m, side: sideOf(m.threshold) }));
  const x = {
    field: "threshold",
    type: "quantitative",
    title: `${STAGE} threshold (points)`,
    scale: { zero: false, nice: false },
  };
  const spec = {
    title: { text: title },
    // Named datasets the page updates; they start with the recommended cut-off and no capacity line.
    datasets: {
      chosen: [{ threshold: recommended ?? current ?? rows[0].threshold, label: "", side: "left" }],
      capacity: showCapacity ? [capacityRow(capacityLeads, maxVolume)] : [],
    },
    height,
    width: Math.max(300, width - 120),
    layer: [
      {
        layer: [
          {
            data: { values: rows },
            mark: { type: "line", interpolate: "step-before", color: VOLUME, strokeWidth: 2.5 },
            encoding: {
              x,
              y: {
                field: "per_week",
                type: "quantitative",
                title: `${STAGE}s per week`,
                axis: { titleColor: VOLUME, labelColor: VOLUME },
              },
              tooltip: [
                { field: "threshold", title: "Cut-off (points)" },
                { field: "per_week", title: `${STAGE}s per week`, format: ".1f" },
                { field: "rate", title: `Conversion to ${outcome}`, format: ".1%" },
              ],
            },
          },
          ...(showCapacity
            ? [
                {
                  data: { name: "capacity" },
                  mark: { type: "rule", color: CAPACITY, strokeDash: [6, 4], strokeWidth: 2 },
                  encoding: { y: { field: "leads", type: "quantitative" } },
                },
                {
                  data: { name: "capacity" },
                  mark: {
                    type: "text",
                    color: CAPACITY,
                    align: "left",
                    dx: 4,
                    dy: { expr: "datum.above ? -7 : 13" },
                    x: 0,
                    fontSize: 13,
                    fontWeight: 600,
                  },
                  encoding: { y: { field: "leads", type: "quantitative" }, text: { field: "label" } },
                },
              ]
            : []),
        ],
      },
      {
        data: { values: rows.filter((r) => r.rate !== null) },
        layer: [
          {
            mark: { type: "area", interpolate: "step-before", color: RATE, opacity: 0.18 },
            encoding: { x, y: { field: "rate_low", type: "quantitative" }, y2: { field: "rate_high" } },
          },
          {
            mark: { type: "line", interpolate: "step-before", color: RATE, strokeWidth: 2.5 },
            encoding: {
              x,
              y: {
                field: "rate",
                type: "quantitative",
                title: "Conversion (band: 95% interval)",
                titleFontSize: 11,
                axis: { format: "%", titleColor: RATE, labelColor: RATE, orient: "right" },
              },
            },
          },
        ],
      },
      {
        data: { values: marks },
        layer: [
          {
            mark: { type: "rule", strokeWidth: 2 },
            encoding: {
              x: { field: "threshold", type: "quantitative" },
              color: {
                field: "kind",
                type: "nominal",
                scale: { domain: ["current", "recommended"], range: ["#64748b", "#1a7f37"] },
                legend: null,
              },
              strokeDash: {
                field: "kind",
                type: "nominal",
                scale: {
                  domain: ["current", "recommended"],
                  range: [
                    [5, 4],
                    [1, 0],
                  ],
                },
                legend: null,
              },
            },
          },
          ...bothSides(
            { type: "text", dx: 4, fontSize: 13, fontWeight: 600 },
            {
              x: { field: "threshold", type: "quantitative" },
              y: {
                field: "kind",
                type: "nominal",
                scale: { domain: ["recommended", "current"], range: [10, 26] },
                axis: null,
              },
              text: { field: "label" },
              color: {
                field: "kind",
                type: "nominal",
                scale: { domain: ["current", "recommended"], range: ["#64748b", "#1a7f37"] },
                legend: null,
              },
            },
          ),
        ],
      },
      {
        data: { name: "chosen" },
        layer: [
          {
            mark: { type: "rule", color: "#111", strokeWidth: 3 },
            encoding: { x: { field: "threshold", type: "quantitative" } },
          },
          ...bothSides(
            { type: "text", dx: 5, y: "height", dy: -8, fontSize: 14, fontWeight: 700, color: "#111" },
            { x: { field: "threshold", type: "quantitative" }, text: { field: "label" } },
          ),
        ],
      },
    ],
    resolve: { scale: { y: "independent", color: "independent", strokeDash: "independent" } },
  };
  const chart = await vegaChart(spec, { width });
  chart.sideOf = sideOf;
  chart.maxVolume = maxVolume;
  return chart;
}

/** Labels right of their rule in the left part of the chart, left of it near the right edge. */
function sider(rows) {
  const lo = rows[0]?.threshold ?? 0;
  const hi = rows[rows.length - 1]?.threshold ?? 0;
  return (t) => (t > lo + 0.7 * (hi - lo) ? "right" : "left");
}

/** A label right of its rule in the left part of the chart, left of it near the right edge (`side`). */
function bothSides(mark, encoding) {
  const dx = Math.abs(mark.dx);
  return [
    {
      mark: {
        ...mark,
        align: { expr: "datum.side" },
        dx: { expr: `datum.side === 'left' ? ${dx} : ${-dx}` },
      },
      encoding,
    },
  ];
}

/** The capacity line's datum; its label sits above the line in the lower half of the chart, else below. */
function capacityRow(leads, maxVolume) {
  return {
    leads,
    above: leads < 0.5 * Math.max(maxVolume, leads),
    label: `capacity: ${leads < 10 ? leads.toFixed(1) : Math.round(leads)} a week`,
  };
}

/** Moves the chosen mark and the capacity line (in leads a week) of a drawn trade-off chart. */
export async function updateTradeoff(chart, { chosen, capacityLeads }) {
  const view = chart.vegaView;
  if (!view) return;
  view.data("chosen", [{ threshold: chosen, label: `chosen ${chosen}`, side: chart.sideOf(chosen) }]);
  try {
    view.data("capacity", capacityLeads === null ? [] : [capacityRow(capacityLeads, chart.maxVolume)]);
  } catch {
    // The chart has no capacity line (a stage sales does not work).
  }
  await view.runAsync();
  chart.dataset.chosen = String(chosen);
}

/**
 * The cut-off slider: a range over the stage's cut-offs, the value in large type beside it. Its `value`
 * is the cut-off; it emits "input" like an Inputs control, so Generators.input follows it. When the
 * rows were thinned it snaps to the cut-offs kept.
 */
export function cutoffSlider(rows, { value, thinned, label }) {
  const min = rows[0].threshold;
  const max = rows[rows.length - 1].threshold;
  const form = html`<form class="cutoff-slider" onsubmit=${(e) => e.preventDefault()}>
    <label for="cutoff-range">${label}</label>
    <input id="cutoff-range" name="cutoff" type="range" min=${min} max=${max} step="1" value=${value} aria-label=${label}>
    <output class="cutoff-value" for="cutoff-range">${value}</output><span class="cutoff-unit">points</span>
  </form>`;
  const input = form.querySelector("input");
  const output = form.querySelector("output");
  form.value = value;
  input.addEventListener("input", () => {
    const v = snapCutoff(rows, Number(input.value), { thinned, previous: form.value });
    input.value = String(v);
    output.value = String(v);
    form.value = v;
  });
  return form;
}
