import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { humanize, number } from "../scoring/labels.ts";
import type { ColumnCriterion, Definition, EngagementCriterion, ValueRule } from "../scoring/schema.ts";
import { asList, ident, num } from "../scoring/sql-fragments.ts";
import { type Band, binNumeric, type FineBin, groupCategories, niceCut } from "./discover-bins.ts";
import { type FillRates, lateFillReason, type NamedCell, startedLateNote } from "./leak-guard.ts";
import type { LeftOut } from "./report.ts";

/**
 * --discover, first half: the candidates. Every lead column that is not an identifier, personal
 * data or the outcome, and not used by a criterion yet, becomes a fit criterion with bands (numeric:
 * supervised binning) or values (categorical: rare values pooled into "other"), from counts
 * aggregated in DuckDB over the training leads of cal_pop; every activity type the definition does
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

/** A value (or band) needs this share of the training leads, and at least MIN_LEADS of them. */
export const MIN_SHARE = 0.05;
export const MIN_LEADS = 30;
export const MAX_BANDS = 8;
/** Fine bins DuckDB aggregates a numeric column into before the supervised merging. */
const FINE_BINS = 50;

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

async function rowsOf(conn: DuckDBConnection, sql: string, params?: Record<string, string>) {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJson();
}

/** The training leads joined to their lead row, as a CTE body. */
const TRAIN =
  "select l.*, p.y as cal_y, p.as_of as cal_as_of from cal_pop as p join leads as l on l.lead_id = p.lead_id where p.part = 'train'";

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

type Built =
  | { criterion: Omit<ColumnCriterion, "name">; bands: number; cases: NamedCell[] }
  | { reason: string };

/** Missing as the scorer reads it: null, empty or blank. */
function missingSql(col: string): string {
  return `(t.${ident(col)} is null or trim(cast(t.${ident(col)} as varchar)) = '')`;
}

/** The training leads missing the column, and how many of them converted (mn, me). */
function missingCounts(col: string): string {
  return `count(*) filter (where ${missingSql(col)})::integer as mn,
    count(*) filter (where ${missingSql(col)} and cal_y)::integer as me`;
}

async function numericCandidate(conn: DuckDBConnection, col: string, minLeads: number): Promise<Built> {
  const x = `try_cast(t.${ident(col)} as double)`;
  const head = (
    await rowsOf(
      conn,
      `with t as (${TRAIN})
       select ${missingCounts(col)},
         count(distinct ${x})::integer as d,
         quantile_disc(${x}, [${Array.from({ length: FINE_BINS - 1 }, (_, k) => ((k + 1) / FINE_BINS).toFixed(4)).join(", ")}]) as q
       from t`,
    )
  )[0] as { mn: number; me: number; d: number; q: number[] | null };
  const missing = { label: "missing", leads: Number(head.mn), events: Number(head.me) };
  let fine: FineBin[];
  if (Number(head.d) <= FINE_BINS) {
    fine = (
      await rowsOf(
        conn,
        `with t as (${TRAIN}) select ${x} as v, count(*)::integer as n, count(*) filter (where cal_y)::integer as e
         from t where ${x} is not null group by 1 order by 1`,
      )
    ).map((r) => ({ lo: Number(r.v), hi: Number(r.v), leads: Number(r.n), events: Number(r.e) }));
  } else {
    const edges = [...new Set((head.q ?? []).map(Number))].sort((a, b) => a - b);
    const bucket = edges.length ? `len(list_filter([${edges.map(num).join(", ")}], e -> e < ${x}))` : "0";
    fine = (
      await rowsOf(
        conn,
        `with t as (${TRAIN}) select ${bucket} as b, min(${x}) as lo, max(${x}) as hi,
           count(*)::integer as n, count(*) filter (where cal_y)::integer as e
         from t where ${x} is not null group by 1 order by 1`,
      )
    ).map((r) => ({ lo: Number(r.lo), hi: Number(r.hi), leads: Number(r.n), events: Number(r.e) }));
  }
  if (fine.length === 0) return { reason: "no training lead has a value" };
  const binned = binNumeric(fine, { minLeads, maxBands: MAX_BANDS });
  if (binned.bands.length < 2 && missing.leads < minLeads)
    return {
      reason: `one band holds every training lead (${fine.length} distinct values, none differing enough in conversion): nothing to learn`,
    };
  const whole = fine.every((f) => Number.isInteger(f.lo) && Number.isInteger(f.hi));
  const cuts = binned.bands.slice(1).map((b, k) => niceCut((binned.bands[k] as Band).hi, b.lo));
  const bands: ValueRule[] = binned.bands.map((_, k) => {
    const min = k > 0 ? cuts[k - 1] : undefined;
    const max = k < cuts.length ? cuts[k] : undefined;
    return {
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      points: 0,
      label: bandLabel(min, max, whole),
    };
  });
  return {
    criterion: {
      label: humanize(col),
      column: col,
      bands,
      missing: 0,
      otherwise: 0,
      ...(binned.direction ? { monotone: binned.direction } : {}),
    },
    bands: bands.length,
    cases: [
      missing,
      ...binned.bands.map((b, k) => ({ label: bands[k]?.label ?? "", leads: b.leads, events: b.events })),
    ],
  };
}

