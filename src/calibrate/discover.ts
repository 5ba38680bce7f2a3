import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { humanize } from "../scoring/labels.ts";
import type { ColumnCriterion, Definition, EngagementCriterion } from "../scoring/schema.ts";
import { asList } from "../scoring/sql-fragments.ts";
import { MIN_LEADS, MIN_SHARE } from "./discover-bins.ts";
import { categoricalCandidate, fillRates, numericCandidate, rowsOf } from "./discover-columns.ts";
import { lateFillReason, type NamedCell, startedLateNote } from "./leak-guard.ts";
import type { LeftOut } from "./report.ts";

/**
 * --discover, first half: the candidates. Every lead column that is not an identifier, personal
 * data or the outcome, and not used by a criterion yet, becomes a fit criterion with bands (numeric:
 * supervised binning) or values (categorical: rare values pooled into "other"), from counts
 * aggregated in DuckDB over the training leads of cal_pop (./discover-columns.ts); every activity type the definition does
 * not use becomes an engagement criterion with the section's default window and decay. All at zero
 * points: the rest of the pipeline scores them with the real scorer and fits their points.
 */

/** Columns that are never criteria: identifiers, personal data, bookkeeping and the outcome itself. */
export const NOT_CRITERIA = [
  "lead_id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "company",
  "owner",
  "batch_id",
  "created_at",
  "updated_at",
  "is_converted",
  "lifecycle_stage",
] as const;

export interface Candidate {
  /** The column or activity type, as the data spell it. */
  source: string;
  kind: "numeric" | "categorical" | "activity";
  section: "fit" | "engagement";
  criterion: ColumnCriterion | EngagementCriterion;
  /** Bands or values the criterion has (missing and other not counted). */
  bands: number;
  /** Training counts per case (column candidates: missing, each rule, other), for IV and the leak guard. */
  cases: NamedCell[];
  /** Set when the values seem to arrive after the scoring moment (see leak-guard). */
  lateFill: string | null;
  /** Remarks for the report (recorded only since a date). */
  remarks: string[];
  /** Named with --include. */
  included: boolean;
}

export interface Prepared {
  candidates: Candidate[];
  /** Looked at but not made a candidate (constant, identifier-like, a date, too rare), or --exclude. */
  leftOut: (LeftOut & { kind?: "numeric" | "categorical" | "activity" })[];
  notes: string[];
}

const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/i;
const DATE_TYPES = /^(DATE|TIME.*|TIMESTAMP.*|INTERVAL)$/i;

/** Columns and activity types the definition reads already. */
export function usedByDefinition(def: Definition): { columns: Set<string>; activities: Set<string> } {
  const columns = new Set<string>();
  const activities = new Set<string>();
  for (const c of [...def.fit, ...def.situational]) columns.add(c.column);
  for (const c of def.engagement.criteria) for (const a of asList(c.activity)) activities.add(a);
  for (const n of def.negative) {
    for (const cond of [n, ...(n.any_of ?? [])]) {
      if (cond.column) columns.add(cond.column);
      for (const a of asList(cond.activity)) activities.add(a);
    }
  }
  return { columns, activities };
}

function slugOf(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[a-z]/.test(s) ? s : `x_${s}`;
}

function allNames(def: Definition): Set<string> {
  return new Set([
    ...def.fit.map((c) => c.name),
    ...def.situational.map((c) => c.name),
    ...def.engagement.criteria.map((c) => c.name),
    ...def.negative.map((c) => c.name),
  ]);
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = slugOf(base);
  for (let k = 2; taken.has(name); k++) name = `${slugOf(base)}_${k}`;
  taken.add(name);
  return name;
}

