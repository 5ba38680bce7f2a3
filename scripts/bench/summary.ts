import type { BenchRecord } from "./step.ts";

/** A summary line of one size. */
export type SizedRecord = BenchRecord & { leads: number };

const int = (n: number) => Math.round(n).toLocaleString("en-US");

function rate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

function cell(r: SizedRecord | undefined): string {
  if (r?.seconds === undefined) return "";
  const perS = r.rows !== undefined ? ` · ${rate(r.rows / r.seconds)} ${r.unit ?? "rows"}/s` : "";
  const mem =
    r.peakRssMiB !== undefined && Number.isFinite(r.peakRssMiB) ? ` · ${int(r.peakRssMiB)} MiB` : "";
  return `${r.seconds.toFixed(1)} s${perS}${mem}`;
}

/**
 * How a step's time and memory grew from the smallest size to the largest, against the number of
 * leads: the exponent k in time ~ leads^k (1 is linear; above about 1.1 is worth explaining).
 */
function growth(small: SizedRecord | undefined, large: SizedRecord | undefined): string {
  if (small?.seconds === undefined || large?.seconds === undefined || small.leads === large.leads) return "";
  const n = large.leads / small.leads;
  const t = large.seconds / small.seconds;
  const k = Math.log(t) / Math.log(n);
  const mem =
    small.peakRssMiB &&
    large.peakRssMiB &&
    Number.isFinite(small.peakRssMiB) &&
    Number.isFinite(large.peakRssMiB)
      ? `, memory x${(large.peakRssMiB / small.peakRssMiB).toFixed(1)}`
      : "";
  return `time x${t.toFixed(1)} (leads^${k.toFixed(2)})${mem}`;
}

/** The built site's bytes at the smallest and the largest size, and the file that changed most. */
function siteLines(records: SizedRecord[], sizes: number[]): string[] {
  const sites = sizes
    .map((leads) => ({ leads, files: records.find((r) => r.leads === leads && r.files)?.files }))
    .filter((s): s is { leads: number; files: Record<string, number> } => s.files !== undefined);
  if (sites.length === 0) return [];
  const total = (f: Record<string, number>) => Object.values(f).reduce((s, b) => s + b, 0);
  const lines = [
    "",
    `Site: ${sites.map((s) => `${int(total(s.files) / 1024)} KiB in ${Object.keys(s.files).length} files at ${int(s.leads)} leads`).join("; ")}.`,
  ];
  const first = sites[0];
  const last = sites[sites.length - 1];
  if (first && last && first !== last) {
    let worst: { name: string; a: number; b: number } | null = null;
    for (const [name, b] of Object.entries(last.files)) {
      const a = first.files[name];
      if (a === undefined || a < 1024) continue;
      if (!worst || b / a > worst.b / worst.a) worst = { name, a, b };
    }
    if (worst) {
      lines.push(
        `Largest growth of one file (over 1 KiB): ${worst.name}, ${int(worst.a)} to ${int(worst.b)} bytes (x${(worst.b / worst.a).toFixed(2)}).`,
      );
    }
    const added = Object.keys(last.files).filter((n) => !(n in first.files));
    if (added.length) lines.push(`Files only at ${int(last.leads)} leads: ${added.join(", ")}.`);
  }
  return lines;
}

/** The summary as a Markdown table, one row per step, one column per size. */
export function summaryTable(records: SizedRecord[], sizes: number[]): string[] {
  const steps = [...new Set(records.filter((r) => r.seconds !== undefined).map((r) => r.step))];
  const find = (step: string, leads: number | undefined) =>
    records.find((r) => r.step === step && r.leads === leads && r.seconds !== undefined);
  const multi = sizes.length > 1;
  const head = ["step", ...sizes.map((n) => `${int(n)} leads`), ...(multi ? ["growth"] : [])];
  const lines = [
    "Summary (wall time · throughput · peak resident memory of the step's process)",
    "",
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
  ];
  for (const step of steps) {
    const cells = sizes.map((n) => cell(find(step, n)));
    const g = multi ? [growth(find(step, sizes[0]), find(step, sizes[sizes.length - 1]))] : [];
    lines.push(`| ${[step, ...cells, ...g].join(" | ")} |`);
  }
  return [...lines, ...siteLines(records, sizes)];
}
