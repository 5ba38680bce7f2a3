// Charts of the Model page: (data, {width, title, subtitle}) => Promise<element>. Each series is one
// scoring version ({model, ...}); the page passes the titles, which name the window and the unit.
import { vegaChart as drawChart } from "./vega.js";

/** Champion grey, challenger blue, on every chart of the page. */
export const MODEL_COLORS = { champion: "#64748b", challenger: "#1f6feb" };
const BAND_COLORS = { stable: "#10b981", look: "#f59e0b", shifted: "#ef4444" };
const pct = { format: ".0%" };

/** The site's chart, with no background of its own: it sits on a card. */
function vegaChart(spec, options) {
  return drawChart({ background: "transparent", ...spec }, options);
}

function modelColor(series) {
  return {
    field: "model",
    type: "nominal",
    title: null,
    scale: { domain: series.map((s) => s.model), range: series.map((s) => MODEL_COLORS[s.role]) },
  };
}

/** A dashed diagonal from (0, 0) to (max, max): perfect calibration, or a random ranking. */
function diagonal(max, label) {
  return {
    data: { values: [{ v: 0 }, { v: max }] },
    mark: { type: "line", strokeDash: [5, 4], color: "#94a3b8", strokeWidth: 1.5 },
    encoding: {
      x: { field: "v", type: "quantitative" },
      y: { field: "v", type: "quantitative" },
      ...(label ? { tooltip: { value: label } } : {}),
    },
  };
}

/** Curves over the dashed diagonal, in a near-square plot. */
function overDiagonal({ width, title, subtitle, max = 1, diagonalLabel }, layers) {
  return vegaChart(
    {
      title: { text: title, subtitle },
      width: Math.min(540, width - 40),
      height: Math.min(380, width - 200),
      layer: [diagonal(max, diagonalLabel), ...layers],
    },
    { width },
  );
}

/**
 * Reliability diagram: mean predicted chance against the observed rate, per bin, one line per
 * version; a point's size is its lead count. series: [{model, role, bins: ReliabilityBin[]}].
 */
export function reliabilityChart(series, { width, title, subtitle }) {
  const rows = series.flatMap((s) => s.bins.map((b) => ({ ...b, model: s.model })));
  const max = Math.max(0.05, ...rows.flatMap((r) => [r.meanPredicted, r.observedRate])) * 1.05;
  const axis = { scale: { domain: [0, max] }, axis: pct };
  return overDiagonal({ width, title, subtitle, max, diagonalLabel: "perfect calibration" }, [
    {
      data: { values: rows },
      layer: [
        { mark: { type: "line", strokeWidth: 1.5 } },
        {
          mark: { type: "point", filled: true, opacity: 0.85, tooltip: true },
          encoding: {
            size: {
              field: "leads",
              type: "quantitative",
              title: "leads in bin",
              scale: { range: [20, 200] },
            },
          },
        },
      ],
      encoding: {
        x: { field: "meanPredicted", type: "quantitative", title: "mean predicted chance (%)", ...axis },
        y: {
          field: "observedRate",
          type: "quantitative",
          title: "observed conversion rate (%)",
          ...axis,
        },
        color: modelColor(series),
        tooltip: [
          { field: "model" },
          { field: "bin" },
          { field: "meanPredicted", title: "predicted", format: ".1%" },
          { field: "observedRate", title: "observed", format: ".1%" },
          { field: "leads", format: "," },
          { field: "conversions", format: "," },
        ],
      },
    },
  ]);
}

/** ROC curves: true positive rate against false positive rate. series: [{model, role, roc}]. */
export function rocChart(series, { width, title, subtitle }) {
  const rows = series.flatMap((s) => s.roc.map((p) => ({ ...p, model: s.model })));
  return overDiagonal({ width, title, subtitle, diagonalLabel: "a random ranking" }, [
    {
      data: { values: rows },
      mark: { type: "line", strokeWidth: 2.5, tooltip: true },
      encoding: {
        x: {
          field: "fpr",
          type: "quantitative",
          title: "leads that did not convert, ranked above the cut-off (%)",
          axis: pct,
        },
        y: {
          field: "tpr",
          type: "quantitative",
          title: "converted leads ranked above it (%)",
          axis: pct,
        },
        color: modelColor(series),
        order: { field: "fpr" },
      },
    },
  ]);
}

/**
 * Gains: share of conversions captured against share of leads taken from the top, with the lift
 * at the top 10/20/30% labelled. series: [{model, role, gains, lift: LiftRow[]}].
 */
