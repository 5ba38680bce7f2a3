import { psi, psiBands, scorePsi } from "../stats/index.ts";
import type { FeatureSet } from "./features.ts";
import type { PsiRow } from "./report.ts";

/**
 * Population stability between the training window and the newest population: of the score (bins
 * from the training score's deciles) and of each criterion (its cases; engagement by events 0, up to
 * 1, up to 3, more; negative criteria by whether they hold).
 */
export function driftRows(
  fs: FeatureSet,
  newTotal: Int32Array,
  train: Uint8Array,
  recent: Uint8Array,
): PsiRow[] {
  const pick = (values: ArrayLike<number>, mask: Uint8Array) => {
    const out: number[] = [];
    for (let i = 0; i < fs.rows; i++) if (mask[i]) out.push(values[i] as number);
    return Float64Array.from(out);
  };
  const row = (name: string, label: string, value: number): PsiRow => ({
    name,
    label,
    psi: value,
    band: psiBands(value),
  });
  const rows: PsiRow[] = [
    row("score", "Total score", scorePsi(pick(newTotal, train), pick(newTotal, recent), 10).psi),
  ];
  let b = 0;
  let m = 0;
  for (const t of fs.terms) {
    let bins: number;
    let binOf: (i: number) => number;
    if (t.kind === "column") {
      const block = fs.design.categorical[b++] as Int32Array;
      bins = t.cases.length + 1;
      binOf = (i) => {
        const c = block[i] as number;
        return c < 0 ? t.cases.length : c - t.first;
      };
    } else {
      const values = (fs.design.numeric[m++] as { values: Float64Array }).values;
      if (t.kind === "engagement") {
        bins = 4;
        binOf = (i) => {
          const x = values[i] as number;
          return x === 0 ? 0 : x <= 1 ? 1 : x <= 3 ? 2 : 3;
        };
      } else {
        bins = 2;
        binOf = (i) => ((values[i] as number) > 0 ? 1 : 0);
      }
    }
    const e = new Float64Array(bins);
    const a = new Float64Array(bins);
    for (let i = 0; i < fs.rows; i++) {
      if (train[i]) e[binOf(i)] = (e[binOf(i)] as number) + 1;
      else if (recent[i]) a[binOf(i)] = (a[binOf(i)] as number) + 1;
    }
    rows.push(row(t.name, t.label, psi(e, a)));
  }
  return rows;
}
