// Chart builders: (rows, {width, ...options}) => Promise<element>. Each chart's title says what is
// counted, over which window and in which unit; the pages pass those words in.
import { vegaChart } from "./vega.js";

const BLUE = "#1f6feb";
const LIGHT_BLUE = "#a5c8ff";
const pctAxis = { format: ".1~%" };

/**
 * Horizontal funnel: one bar per stage, split into complete and maturing cohorts, with a label
 * per stage. rows: [{stage, order, complete, maturing, label}].
 */
export function funnelBars(rows, { width, title, subtitle }) {
  const long = rows.flatMap((r) => [
    { stage: r.stage, part: "complete cohorts", partOrder: 0, value: r.complete },
    { stage: r.stage, part: "cohorts still maturing", partOrder: 1, value: r.maturing },
  ]);
  const labels = rows.map((r) => ({ stage: r.stage, total: r.complete + r.maturing, label: r.label }));
  const stageSort = rows.map((r) => r.stage);
  return vegaChart(
    {
      title: { text: title, subtitle },
      height: 44 * rows.length,
      width: Math.max(300, width - 420),
      layer: [
        {
          data: { values: long },
          mark: { type: "bar", tooltip: true },
          encoding: {
            y: {
              field: "stage",
              type: "nominal",
              sort: stageSort,
              title: null,
              axis: { labelFontSize: 13, labelFontWeight: 600 },
            },
            x: { field: "value", type: "quantitative", stack: "zero", title: "leads" },
            color: {
              field: "part",
              type: "nominal",
              scale: { domain: ["complete cohorts", "cohorts still maturing"], range: [BLUE, LIGHT_BLUE] },
              title: null,
            },
            order: { field: "partOrder", sort: "ascending" },
          },
        },
        {
          data: { values: labels },
          mark: { type: "text", align: "left", dx: 6, fontSize: 12 },
          encoding: {
            y: { field: "stage", type: "nominal", sort: stageSort },
            x: { field: "total", type: "quantitative" },
            text: { field: "label" },
          },
        },
      ],
    },
    { width },
  );
}

/**
 * Share of each cohort reaching each stage, one line per stage, with the maturing cohorts shaded.
 * rows: [{cohort, stage, rate, leads, reached, status}], stages in order.
 */
export function cohortLines(rows, { width, title, subtitle, stages, maturing }) {
  const cohorts = [...new Set(rows.map((r) => r.cohort))].sort();
  const x = { field: "cohort", type: "ordinal", scale: { domain: cohorts } };
  return vegaChart(
    {
      title: { text: title, subtitle },
      height: 260,
      layer: [
        {
          data: { values: maturing.map((c) => ({ cohort: c, note: "still maturing" })) },
          mark: { type: "bar", color: "#eef2f7" },
          encoding: { x },
        },
        {
          data: { values: maturing.slice(0, 1).map((c) => ({ cohort: c, note: "← still maturing →" })) },
          mark: {
            type: "text",
            align: "left",
            baseline: "top",
            dy: 4,
            dx: -8,
            color: "#64748b",
            fontSize: 11,
          },
          encoding: { x, y: { value: 0 }, text: { field: "note" } },
        },
        {
          data: { values: rows },
          layer: [
            { mark: { type: "line", strokeWidth: 2 } },
            {
              mark: { type: "point", size: 60, filled: true, strokeWidth: 1.5, tooltip: true },
              encoding: {
                fillOpacity: { condition: { test: "datum.status === 'complete'", value: 1 }, value: 0 },
              },
            },
          ],
          encoding: {
            x: { ...x, title: "cohort (quarter the lead entered)", axis: { labelAngle: -45 } },
            y: { field: "rate", type: "quantitative", title: "share of the cohort's leads", axis: pctAxis },
            color: { field: "stage", type: "nominal", sort: stages, title: "reached" },
            tooltip: [
              { field: "cohort" },
              { field: "stage", title: "reached" },
              { field: "rate", format: ".1%", title: "share" },
              { field: "reached", title: "leads reaching it" },
              { field: "leads", title: "leads in cohort" },
              { field: "status" },
            ],
          },
        },
      ],
      resolve: { scale: { x: "shared" } },
    },
    { width },
  );
}

/**
 * One bar per group with its rate and sample size. rows: [{group, rate, reached, leads}], and with
 * `interval`, also {low, high}: a 95% interval drawn as a line across the bar's end.
 * `sort`: an array for a fixed order, or "rate" for highest first; `domain`: the x scale's [from, to],
 * so that charts set side by side share one scale.
 */
export function rateBars(
  rows,
  { width, title, subtitle, sort = "rate", xTitle = "conversion", interval = false, domain },
) {
  // Explicit orders: Vega-Lite cannot union sort-by-field domains across layers.
  const order =
    sort === "rate"
      ? rows
          .slice()
          .sort((a, b) => b.rate - a.rate)
          .map((r) => r.group)
      : sort;
  return vegaChart(
    {
      title: { text: title, subtitle },
      data: {
        values: rows.map((r) => ({
          ...r,
          label: `${(r.rate * 100).toFixed(1)}% of ${r.leads.toLocaleString("en-US")}`,
        })),
      },
      height: Math.max(60, 26 * rows.length),
      width: Math.max(220, width - 300),
      layer: [
        { mark: { type: "bar", color: interval ? LIGHT_BLUE : BLUE, tooltip: true } },
        ...(interval
          ? [
              {
                mark: { type: "rule", color: "#0b3d91", strokeWidth: 2 },
                encoding: { x: { field: "low" }, x2: { field: "high" } },
              },
              {
                mark: { type: "tick", color: "#0b3d91", thickness: 2, size: 12 },
                encoding: { x: { field: "rate" } },
              },
            ]
          : []),
        {
          mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
          encoding: { text: { field: "label" }, ...(interval ? { x: { field: "high" } } : {}) },
        },
      ],
      encoding: {
        y: { field: "group", type: "nominal", sort: order, title: null },
        x: {
          field: "rate",
          type: "quantitative",
          title: xTitle,
          axis: pctAxis,
          ...(domain ? { scale: { domain } } : {}),
        },
        tooltip: [
          { field: "group" },
          { field: "rate", format: ".1%" },
          ...(interval
            ? [
                { field: "low", format: ".1%", title: "95% interval from" },
                { field: "high", format: ".1%", title: "95% interval to" },
              ]
            : []),
          { field: "reached" },
          { field: "leads" },
        ],
      },
    },
    { width },
  );
}

/** Horizontal bars of a value per category, with a text label. rows: [{category, value, label}]. */
export function labelledBars(
  rows,
  { width, title, subtitle, xTitle, sort = rows.map((r) => r.category), color = BLUE, format },
) {
  return vegaChart(
    {
      title: { text: title, subtitle },
      data: { values: rows },
      height: Math.max(60, 30 * rows.length),
      width: Math.max(220, width - 300),
      layer: [
        { mark: { type: "bar", color, tooltip: true } },
        {
          mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
          encoding: { text: { field: "label" } },
        },
      ],
      encoding: {
        y: { field: "category", type: "nominal", sort, title: null },
        x: { field: "value", type: "quantitative", title: xTitle, ...(format ? { axis: { format } } : {}) },
      },
    },
    { width },
  );
}
