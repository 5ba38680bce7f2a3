import type { DuckDBConnection } from "@duckdb/node-api";
import { labelOf, ruleLabel } from "../scoring/labels.ts";
import type {
  ColumnCriterion,
  Definition,
  EngagementCriterion,
  NegativeCriterion,
} from "../scoring/schema.ts";
import { buildScoreQuery } from "../scoring/score-query.ts";
import { ident, num } from "../scoring/sql-fragments.ts";
import type { Design } from "../stats/logistic.ts";
import { type ColumnKind, readColumns } from "./read-columns.ts";
import { type Sample, UNSAMPLED } from "./sample.ts";

/**
 * What gets points, as model terms, and the design matrix built from the definition's own scoring
 * query (so a feature is exactly what the scorer computes, point-in-time):
 * - a column criterion (fit, situational) is one block of indicator columns, one per case: missing,
 *   each rule in order, other. A lead has one active case, or none when another criterion of its
 *   group applied.
 * - an engagement criterion is one numeric column: its events in the window, each weighted by its
 *   decay, capped where the criterion has a cap (the cap, in events, stays what it was); its
 *   coefficient becomes the new points per event.
 * - a negative criterion is one 0/1 column: whether it holds.
 */
export type Term =
  | {
      kind: "column";
      section: "fit" | "situational";
      index: number;
      name: string;
      label: string;
      criterion: ColumnCriterion;
      /** Global column of case 0 (missing); case k is first + k. */
      first: number;
      /** The cases in words: missing, each rule, other. */
      cases: string[];
    }
  | {
      kind: "engagement";
      index: number;
      name: string;
      label: string;
      criterion: EngagementCriterion;
      column: number;
      /** The criterion's cap in (decayed) events, or null when it has none. */
      capEvents: number | null;
    }
  | {
      kind: "negative";
      index: number;
      name: string;
      label: string;
      criterion: NegativeCriterion;
      column: number;
    };

export function termsOf(def: Definition): { terms: Term[]; columns: number } {
  const terms: Term[] = [];
  let next = 0;
  for (const section of ["fit", "situational"] as const) {
    def[section].forEach((c, index) => {
      const rules = c.bands ?? c.values ?? [];
      const cases = ["missing", ...rules.map(ruleLabel), "other"];
      terms.push({
        kind: "column",
        section,
        index,
        name: c.name,
        label: labelOf(c),
        criterion: c,
        first: next,
        cases,
      });
      next += cases.length;
    });
  }
  def.engagement.criteria.forEach((c, index) => {
    const capEvents = c.cap !== undefined && c.points !== 0 ? c.cap / Math.abs(c.points) : null;
    terms.push({
      kind: "engagement",
      index,
      name: c.name,
      label: labelOf(c),
      criterion: c,
      column: next++,
      capEvents,
    });
  });
  def.negative.forEach((c, index) => {
    terms.push({ kind: "negative", index, name: c.name, label: labelOf(c), criterion: c, column: next++ });
  });
  return { terms, columns: next };
}

/** Part of the population a row belongs to. */
export const PART = { train: 0, holdout: 1, recent: 2 } as const;

export interface FeatureSet {
  rows: number;
  design: Design;
  terms: Term[];
  labels: Uint8Array;
  part: Uint8Array;
  /** The champion's total points and probability (NaN when it carries no calibration). */
  championTotal: Int32Array;
  championProbability: Float64Array;
  /** The champion's fit + situational points and engagement points (what min_fit and min_engagement read). */
  championFit: Int32Array;
  championEngagement: Int32Array;
  /** Per column term: the active case (-1 when another criterion of its group applied). */
  caseOf: Map<string, Int32Array>;
}

/**
 * Scores the population (cal_pop rows in training, holdout, or open for the recent population) with
 * the champion definition and its per-criterion columns, into the temp table cal_feat, and reads the
 * design into typed arrays.
 */
