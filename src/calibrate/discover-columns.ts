import type { DuckDBConnection } from "@duckdb/node-api";
import { humanize, number } from "../scoring/labels.ts";
import type { ColumnCriterion, ValueRule } from "../scoring/schema.ts";
import { ident, num } from "../scoring/sql-fragments.ts";
import { groupCategories } from "../stats/binning.ts";
import { discoverBands, type FineBin, MIN_LEADS, MIN_SHARE, niceCut } from "./discover-bins.ts";
import type { FillRates, NamedCell } from "./leak-guard.ts";

/**
 * --discover: one lead column made a candidate criterion from counts DuckDB aggregates over the
 * training leads of cal_pop (never one object per lead): numeric columns in bands, categorical ones by
 * value with the rare values pooled into "other", or the reason it is no criterion; and how often it
 * has a value, for the leak guard.
 */

/** Fine bins DuckDB aggregates a numeric column into before the supervised merging. */
const FINE_BINS = 50;
/** Categorical values read one row each, most common first; the rest are summed (each is too rare to keep). */
const TOP_VALUES = 200;

export async function rowsOf(conn: DuckDBConnection, sql: string, params?: Record<string, string>) {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJson();
}

/** The training leads joined to their lead row, as a CTE body. */
const TRAIN =
  "select l.*, p.y as cal_y, p.as_of as cal_as_of from cal_pop as p join leads as l on l.lead_id = p.lead_id where p.part = 'train'";

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

/** A numeric column in bands (./discover-bins.ts), or why it is none; `minLeads` a case needs on its own. */
export async function numericCandidate(
  conn: DuckDBConnection,
  col: string,
  minLeads: number,
): Promise<Built> {
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
  const binned = discoverBands(fine, missing);
  if (binned.bands.length < 2 && missing.leads < minLeads)
    return {
      reason: `one band holds every training lead (${fine.length} distinct values, none differing enough in conversion): nothing to learn`,
    };
  const whole = fine.every((f) => Number.isInteger(f.lo) && Number.isInteger(f.hi));
  const cuts = binned.bands.slice(1).map((b, k) => niceCut((binned.bands[k] as FineBin).hi, b.lo));
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

/**
 * A categorical column by value (../stats/binning.ts's groupCategories: a value needs MIN_SHARE of the
 * leads with a value and MIN_LEADS; the rest pooled into "other"), or, when no value is that common,
 * whether it has a value at all; or why it is none. `minLeads`: what the missing and the "has a value"
 * cases need on their own for that fallback.
 */
export async function categoricalCandidate(
  conn: DuckDBConnection,
  col: string,
  minLeads: number,
): Promise<Built> {
  const v = `lower(trim(cast(t.${ident(col)} as varchar)))`;
  const head = (
    await rowsOf(
      conn,
      `with t as (${TRAIN})
       select ${missingCounts(col)},
         count(*) filter (where not ${missingSql(col)})::integer as pn,
         count(*) filter (where not ${missingSql(col)} and cal_y)::integer as pe,
         count(distinct ${v}) filter (where not ${missingSql(col)})::integer as d
       from t`,
    )
  )[0] as { mn: number; me: number; pn: number; pe: number; d: number };
  const present = Number(head.pn);
  const distinct = Number(head.d);
  if (present === 0) return { reason: "no training lead has a value" };
  if (distinct > 100 && distinct > 0.5 * present)
    return {
      reason: `nearly one value per lead (${distinct} distinct values among ${present} training leads): an identifier or free text, not a criterion`,
    };
  // The most common values one row each; the rest, each too rare to keep, summed as the tail.
  const top = (
    await rowsOf(
      conn,
      `with t as (${TRAIN}), a as (
         select ${v} as v, count(*)::integer as n, count(*) filter (where cal_y)::integer as e
         from t where not ${missingSql(col)} group by 1)
       select v, n, e from a order by n desc, v limit ${TOP_VALUES}`,
    )
  ).map((r) => ({ value: String(r.v), leads: Number(r.n), events: Number(r.e) }));
  const tail = {
    leads: present - top.reduce((s, r) => s + r.leads, 0),
    events: Number(head.pe) - top.reduce((s, r) => s + r.events, 0),
  };
  const missing = { label: "missing", leads: Number(head.mn), events: Number(head.me) };
  const { levels } = groupCategories(top, missing, { minShare: MIN_SHARE, minLeads: MIN_LEADS, tail });
  const kept = levels.filter((l) => !l.pooled);
  const pooled = levels.find((l) => l.pooled);
  const other = { leads: pooled?.leads ?? 0, events: pooled?.events ?? 0, values: distinct - kept.length };
  const least = Math.max(MIN_LEADS, Math.ceil(MIN_SHARE * present));
  if (kept.length === 0) {
    // No value is common enough on its own: what is left is whether the column has a value at all.
    if (missing.leads < minLeads || other.leads < minLeads)
      return {
        reason: `no value holds ${least} training leads (${distinct} values, all pooled as "other"), and ${missing.leads < minLeads ? "too few leads lack" : "too few leads have"} one (fewer than ${minLeads}) to compare having a value with not`,
      };
    const label = `any value (${distinct} values, none with ${least} leads)`;
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
  const nonEmpty = [missing, other, ...kept].filter((c) => c.leads > 0).length;
  if (nonEmpty < 2)
    return {
      reason: `one value for every training lead (${kept[0]?.label}): nothing to learn`,
    };
  const otherLabel = other.values
    ? `other (${other.values} value${other.values === 1 ? "" : "s"} under ${least} leads each)`
    : "other";
  return {
    criterion: {
      label: humanize(col),
      column: col,
      values: kept.map((k) => ({ in: [k.label], points: 0 })),
      missing: 0,
      otherwise: 0,
    },
    bands: kept.length,
    cases: [
      missing,
      ...kept.map((k) => ({ label: k.label, leads: k.leads, events: k.events })),
      { label: otherLabel, leads: other.leads, events: other.events },
    ],
  };
}

/** How often the column has a value among training leads, leads with an open outcome window, and since when. */
export async function fillRates(conn: DuckDBConnection, col: string): Promise<FillRates> {
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
