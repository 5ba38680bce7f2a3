// Vega-Lite charts, rendered as SVG by vega-embed (bundled from node_modules: nothing is fetched).
import embed from "vega-embed";

/** The look shared by every chart on the site. */
export const CHART_CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  title: {
    anchor: "start",
    fontSize: 15,
    fontWeight: 600,
    subtitleFontSize: 12,
    subtitleColor: "#555",
    offset: 12,
  },
  axis: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 500, grid: true, gridColor: "#eee" },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: "top", labelLimit: 420 },
  view: { stroke: null },
  range: {
    category: [
      "#1f6feb",
      "#f59e0b",
      "#10b981",
      "#8b5cf6",
      "#ef4444",
      "#06b6d4",
      "#84cc16",
      "#ec4899",
      "#64748b",
      "#a16207",
      "#0f766e",
      "#7c3aed",
      "#94a3b8",
    ],
  },
};

/** Marks that draw data (not axes, legends or titles): what the browser test counts. */
function countDataMarks(root) {
  let n = 0;
  for (const g of root.querySelectorAll("g.role-mark")) n += g.childElementCount;
  return n;
}

/** Splits text into lines of at most `max` characters, at spaces (Vega does not wrap titles). */
export function wrapText(text, max) {
  const lines = [];
  let line = "";
  for (const word of String(text).split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Draws a Vega-Lite spec at `width` pixels and resolves to the element. The element carries
 * `data-chart` (the chart's title) and, once drawn, `data-marks` (how many data marks it drew).
 */
export async function vegaChart(spec, { width = 640, height } = {}) {
  const div = document.createElement("div");
  div.className = "chart";
  const title = typeof spec.title === "string" ? spec.title : (spec.title?.text ?? "");
  div.dataset.chart = Array.isArray(title) ? title.join(" ") : title;
  const chars = Math.max(40, Math.floor((width - 20) / 6.6));
  if (spec.title && typeof spec.title === "object") {
    spec = {
      ...spec,
      title: {
        ...spec.title,
        text: wrapText(spec.title.text, Math.floor(chars * 0.8)),
        ...(spec.title.subtitle ? { subtitle: wrapText(spec.title.subtitle, chars) } : {}),
      },
    };
  }
  const full = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    ...spec,
    width:
      spec.facet || spec.repeat || spec.hconcat || spec.vconcat || spec.concat
        ? spec.width
        : (spec.width ?? Math.max(280, width - 160)),
    ...(height || spec.height ? { height: spec.height ?? height } : {}),
  };
  const result = await embed(div, full, { actions: false, renderer: "svg", tooltip: true });
  div.dataset.marks = String(countDataMarks(div));
  div.vegaView = result.view;
  return div;
}
