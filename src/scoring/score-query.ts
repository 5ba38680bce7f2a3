import { stageAndLater } from "../vocabulary.ts";
import { conditionsOf } from "./definition-walkers.ts";
import { labelOf, requiredFieldColumns, requiredFieldLabel, ruleLabel } from "./labels.ts";
import { completenessStage, conditionKind } from "./rules.ts";
import type { ColumnCriterion, Condition, Decay, Definition } from "./schema.ts";
import { BASE_STAGE, DISQUALIFIED_STAGE } from "./schema.ts";
import {
  activityMatch,
  asList,
  bigint,
  type ColumnRef,
  columnConditionExpr,
  decayExpr,
  directRef,
  ident,
  int,
  missingExpr,
  num,
  ruleExpr,
  signed,
  str,
} from "./sql-fragments.ts";

export { activityTypesUsed, columnsUsed, patternsUsed } from "./definition-walkers.ts";

/**
 * Builds the one set-based query that scores every lead in scope from a definition.
 *
 * Grain of the result: one row per lead and moment in scope (lead_id, as_of); a table of moments
 * may hold the same lead at several moments. The shape, as CTEs:
 *   scope   - which leads are scored and the moment each is scored as of;
 *   ev      - their activities before that moment, no further back than the longest window, of the
 *             types the criteria read;
 *   eng     - one row per lead and moment: decayed points and counts per engagement criterion, activity hits
 *             and the age of the last activity for negative criteria;
 *   evu/engu - the same for criteria over the whole history (an unsubscribe at any time), reading
 *             only their own activity types;
 *   parts   - one row per lead: the rule each column criterion matched, engagement points after
 *             caps and rounding, which negative criteria hold, which required fields are present;
 *   pts     - points per criterion (group alternatives resolved);
 *   totals  - fit, situational, engagement, negative, total, disqualified, completeness;
 *   staged  - grade, stage by points, stage after completeness;
 *   ranked  - the contributions ranked, as integer keys;
 * then the final select adds the probability (when calibrated) and the top reasons in words.
 *
 * Point in time: activities count only when they happened strictly before as_of (the moment itself
 * is the boundary, as in "as of the start of June 30"), and a window of N days reaches back to
 * as_of - N days inclusive; a lead is in scope when it was created at or before as_of (or has no
 * creation date). Lead attributes are read as loaded (leads carry no attribute history).
 */

/** Which leads to score, as of when. */
export type AsOfScope =
  /** Every lead that existed at `at` (a naive UTC timestamp 'YYYY-MM-DD HH:MM:SS[.ffffff]'). */
  | { kind: "fixed"; at: string }
  /** Each lead at its own moment, from the definition's point_in_time. */
  | { kind: "per-lead" }
  /** Moments chosen elsewhere: a table or view with columns lead_id and as_of. */
  | { kind: "table"; table: string };

export interface ScoreQueryOptions {
  scope: AsOfScope;
  /**
   * Add columns per criterion, for calibration and checks: pts_<name> (points it gave); for column
   * criteria case_<name> (the case in words: missing, a rule's label, other), rule_<name> (0 missing,
   * 1..n the rule, n+1 other) and counts_<name> (false when another member of its group applied);
   * for engagement n_<name> (events counted) and w_<name> (the events' decay factors summed: events
   * as the criterion weighs them, before points and cap); for negative hit_<name>.
   */
  withCriteria?: boolean;
}

export interface ScoreQuery {
  sql: string;
  params: Record<string, string>;
}

/** The columns of the query's result, in order (without the per-criterion ones). */
export const SCORE_COLUMNS = [
  "lead_id",
  "as_of",
  "total",
  "fit",
  "situational",
  "engagement",
  "negative",
  "probability",
  "grade",
  "stage",
  "points_stage",
  "is_disqualified",
  "is_complete",
  "completeness",
  "missing_fields",
  "reasons",
] as const;

/**
 * Each lead's own scoring moment (the definition's point_in_time): when it entered `stage` or any
 * later funnel stage, else `days_after_created` days after it was created. One row per lead that has
 * either date (lead_id, as_of); leads with neither have no moment.
 */