/** "under 50", "50 to 199", "200 or more" (whole numbers); "0.5 to under 2" otherwise. */
export function bandLabel(min: number | undefined, max: number | undefined, whole: boolean): string {
  if (min === undefined && max === undefined) return "any value";
  if (min === undefined) return `under ${number(max as number)}`;
  if (max === undefined) return `${number(min)} or more`;
  if (whole) return max - 1 === min ? number(min) : `${number(min)} to ${number(max - 1)}`;
  return `${number(min)} to under ${number(max)}`;
}

async function categoricalCandidate(conn: DuckDBConnection, col: string, minLeads: number): Promise<Built> {
  const v = `lower(trim(cast(t.${ident(col)} as varchar)))`;
  const head = (
    await rowsOf(
      conn,
      `with t as (${TRAIN})
       select ${missingCounts(col)},
         count(*) filter (where not ${missingSql(col)})::integer as pn,
         count(distinct ${v}) filter (where not ${missingSql(col)})::integer as d
       from t`,
    )
  )[0] as { mn: number; me: number; pn: number; d: number };
  const present = Number(head.pn);
  const distinct = Number(head.d);
  if (present === 0) return { reason: "no training lead has a value" };
  if (distinct > 100 && distinct > 0.5 * present)
    return {
      reason: `nearly one value per lead (${distinct} distinct values among ${present} training leads): an identifier or free text, not a criterion`,
    };
  // The most common values and the rest summed: anything beyond the first 200 is rare enough to pool.
  const top = (
    await rowsOf(
      conn,
      `with t as (${TRAIN}), a as (
         select ${v} as v, count(*)::integer as n, count(*) filter (where cal_y)::integer as e
         from t where not ${missingSql(col)} group by 1)
       select v, n, e from a order by n desc, v limit 200`,
    )
  ).map((r) => ({ value: String(r.v), leads: Number(r.n), events: Number(r.e) }));
  const topLeads = top.reduce((s, r) => s + r.leads, 0);
  const topEvents = top.reduce((s, r) => s + r.events, 0);
  const restTotals = (
    await rowsOf(
      conn,
      `with t as (${TRAIN}) select count(*) filter (where cal_y)::integer as e from t where not ${missingSql(col)}`,
    )
  )[0];
  const grouped = groupCategories(top, { minLeads, maxValues: 20 });
  const other = {
    leads: grouped.other.leads + (present - topLeads),
    events: grouped.other.events + (Number(restTotals?.e ?? 0) - topEvents),
    values: grouped.other.values + Math.max(0, distinct - top.length),
  };
  const missing = { label: "missing", leads: Number(head.mn), events: Number(head.me) };
  if (grouped.kept.length === 0) {
    // No value is common enough on its own: what is left is whether the column has a value at all.
    if (missing.leads < minLeads || other.leads < minLeads)
      return {
        reason: `no value holds ${minLeads} training leads (${distinct} values, all pooled as "other"), and ${missing.leads < minLeads ? "too few leads lack" : "too few leads have"} one to compare having a value with not`,
      };
    const label = `any value (${distinct} values, none with ${minLeads} leads)`;
    return {
      criterion: {
        label: humanize(col),
        column: col,
        values: [{ matches: ".", points: 0, label }],
        missing: 0,
        otherwise: 0,
      },
      bands: 1,
      cases: [
        missing,
        { label, leads: other.leads, events: other.events },
        { label: "other", leads: 0, events: 0 },
      ],
    };
  }
  const nonEmpty = [missing, other, ...grouped.kept].filter((c) => c.leads > 0).length;
  if (nonEmpty < 2)
    return {
      reason: `one value for every training lead (${grouped.kept[0]?.value}): nothing to learn`,
    };
  const otherLabel = other.values
    ? `other (${other.values} value${other.values === 1 ? "" : "s"} under ${minLeads} leads each)`
    : "other";
  return {
    criterion: {
      label: humanize(col),
      column: col,
      values: grouped.kept.map((k) => ({ in: [k.value], points: 0 })),
      missing: 0,
      otherwise: 0,
    },
    bands: grouped.kept.length,
    cases: [
      missing,
      ...grouped.kept.map((k) => ({ label: k.value, leads: k.leads, events: k.events })),
      { label: otherLabel, leads: other.leads, events: other.events },
    ],
  };
}

/** How often the column has a value among training leads, leads with an open outcome window, and since when. */
async function fillRates(conn: DuckDBConnection, col: string): Promise<FillRates> {
  const r = (
    await rowsOf(
      conn,
      `with t as (
         select p.part, p.status, p.as_of, p.y, not ${missingSql(col)} as filled
         from cal_pop as p join leads as t on t.lead_id = p.lead_id),
       f as (select min(as_of) filter (where filled) as first from t where part = 'train')
       select count(*) filter (where part = 'train')::integer as tn,
         count(*) filter (where part = 'train' and filled)::integer as tf,
         count(*) filter (where part = 'train' and y)::integer as te,
         count(*) filter (where status = 'open')::integer as opn,
         count(*) filter (where status = 'open' and filled)::integer as opf,
         strftime((select first from f), '%Y-%m-%d') as first,
         count(*) filter (where part = 'train' and as_of < (select first from f))::integer as before
       from t`,
    )
  )[0];
  const openLeads = Number(r?.opn ?? 0);
  return {
    train: { leads: Number(r?.tn ?? 0), events: Number(r?.te ?? 0), filled: Number(r?.tf ?? 0) },
    open: openLeads ? { leads: openLeads, filled: Number(r?.opf ?? 0) } : null,
    firstFilled: r?.first ? String(r.first) : null,
    trainingBefore: Number(r?.before ?? 0),
  };
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
