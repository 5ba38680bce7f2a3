import type { Db } from "../db/connection.ts";
import type { LoadedDefinition } from "../scoring/load-definition.ts";
import { buildScoreQuery } from "../scoring/score-query.ts";
import { fitLogistic, predictLogit } from "../stats/logistic.ts";
import type { FeatureSet } from "./features.ts";
import { readColumns } from "./read-columns.ts";
import type { WindowInfo } from "./report.ts";
import { type Sample, UNSAMPLED } from "./sample.ts";

/**
 * The pieces calibration needs around its holdout: masks of the feature rows by part, the draft's
 * scores of the holdout leads through the real scorer, a probability for points that carry none, and
 * the training, holdout and recent windows in words.
 */

export function partMask(fs: FeatureSet, code: number): Uint8Array {
  const m = new Uint8Array(fs.rows);
  for (let i = 0; i < fs.rows; i++) m[i] = fs.part[i] === code ? 1 : 0;
  return m;
}

export function pick<T extends Int32Array | Float64Array | Uint8Array>(values: T, mask: Uint8Array): T {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] as number;
  const out = new (values.constructor as new (n: number) => T)(n);
  let j = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[j++] = values[i] as number;
  return out;
}

export function countMismatch(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** A one-column logistic fit of points on the training window, applied to the holdout. */
export function mapPointsToProbability(
  total: Int32Array,
  train: Uint8Array,
  labels: Uint8Array,
  hold: Uint8Array,
): Float64Array {
  const values = Float64Array.from(total);
  const design = { rows: total.length, columns: 1, categorical: [], numeric: [{ column: 0, values }] };
  const f = fitLogistic(design, labels, { l2: 1e-6, rowMask: train });
  const logit = predictLogit(design, f);
  const p = new Float64Array(logit.length);
  for (let i = 0; i < p.length; i++) p[i] = 1 / (1 + Math.exp(-(logit[i] as number)));
  return pick(p, hold);
}

/** The draft's scores of the holdout leads (those sampled, when the holdout was), in the order of the feature rows (lead_id). */
export async function scoreHoldout(
  db: Db,
  draft: LoadedDefinition,
  sample: Sample = UNSAMPLED,
): Promise<{ total: Int32Array; probability: Float64Array }> {
  const conn = db.conn;
  await conn.run(
    `create or replace temp table cal_hold as select lead_id, as_of from cal_pop where part = 'holdout'${sample.where ? ` and ${sample.where}` : ""}`,
  );
  const q = buildScoreQuery(draft.def, { scope: { kind: "table", table: "cal_hold" } });
  const n = Number(
    (await conn.runAndReadAll("select count(*)::integer as n from cal_hold")).getRowObjectsJson()[0]?.n ?? 0,
  );
  const [total, probability] = await readColumns(
    conn,
    `select total, coalesce(probability, 'NaN'::double) from (${q.sql}) order by lead_id`,
    ["i32", "f64"],
    n,
    q.params,
  );
  await conn.run("drop table cal_hold");
  return { total: total as Int32Array, probability: probability as Float64Array };
}

export async function windowOf(conn: Db["conn"], part: "train" | "holdout" | "recent"): Promise<WindowInfo> {
  const where = part === "recent" ? "status = 'open'" : `part = '${part}'`;
  const r = (
    await conn.runAndReadAll(
      `select strftime(min(as_of), '%Y-%m-%d') as f, strftime(max(as_of), '%Y-%m-%d') as t,
         count(*)::integer as n, count(*) filter (where y)::integer as c
       from cal_pop where ${where}`,
    )
  ).getRowObjectsJson()[0];
  const dated = r?.f !== null && r?.f !== undefined && !String(r.f).startsWith("2100");
  return {
    from: dated ? String(r?.f) : null,
    to: dated ? String(r?.t) : null,
    leads: Number(r?.n ?? 0),
    conversions: Number(r?.c ?? 0),
  };
}

export function describeWindow(w: WindowInfo): string {
  const when = w.from ? `leads scored ${w.from} to ${w.to}` : "leads";
  return `${w.leads} ${when} (${w.conversions} converted)`;
}