export function perLeadMomentsSql(pit: Definition["point_in_time"]): string {
  const later = stageAndLater(pit.stage);
  return `select l.lead_id,
      coalesce(entered.entered_at, l.created_at + to_days(${int(pit.days_after_created)})) as as_of
    from leads as l
    left join (
      select lead_id, min(entered_at) as entered_at
      from lead_stage_changes
      where stage in (${later.map(str).join(", ")}) and entered_at is not null
      group by lead_id
    ) as entered on entered.lead_id = l.lead_id
    where coalesce(entered.entered_at, l.created_at) is not null`;
}
const DAY_US = 86_400_000_000;

interface ColumnItem {
  key: string;
  section: "fit" | "situational";
  ord: number;
  c: ColumnCriterion;
  rules: NonNullable<ColumnCriterion["bands"]>;
}

export function buildScoreQuery(def: Definition, opts: ScoreQueryOptions): ScoreQuery {
  const params: Record<string, string> = {};
  let ord = 0;
  const columnItems: ColumnItem[] = [];
  for (const section of ["fit", "situational"] as const) {
    def[section].forEach((c, i) => {
      columnItems.push({
        key: `${section === "fit" ? "f" : "s"}${i}`,
        section,
        ord: ord++,
        c,
        rules: c.bands ?? c.values ?? [],
      });
    });
  }
  const engItems = def.engagement.criteria.map((c, i) => ({
    key: `e${i}`,
    ord: ord++,
    c,
    window: c.window_days ?? def.engagement.window_days,
    decay: c.decay ?? def.engagement.decay,
  }));
  const negItems = def.negative.map((c, i) => ({ key: `n${i}`, ord: ord++, c, conds: conditionsOf(c) }));

  // --- scope -------------------------------------------------------------------------------------
  let scopeSql: string;
  if (opts.scope.kind === "fixed") {
    params.as_of = opts.scope.at;
    scopeSql = `select l.lead_id, $as_of::timestamp as as_of
    from leads as l
    where l.created_at is null or l.created_at <= $as_of::timestamp`;
  } else if (opts.scope.kind === "per-lead") {
    scopeSql = perLeadMomentsSql(def.point_in_time);
  } else {
    scopeSql = `select distinct lead_id, cast(as_of as timestamp) as as_of from ${ident(opts.scope.table)} where as_of is not null`;
  }

  // --- activities --------------------------------------------------------------------------------
  // Windowed aggregates read events of the longest finite window (ev/eng); criteria that look at the
  // whole history ("unsubscribed at any time") read only their own activity types (evu/engu), so one
  // of them does not drag every event ever recorded through the windowed aggregation.
  // Each event's matches and decay shares are computed once, as columns of ev (m_*, w_*), and the
  // aggregates only sum and count those columns.
  const windowed: Bucket = { aggs: [], lookbacks: [], types: new Set(), eventCols: [], decays: new Map() };
  const unbounded: Bucket = { aggs: [], lookbacks: [], types: new Set(), eventCols: [], decays: new Map() };
  const addTypes = (b: Bucket, types: string[] | null) => {
    if (types === null || b.types === null) b.types = null;
    else for (const t of types) b.types.add(t);
  };
  const decayCol = (b: Bucket, d: Decay): string => {
    if (d === "none") return "1.0";
    const key = JSON.stringify(d);
    let col = b.decays.get(key);
    if (!col) {
      col = `w${b.decays.size}`;
      b.decays.set(key, col);
      b.eventCols.push(`${decayExpr(d, "ev.age_days")} as ${col}`);
    }
    return `ev.${col}`;
  };
  for (const e of engItems) {
    windowed.eventCols.push(`(${activityMatch(e.c)} and ev.age_days <= ${num(e.window)}) as m_${e.key}`);
    windowed.aggs.push(
      `sum(${num(e.c.points)} * ${decayCol(windowed, e.decay)}) filter (where ev.m_${e.key}) as ${e.key}_raw`,
    );
    windowed.aggs.push(`count(*) filter (where ev.m_${e.key}) as ${e.key}_n`);
    if (opts.withCriteria) {
      windowed.aggs.push(`sum(${decayCol(windowed, e.decay)}) filter (where ev.m_${e.key}) as ${e.key}_w`);
    }
    windowed.lookbacks.push(e.window);
    addTypes(windowed, asList(e.c.activity));
  }
  for (const n of negItems) {
    n.conds.forEach((c, m) => {
      const kind = conditionKind(c);
      const key = `${n.key}_${m}`;
      if (kind === "activity") {
        const within = c.within_days;
        const match = activityMatch(c as Required<Pick<Condition, "activity">>);
        const b = within === undefined ? unbounded : windowed;
        b.eventCols.push(
          `(${match}${within !== undefined ? ` and ev.age_days <= ${num(within)}` : ""}) as m_${key}`,
        );
        b.aggs.push(`count(*) filter (where ev.m_${key}) as ${key}_n`);
        if (within !== undefined) b.lookbacks.push(within);
        addTypes(b, asList(c.activity));
      } else if (kind === "inactivity") {
        if (c.activity) {
          windowed.eventCols.push(`${activityMatch(c as Required<Pick<Condition, "activity">>)} as m_${key}`);
          windowed.aggs.push(`min(ev.age_days) filter (where ev.m_${key}) as ${key}_last`);
        } else {
          windowed.aggs.push(`min(ev.age_days) as ${key}_last`);
        }
        windowed.lookbacks.push(c.inactive_days as number);
        addTypes(windowed, c.activity ? asList(c.activity) : null);
      }
    });
  }
  const eventsCte = (name: string, b: Bucket) => {
    const lookback = b.lookbacks.length ? Math.max(...b.lookbacks) : Number.POSITIVE_INFINITY;
    const conds = ["a.occurred_at < x.as_of"];
    if (Number.isFinite(lookback)) {
      conds.push(`a.occurred_at >= x.as_of - to_microseconds(${bigint(Math.ceil(lookback * DAY_US))})`);
    }
    if (b.types !== null) conds.push(`a.activity_type in (${[...b.types].sort().map(str).join(", ")})`);
    return `${name} as (
  select ev.*${b.eventCols.map((c) => `,\n    ${c}`).join("")}
  from (
    select a.lead_id, x.as_of, a.activity_type, a.detail, a.party,
      date_diff('microsecond', a.occurred_at, x.as_of) / ${num(DAY_US)} as age_days
    from activities as a
    join scope as x on x.lead_id = a.lead_id
    where ${conds.join("\n      and ")}
  ) as ev
)`;
  };
  const aggCte = (name: string, events: string, b: Bucket) => `${name} as (
  select ev.lead_id, ev.as_of,
    ${b.aggs.join(",\n    ")}
  from ${events} as ev
  group by ev.lead_id, ev.as_of
)`;
  const activityCtes = [
    ...(windowed.aggs.length ? [eventsCte("ev", windowed), aggCte("eng", "ev", windowed)] : []),
    ...(unbounded.aggs.length ? [eventsCte("evu", unbounded), aggCte("engu", "evu", unbounded)] : []),
  ]
    .map((c) => `,\n${c}`)
    .join("");
  const joins = [
    ...(windowed.aggs.length ? ["left join eng as e on e.lead_id = l.lead_id and e.as_of = l.as_of"] : []),
    ...(unbounded.aggs.length ? ["left join engu as u on u.lead_id = l.lead_id and u.as_of = l.as_of"] : []),
  ];

  // --- parts: one row per lead -------------------------------------------------------------------
  const cols = new LeadColumns();
  const partCols: string[] = ["l.lead_id", "l.as_of"];
  for (const it of columnItems) {
    const ref = cols.ref(it.c.column);
    const whens = it.rules.map((r, j) => `when ${ruleExpr(ref, r)} then ${j + 1}`);
    partCols.push(
      `case when ${missingExpr(ref, it.c.treat_as_missing)} then 0 ${whens.join(" ")} else ${it.rules.length + 1} end as ${it.key}_case`,
    );
  }
  for (const e of engItems) {
    const raw = `coalesce(e.${e.key}_raw, 0.0)`;
    const capped = e.c.cap !== undefined ? `sign(${raw}) * least(${num(e.c.cap)}, abs(${raw}))` : raw;
    partCols.push(`cast(round(${capped}) as integer) as ${e.key}_pts`);
    partCols.push(`cast(coalesce(e.${e.key}_n, 0) as integer) as ${e.key}_n`);
    if (opts.withCriteria) partCols.push(`coalesce(e.${e.key}_w, 0.0) as ${e.key}_w`);
  }
  for (const n of negItems) {
    const hits = n.conds.map((c, m) => conditionExpr(c, `${n.key}_${m}`, cols));
    partCols.push(`(${hits.join(" or ")}) as ${n.key}_hit`);
  }
  const fields = def.completeness?.fields ?? [];
  fields.forEach((f, i) => {
    const present = requiredFieldColumns(f).map((col) => `not ${missingExpr(cols.ref(col))}`);
    partCols.push(`(${present.join(" or ")}) as r${i}_ok`);
  });

  // --- pts: points per criterion, groups resolved --------------------------------------------------
  const ptsCols: string[] = ["parts.*"];
  const groups = new Map<string, ColumnItem[]>();
  for (const it of columnItems) {
    if (!it.c.group) continue;
    const list = groups.get(it.c.group) ?? [];
    list.push(it);
    groups.set(it.c.group, list);
  }
  for (const it of columnItems) {
    const value = pick(
      `${it.key}_case`,
      [it.c.missing, ...it.rules.map((r) => r.points), it.c.otherwise].map(int),
    );
    const counts = groupCounts(it, groups);
    ptsCols.push(
      counts === "true"
        ? `${value} as ${it.key}_pts`
        : `case when ${counts} then ${value} else 0 end as ${it.key}_pts`,
    );
    ptsCols.push(`${counts} as ${it.key}_counts`);
  }
  for (const n of negItems)
    ptsCols.push(`case when ${n.key}_hit then ${int(n.c.points)} else 0 end as ${n.key}_pts`);

  // --- totals ------------------------------------------------------------------------------------
  const sum = (keys: string[]) => (keys.length ? keys.map((k) => `${k}_pts`).join(" + ") : "0");
  const fitKeys = columnItems.filter((i) => i.section === "fit").map((i) => i.key);
  const sitKeys = columnItems.filter((i) => i.section === "situational").map((i) => i.key);
  const engSum = sum(engItems.map((e) => e.key));
  const engagement =
    def.engagement.cap !== undefined ? `least(${int(def.engagement.cap)}, ${engSum})` : engSum;
  const disq = negItems.filter((n) => n.c.disqualify).map((n) => `${n.key}_hit`);
  const totalsCols = [
    "pts.*",
    `cast(${sum(fitKeys)} as integer) as fit`,
    `cast(${sum(sitKeys)} as integer) as situational`,
    `cast(${engagement} as integer) as engagement`,
    `cast(${sum(negItems.map((n) => n.key))} as integer) as negative`,
    `${disq.length ? disq.join(" or ") : "false"} as is_disqualified`,
    `${fields.length ? fields.map((_, i) => `r${i}_ok`).join(" and ") : "true"} as is_complete`,
    `${fields.length ? `(${fields.map((_, i) => `cast(r${i}_ok as integer)`).join(" + ")}) / ${num(fields.length)}` : "1.0"} as completeness`,
    fields.length
      ? `list_filter([${fields.map((f, i) => `case when not r${i}_ok then ${str(requiredFieldLabel(f))} end`).join(", ")}], x -> x is not null) as missing_fields`
      : "[]::varchar[] as missing_fields",
  ];

  // --- staged: grade and stage -------------------------------------------------------------------
  const handover = completenessStage(def);
  const handoverIndex = handover ? def.thresholds.findIndex((t) => t.stage === handover) : -1;
  const layers = def.thresholds.map((t, i) => {
    const conds = [`total >= ${int(t.min_score)}`];
    if (t.min_fit !== undefined) conds.push(`fit + situational >= ${int(t.min_fit)}`);
    if (t.min_engagement !== undefined) conds.push(`engagement >= ${int(t.min_engagement)}`);
    return {
      stage: t.stage,
      points: conds.join(" and "),
      needsComplete: handoverIndex >= 0 && i >= handoverIndex,
    };
  });
  const reversed = [...layers].reverse();
  const pointsStage = `case ${reversed.map((l) => `when ${l.points} then ${str(l.stage)}`).join(" ")} else ${str(BASE_STAGE)} end`;
  const stage = `case when is_disqualified then ${str(DISQUALIFIED_STAGE)} ${reversed
    .map((l) => `when ${l.points}${l.needsComplete ? " and is_complete" : ""} then ${str(l.stage)}`)
    .join(" ")} else ${str(BASE_STAGE)} end`;
  let grade = "null::varchar";
  if (def.grades) {
    const on = def.grades.on === "fit" ? "(fit + situational)" : "total";
    const bands = def.grades.bands;
    const last = bands.at(-1);
    const whens = bands
      .slice(0, -1)
      .map((b) => `when ${on} >= ${num(b.min as number)} then ${str(b.grade)}`)
      .join(" ");
    grade = `case ${whens} else ${str(last?.grade ?? "")} end`;
  }

  // --- reasons -----------------------------------------------------------------------------------
  // Each contribution gets an integer key, weight * 10000 + (9999 - position), so one sort of small
  // integers ranks them (largest points first, ties in file order); text is built for the top few only.
  const reasonTexts: { slot: number; text: string }[] = [];
  const keys: string[] = [];
  const reason = (cond: string, weight: string, ord: number, text: string) => {
    const slot = 9999 - (ord + 1);
    keys.push(`case when ${cond} then cast(${weight} as bigint) * 10000 + ${int(slot)} end`);
    reasonTexts.push({ slot, text });
  };
  for (const it of columnItems) {
    const label = labelOf(it.c);
    const texts = [
      `${label}: not known`,
      ...it.rules.map((r) => `${label}: ${ruleLabel(r)}`),
      `${label}: other value`,
    ];
    const text = `${pick(`${it.key}_case`, texts.map(str))} || ' (' || ${signed(`${it.key}_pts`)} || ')'`;
    reason(`${it.key}_pts <> 0`, `abs(${it.key}_pts)`, it.ord, text);
  }
  for (const e of engItems) {
    const text = `${str(`${labelOf(e.c)}: `)} || ${e.key}_n || ${str(` in the last ${e.window} days (`)} || ${signed(`${e.key}_pts`)} || ')'`;
    reason(`${e.key}_pts <> 0`, `abs(${e.key}_pts)`, e.ord, text);
  }
  for (const n of negItems) {
    const tail = n.c.disqualify
      ? n.c.points !== 0
        ? `${n.c.points}, disqualified`
        : "disqualified"
      : String(n.c.points);
    const weight = n.c.disqualify ? "1000000" : `abs(${n.key}_pts)`;
    const shown = n.c.disqualify ? `${n.key}_hit` : `${n.key}_hit and ${n.key}_pts <> 0`;
    reason(shown, weight, n.ord, str(`${labelOf(n.c)} (${tail})`));
  }
  if (fields.length) {
    reason(
      "not is_disqualified and stage <> points_stage",
      "1000000",
      -1,
      `'Held at ' || stage || ' until filled in: ' || array_to_string(missing_fields, ', ')`,
    );
  }
  const top = def.top_reasons;
  const rankedCols = keys.length
    ? [`list_sort(list_filter([${keys.join(",\n      ")}], k -> k is not null), 'DESC') as reason_keys`]
    : [];
  const textOfKey = (k: string) =>
    `case ${k} % 10000 ${reasonTexts.map((r) => `when ${int(r.slot)} then ${r.text}`).join(" ")} end`;
  const reasonsSql = keys.length
    ? `list_filter([${Array.from({ length: top }, (_, i) => textOfKey(`reason_keys[${i + 1}]`)).join(",\n    ")}], t -> t is not null)`
    : "[]::varchar[]";

  let probability = "null::double";
  if (def.calibration) {
    const { base_score, base_odds, points_to_double_odds } = def.calibration;
    probability = `1.0 / (1.0 + exp(-(ln(${num(base_odds)}) + (total - ${num(base_score)}) * ln(2.0) / ${num(points_to_double_odds)})))`;
  }

  const criteriaCols: string[] = [];
  if (opts.withCriteria) {
    for (const it of columnItems) {
      const cases = ["missing", ...it.rules.map(ruleLabel), "other"];
      criteriaCols.push(`${it.key}_pts as ${ident(`pts_${it.c.name}`)}`);
      criteriaCols.push(`${pick(`${it.key}_case`, cases.map(str))} as ${ident(`case_${it.c.name}`)}`);
      criteriaCols.push(`${it.key}_case as ${ident(`rule_${it.c.name}`)}`);
      criteriaCols.push(`${it.key}_counts as ${ident(`counts_${it.c.name}`)}`);
    }
    for (const e of engItems) {
      criteriaCols.push(`${e.key}_pts as ${ident(`pts_${e.c.name}`)}`);
      criteriaCols.push(`${e.key}_n as ${ident(`n_${e.c.name}`)}`);
      criteriaCols.push(`${e.key}_w as ${ident(`w_${e.c.name}`)}`);
    }
    for (const n of negItems) {
      criteriaCols.push(`${n.key}_pts as ${ident(`pts_${n.c.name}`)}`);
      criteriaCols.push(`${n.key}_hit as ${ident(`hit_${n.c.name}`)}`);
    }
  }

  const partSql = `select ${partCols.join(",\n    ")}
  from lt as l${joins.map((j) => `\n  ${j}`).join("")}`;
  const sql = `with
scope as (
  ${scopeSql}
)${activityCtes},
lt as (
  select x.lead_id, x.as_of, l.created_at${cols
    .select(partSql)
    .map((c) => `,\n    ${c}`)
    .join("")}
  from scope as x
  join leads as l on l.lead_id = x.lead_id
),
parts as (
  ${partSql}
),
pts as (
  select ${ptsCols.join(",\n    ")}
  from parts
),
totals as (
  select ${totalsCols.join(",\n    ")}
  from pts
),
scored as (
  select totals.*, cast(fit + situational + engagement + negative as integer) as total
  from totals
),
staged as (
  select scored.*,
    ${grade} as grade,
    ${pointsStage} as points_stage,
    ${stage} as stage
  from scored
),
ranked as (
  select staged.*${rankedCols.map((c) => `,\n    ${c}`).join("")}
  from staged
)
select lead_id, as_of, total, fit, situational, engagement, negative,
  ${probability} as probability,
  grade, stage, points_stage, is_disqualified, is_complete, completeness, missing_fields,
  ${reasonsSql} as reasons${criteriaCols.length ? `,\n  ${criteriaCols.join(",\n  ")}` : ""}
from ranked`;
  return { sql, params };
}

/** Aggregates over one set of events: their select items, how far back they look, which types. */
interface Bucket {
  aggs: string[];
  lookbacks: number[];
  /** The activity types they read; null when some read every type. */
  types: Set<string> | null;
  /** Columns computed once per event: m_<key> (does it count for that aggregate), w<k> (decay shares). */
  eventCols: string[];
  /** Decay setting (as JSON) -> its column. */
  decays: Map<string, string>;
}

/**
 * Inactivity is only judged once activity tracking had started at the lead's moment (some activity,
 * of any lead, happened before it): a history with no activities, or a moment before the first one,
 * says nothing about whether a lead was active.
 */
function conditionExpr(c: Condition, key: string, cols: LeadColumns): string {
  const kind = conditionKind(c);
  if (kind === "column") return columnConditionExpr(cols.ref(c.column as string), c);
  if (kind === "activity") {
    const alias = c.within_days === undefined ? "u" : "e";
    return `coalesce(${alias}.${key}_n, 0) >= ${int(c.min_count ?? 1)}`;
  }
  const days = c.inactive_days as number;
  return `(coalesce((select min(occurred_at) from activities) < l.as_of, false)
      and (e.${key}_last is null or e.${key}_last > ${num(days)})
      and (l.created_at is null or date_diff('microsecond', l.created_at, l.as_of) >= ${num(days * DAY_US)}))`;
}

/** Does this criterion count, or does another member of its group take its place? */
function groupCounts(it: ColumnItem, groups: Map<string, ColumnItem[]>): string {
  if (!it.c.group) return "true";
  const members = groups.get(it.c.group) ?? [it];
  const idx = members.indexOf(it);
  const earlierMissing = members.slice(0, idx).map((m) => `${m.key}_case = 0`);
  const present = [`${it.key}_case <> 0`, ...earlierMissing].join(" and ");
  if (idx > 0) return `(${present})`;
  const allMissing = members.map((m) => `${m.key}_case = 0`).join(" and ");
  return `(${present} or (${allMissing}))`;
}

/** `case key when 0 then v0 when 1 then v1 ... end`: a value by rule index, without building a list per row. */
function pick(key: string, values: string[]): string {
  return `case ${key} ${values.map((v, i) => `when ${i} then ${v}`).join(" ")} end`;
}

/**
 * The lead columns a definition reads, each normalised once per lead in the `lt` CTE: c<k>_t (text,
 * lowercased and trimmed) and, only where some rule compares numbers, c<k>_n (DOUBLE).
 */
class LeadColumns {
  private readonly index = new Map<string, number>();

  ref(column: string): ColumnRef {
    let k = this.index.get(column);
    if (k === undefined) {
      k = this.index.size;
      this.index.set(column, k);
    }
    return { text: `l.c${k}_t`, num: `l.c${k}_n` };
  }

  /** The select list of `lt`, given the SQL that reads it (to leave out numbers nobody compares). */
  select(readers: string): string[] {
    const out: string[] = [];
    for (const [column, k] of this.index) {
      const direct = directRef("l", column);
      out.push(`${direct.text} as c${k}_t`);
      if (new RegExp(`\\bl\\.c${k}_n\\b`).test(readers)) out.push(`${direct.num} as c${k}_n`);
    }
    return out;
  }
}
