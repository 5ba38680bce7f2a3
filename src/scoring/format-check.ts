import type { DataCheck } from "./check.ts";
import { formatPath } from "./load-definition.ts";

/** `definition check` output: findings first (errors, warnings, notes), then coverage and stages. */
export function formatCheck(check: DataCheck, dbPath: string): string[] {
  const fmt = (n: number) => n.toLocaleString("en-US");
  const out: string[] = [];
  out.push(
    `Against ${dbPath} (${fmt(check.leads)} leads, ${fmt(check.activities)} activities)${check.asOf ? `, as of ${check.asOf} UTC` : ""}:`,
  );
  const order = { error: 0, warning: 1, info: 2 } as const;
  const findings = [...check.findings].sort(
    (a, b) => order[a.level] - order[b.level] || (a.line ?? 0) - (b.line ?? 0),
  );
  for (const f of findings) {
    const where = [f.line !== undefined ? `line ${f.line}` : "", formatPath(f.path)]
      .filter(Boolean)
      .join(", ");
    const level = f.level === "info" ? "note" : f.level;
    out.push(`  ${level.padEnd(8)} ${where ? `${where}: ` : ""}${f.message}`);
  }
  if (check.coverage.length) {
    out.push("", "How far each criterion reaches:");
    const rows = check.coverage.map((c) => [
      c.section,
      c.name,
      c.reads,
      c.leadsWithValue === undefined ? "" : pct(c.leadsWithValue, check.leads),
      pct(c.leadsAffected, check.leads),
    ]);
    const head = ["section", "criterion", "reads", "has a value", "gets points / meets it"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]) =>
      `  ${r.map((v, i) => (i >= 3 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join("  ")}`;
    out.push(line(head));
    for (const r of rows) out.push(line(r));
  }
  if (check.byStage.length) {
    out.push(
      "",
      `Stages if scored now: ${check.byStage.map((s) => `${s.stage} ${fmt(s.leads)} (${pct(s.leads, check.leads)})`).join(", ")}`,
    );
  }
  const errors = check.findings.filter((f) => f.level === "error").length;
  const warnings = check.findings.filter((f) => f.level === "warning").length;
  out.push("", `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.`);
  return out;
}

function pct(n: number, of: number): string {
  if (of === 0) return "-";
  const p = (100 * n) / of;
  return `${p > 0 && p < 0.1 ? "<0.1" : p.toFixed(1)}%`;
}