export function gainsChart(series, { width, title, subtitle }) {
  const curve = series.flatMap((s) => s.gains.map((p) => ({ ...p, model: s.model })));
  const marks = series.flatMap((s, i) =>
    s.lift.map((l) => ({
      ...l,
      model: s.model,
      label: Number.isFinite(l.lift) ? `${l.lift.toFixed(1)}×` : "",
      dy: i === series.length - 1 ? -12 : 14,
    })),
  );
  const x = {
    field: "share",
    type: "quantitative",
    title: "leads taken from the top of the score (%)",
    axis: pct,
  };
  const y = { field: "capture", type: "quantitative", title: "conversions captured (%)", axis: pct };
  return overDiagonal({ width, title, subtitle, diagonalLabel: "a random ranking" }, [
    {
      data: { values: curve },
      mark: { type: "line", strokeWidth: 2.5 },
      encoding: { x, y, color: modelColor(series), order: { field: "share" } },
    },
    {
      data: { values: marks },
      layer: [
        { mark: { type: "point", filled: true, size: 70, tooltip: true } },
        {
          mark: { type: "text", fontSize: 11, fontWeight: 600, dx: -4, align: "right" },
          encoding: { text: { field: "label" }, yOffset: { field: "dy" } },
        },
      ],
      encoding: {
        x: { ...x, field: "fraction" },
        y,
        color: modelColor(series),
        tooltip: [
          { field: "model" },
          { field: "fraction", title: "top share", format: ".0%" },
          { field: "capture", title: "conversions captured", format: ".1%" },
          { field: "lift", format: ".2f" },
          { field: "rate", title: "conversion rate", format: ".1%" },
        ],
      },
    },
  ]);
}

/**
 * Old against new points per case: a grey ring for the old points, a dot for the new, joined by a
 * line; flagged cases in red. groups: PointsGroup[] (src/report/model-view.ts).
 */
export function pointsDotPlot(groups, { width, title, subtitle }) {
  const rows = groups.flatMap((g) =>
    g.rows.map((r) => ({
      key: `${g.label}: ${r.case}`,
      oldPoints: r.oldPoints,
      newPoints: r.newPoints,
      change: r.change,
      flagged: r.flag ? "flagged" : "not flagged",
      flag: r.flag ?? "",
      leads: r.leads,
    })),
  );
  const y = {
    field: "key",
    type: "nominal",
    sort: rows.map((r) => r.key),
    title: null,
    axis: { labelLimit: 380, labelFontSize: 10.5 },
  };
  const flagColor = {
    field: "flagged",
    type: "nominal",
    title: null,
    scale: { domain: ["not flagged", "flagged"], range: [MODEL_COLORS.challenger, "#dc2626"] },
  };
  const tooltip = [
    { field: "key", title: "case" },
    { field: "oldPoints", title: "old points", format: ".3~f" },
    { field: "newPoints", title: "new points", format: ".3~f" },
    { field: "change", format: "+.3~f" },
    { field: "leads", format: "," },
    { field: "flag" },
  ];
  return vegaChart(
    {
      title: { text: title, subtitle },
      data: { values: rows },
      height: Math.max(80, 14 * rows.length),
      width: Math.max(240, width - 420),
      layer: [
        {
          transform: [{ filter: "datum.oldPoints !== null" }],
          mark: { type: "rule", color: "#cbd5e1", strokeWidth: 2 },
          encoding: { y, x: { field: "oldPoints", type: "quantitative" }, x2: { field: "newPoints" } },
        },
        {
          transform: [{ filter: "datum.oldPoints !== null" }],
          mark: {
            type: "point",
            shape: "circle",
            size: 50,
            strokeWidth: 1.5,
            color: MODEL_COLORS.champion,
            tooltip: true,
          },
          encoding: { y, x: { field: "oldPoints", type: "quantitative" }, tooltip },
        },
        {
          mark: { type: "point", shape: "circle", filled: true, size: 55, opacity: 1, tooltip: true },
          encoding: {
            y,
            x: { field: "newPoints", type: "quantitative", title: "points (ring: old, dot: new)" },
            color: flagColor,
            tooltip,
          },
        },
      ],
    },
    { width },
  );
}

/** PSI per criterion and for the total score, coloured by band, with the 0.10 and 0.25 limits. rows: PsiRow[] with bandText. */
export function psiChart(rows, { width, title, subtitle }) {
  const limits = [
    { psi: 0.1, label: "0.10: worth a look" },
    { psi: 0.25, label: "0.25: shifted" },
  ];
  const max = Math.max(0.3, ...rows.map((r) => r.psi)) * 1.1;
  return vegaChart(
    {
      title: { text: title, subtitle },
      height: Math.max(60, 28 * rows.length),
      width: Math.max(240, width - 300),
      layer: [
        {
          data: { values: rows },
          layer: [
            { mark: { type: "bar", tooltip: true } },
            {
              mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
              encoding: { text: { field: "psi", format: ".3f" } },
            },
          ],
          encoding: {
            y: { field: "label", type: "nominal", sort: rows.map((r) => r.label), title: null },
            x: {
              field: "psi",
              type: "quantitative",
              title: "population stability index (PSI)",
              scale: { domain: [0, max] },
            },
            color: {
              field: "band",
              type: "nominal",
              title: null,
              scale: { domain: Object.keys(BAND_COLORS), range: Object.values(BAND_COLORS) },
              legend: {
                labelExpr:
                  "{stable: 'stable (< 0.10)', look: 'worth a look (0.10-0.25)', shifted: 'shifted (> 0.25)'}[datum.label]",
              },
            },
            tooltip: [
              { field: "label" },
              { field: "psi", format: ".3f" },
              { field: "bandText", title: "band" },
            ],
          },
        },
        {
          data: { values: limits },
          mark: { type: "rule", strokeDash: [4, 3], color: "#475569" },
          encoding: { x: { field: "psi", type: "quantitative" }, tooltip: { field: "label" } },
        },
      ],
    },
    { width },
  );
}

export { BAND_COLORS };