export async function prepareCandidates(
  conn: DuckDBConnection,
  def: Definition,
  opts: { exclude: string[]; include: string[] },
): Promise<Prepared> {
  const notes: string[] = [];
  const leftOut: Prepared["leftOut"] = [];
  const used = usedByDefinition(def);
  const columns = (
    await rowsOf(
      conn,
      "select column_name as c, data_type as t from information_schema.columns where table_name = 'leads' and table_schema = 'main' order by ordinal_position",
    )
  ).map((r) => ({ name: String(r.c), type: String(r.t) }));
  const activityTypes = (
    await rowsOf(conn, "select distinct activity_type as a from activities order by 1")
  ).map((r) => String(r.a));
  const known = new Set([...columns.map((c) => c.name), ...activityTypes]);
  for (const [flag, list] of [
    ["--exclude", opts.exclude],
    ["--include", opts.include],
  ] as const) {
    for (const x of list) {
      if (!known.has(x))
        throw new UserError(
          `${flag}: ${JSON.stringify(x)} is neither a column of leads nor an activity type in the data (columns: ${columns
            .map((c) => c.name)
            .filter((c) => !(NOT_CRITERIA as readonly string[]).includes(c))
            .join(", ")})`,
        );
      if (flag === "--include" && (NOT_CRITERIA as readonly string[]).includes(x))
        throw new UserError(
          `--include: ${x} is an identifier, personal data or the outcome itself: never a criterion`,
        );
      if (flag === "--include" && (used.columns.has(x) || used.activities.has(x)))
        throw new UserError(`--include: ${x} is already used by a criterion of the definition`);
      if (flag === "--include" && opts.exclude.includes(x))
        throw new UserError(`${x} is named by both --include and --exclude`);
    }
  }
  const exclude = new Set(opts.exclude);
  const include = new Set(opts.include);
  const taken = allNames(def);
  const trainLeads = Number(
    (await rowsOf(conn, "select count(*)::integer as n from cal_pop where part = 'train'"))[0]?.n ?? 0,
  );
  const minLeads = Math.max(Math.ceil(MIN_SHARE * trainLeads), MIN_LEADS);
  const candidates: Candidate[] = [];
  const skipped = columns.filter(
    (c) => (NOT_CRITERIA as readonly string[]).includes(c.name) || used.columns.has(c.name),
  );
  notes.push(
    `--discover did not look at identifiers, personal data, the outcome, or columns the definition already uses (${skipped.map((c) => c.name).join(", ")})`,
  );
  for (const col of columns) {
    if ((NOT_CRITERIA as readonly string[]).includes(col.name) || used.columns.has(col.name)) continue;
    if (exclude.has(col.name)) {
      leftOut.push({ name: col.name, reason: "excluded by --exclude" });
      continue;
    }
    if (DATE_TYPES.test(col.type)) {
      leftOut.push({
        name: col.name,
        reason: `a ${col.type.toLowerCase()} column: says when, not who; not a criterion`,
      });
      continue;
    }
    const numeric = NUMERIC_TYPES.test(col.type);
    const c = numeric
      ? await numericCandidate(conn, col.name, minLeads)
      : await categoricalCandidate(conn, col.name, minLeads);
    if ("reason" in c) {
      leftOut.push({ name: col.name, reason: c.reason, kind: numeric ? "numeric" : "categorical" });
      continue;
    }
    const fill = await fillRates(conn, col.name);
    const criterion = { ...c.criterion, name: uniqueName(col.name, taken) };
    candidates.push({
      source: col.name,
      kind: numeric ? "numeric" : "categorical",
      section: "fit",
      criterion,
      bands: c.bands,
      cases: c.cases,
      lateFill: lateFillReason(fill),
      remarks: [startedLateNote(fill)].filter((x): x is string => x !== null),
      included: include.has(col.name),
    });
  }
  if (!(await rowsOf(conn, "select 1 from cal_pop where status = 'open' limit 1")).length)
    notes.push(
      "no lead has an open outcome window, so whether a column's values arrive after the scoring moment could not be checked",
    );

  const leadsWith = new Map(
    (
      await rowsOf(
        conn,
        `select a.activity_type as a, count(distinct a.lead_id)::integer as n
         from activities as a join cal_pop as p on p.lead_id = a.lead_id
         where p.part = 'train' and a.occurred_at < p.as_of group by 1`,
      )
    ).map((r) => [String(r.a), Number(r.n)]),
  );
  for (const type of activityTypes) {
    if (used.activities.has(type)) continue;
    if (exclude.has(type)) {
      leftOut.push({ name: type, reason: "excluded by --exclude" });
      continue;
    }
    const n = leadsWith.get(type) ?? 0;
    if (n < MIN_LEADS) {
      leftOut.push({
        name: type,
        reason: `too rare: ${n} training leads had one before their scoring moment (fewer than ${MIN_LEADS})`,
        kind: "activity",
      });
      continue;
    }
    candidates.push({
      source: type,
      kind: "activity",
      section: "engagement",
      criterion: {
        name: uniqueName(type, taken),
        label: humanize(slugOf(type)),
        activity: type,
        points: 0,
      },
      bands: 1,
      cases: [],
      lateFill: null,
      remarks: [],
      included: include.has(type),
    });
  }
  return { candidates, leftOut, notes };
}

/** The definition with candidates appended (fit criteria after the fit list, engagement after its criteria). */
export function withCandidates(def: Definition, candidates: readonly Candidate[]): Definition {
  return {
    ...def,
    fit: [
      ...def.fit,
      ...candidates.filter((c) => c.section === "fit").map((c) => c.criterion as ColumnCriterion),
    ],
    engagement: {
      ...def.engagement,
      criteria: [
        ...def.engagement.criteria,
        ...candidates
          .filter((c) => c.section === "engagement")
          .map((c) => c.criterion as EngagementCriterion),
      ],
    },
  };
}
