// A table with a CSV download under it. `columns` is [{key, label, format?}], in display order.
import * as Inputs from "@observablehq/inputs";
import { downloadButton } from "./download.js";

export function dataTable(rows, { columns, filename, rows: visibleRows = 12, width } = {}) {
  const keys = columns.map((c) => c.key);
  const table = Inputs.table(rows, {
    columns: keys,
    header: Object.fromEntries(columns.map((c) => [c.key, c.label ?? c.key])),
    format: Object.fromEntries(columns.filter((c) => c.format).map((c) => [c.key, c.format])),
    align: Object.fromEntries(columns.filter((c) => c.align).map((c) => [c.key, c.align])),
    select: false,
    rows: Math.min(Math.max(rows.length, 1), visibleRows) + 0.5,
    layout: "auto",
    width,
  });
  const wrap = document.createElement("div");
  wrap.className = "data-table";
  const csvRows = rows.map((r) => Object.fromEntries(columns.map((c) => [c.label ?? c.key, r[c.key]])));
  wrap.append(table, downloadButton(csvRows, filename));
  return wrap;
}