export async function buildFeatures(
  conn: DuckDBConnection,
  def: Definition,
  sample: Sample = UNSAMPLED,
): Promise<FeatureSet> {
  await scoreFeatures(conn, def, sample);
  return readFeatures(conn, def);
}

/**
 * Scores the population (only its sampled leads when a part was over the cap, ./sample.ts) with `def`
 * and its per-criterion columns into the temp table cal_feat.
 */
export async function scoreFeatures(
  conn: DuckDBConnection,
  def: Definition,
  sample: Sample = UNSAMPLED,
): Promise<void> {
  const read = "part in ('train', 'holdout') or status = 'open'";
  await conn.run(
    `create or replace temp table cal_moments as
     select lead_id, as_of from cal_pop where ${sample.where ? `(${read}) and ${sample.where}` : read}`,
  );
  const query = buildScoreQuery(def, { scope: { kind: "table", table: "cal_moments" }, withCriteria: true });
  await conn.run(
    `create or replace temp table cal_feat as
     select q.*, p.y, case when p.part = 'train' then 0 when p.part = 'holdout' then 1 else 2 end as part_code
     from (${query.sql}) as q join cal_pop as p on p.lead_id = q.lead_id
     order by part_code, q.lead_id`,
    query.params,
  );
}

/**
 * Reads the design of `def` from cal_feat. `def` may be a part of the definition cal_feat was scored
 * with: its criteria are read by name (discovery scores every candidate once, at zero points, and
 * reads the design of the champion plus the candidates it keeps from the same table).
 */
export async function readFeatures(conn: DuckDBConnection, def: Definition): Promise<FeatureSet> {
  const rows = Number(
    (await conn.runAndReadAll("select count(*)::integer as n from cal_feat")).getRowObjectsJson()[0]?.n ?? 0,
  );
  const { terms, columns } = termsOf(def);
  const selects: string[] = [
    "coalesce(y, false)",
    "part_code::integer",
    "total",
    "coalesce(probability, 'NaN'::double)",
    "fit + situational",
    "engagement",
  ];
  const kinds: ColumnKind[] = ["u8", "i32", "i32", "f64", "i32", "i32"];
  for (const t of terms) {
    if (t.kind === "column") {
      selects.push(`case when ${ident(`counts_${t.name}`)} then ${ident(`rule_${t.name}`)} else -1 end`);
      kinds.push("i32");
    } else if (t.kind === "engagement") {
      const w = `coalesce(${ident(`w_${t.name}`)}, 0.0)`;
      selects.push(t.capEvents !== null ? `least(${w}, ${num(t.capEvents)})` : w);
      kinds.push("f64");
    } else {
      selects.push(`coalesce(${ident(`hit_${t.name}`)}, false)::integer::double`);
      kinds.push("f64");
    }
  }
  const cols = await readColumns(
    conn,
    `select ${selects.join(", ")} from cal_feat order by part_code, lead_id`,
    kinds,
    rows,
  );
  const labels = cols[0] as Uint8Array;
  const partCode = cols[1] as Int32Array;
  const part = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) part[i] = partCode[i] as number;
  const design: Design = { rows, columns, categorical: [], numeric: [] };
  const caseOf = new Map<string, Int32Array>();
  terms.forEach((t, k) => {
    const col = cols[6 + k] as Int32Array | Float64Array;
    if (t.kind === "column") {
      const cases = col as Int32Array;
      caseOf.set(t.name, cases);
      const active = new Int32Array(rows);
      for (let i = 0; i < rows; i++) {
        const c = cases[i] as number;
        active[i] = c < 0 ? -1 : t.first + c;
      }
      design.categorical.push(active);
    } else {
      design.numeric.push({ column: t.column, values: col as Float64Array });
    }
  });
  return {
    rows,
    design,
    terms,
    labels,
    part,
    championTotal: cols[2] as Int32Array,
    championProbability: cols[3] as Float64Array,
    championFit: cols[4] as Int32Array,
    championEngagement: cols[5] as Int32Array,
    caseOf,
  };
}
