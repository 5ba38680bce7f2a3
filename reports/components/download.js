// A "Download CSV" button for a table's rows. The CSV is written in the browser from the rows the
// page already has (RFC 4180 quoting), so it needs no extra file and follows the page's filters.

function csvCell(v) {
  if (v === null || v === undefined) return "";
  const s = Array.isArray(v) ? v.join("; ") : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** rows -> CSV text; `columns` fixes the column order (default: keys of the first row). */
export function toCSV(rows, columns = rows.length ? Object.keys(rows[0]) : []) {
  const lines = [columns.map(csvCell).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function downloadButton(rows, filename, { columns, label = "Download CSV" } = {}) {
  const wrap = document.createElement("div");
  wrap.className = "download";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = `${label} (${rows.length} ${rows.length === 1 ? "row" : "rows"})`;
  button.onclick = () => {
    const blob = new Blob([toCSV(rows, columns)], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  wrap.append(button);
  return wrap;
}
