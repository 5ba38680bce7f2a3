import { stageAndLater } from "../vocabulary.ts";
import { activityJoins, DAY_US } from "./activity-ctes.ts";
import { requiredFieldLabel } from "./labels.ts";
import { conditionKind } from "./rules.ts";
import type { Definition } from "./schema.ts";
import type { ColumnItem, ConditionItem, ScorePlan } from "./score-plan.ts";
import {
  type ColumnRef,
  columnConditionExpr,
  directRef,
  ident,
  int,
  missingExpr,
  num,
  ruleExpr,
  str,
} from "./sql-fragments.ts";

/**
 * The CTEs of the scoring query from the scope to the totals, one function each, written from the
 * plan (./score-plan.ts). Each returns the CTE's body (the select inside `name as (...)`).
 */

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

/** scope: which leads are scored and the moment each is scored as of; fills the query's parameters. */
export function scopeCte(plan: ScorePlan, params: Record<string, string>): string {
  const scope = plan.scope;
  if (scope.kind === "fixed") {
    params.as_of = scope.at;
    return `select l.lead_id, $as_of::timestamp as as_of
    from leads as l
    where l.created_at is null or l.created_at <= $as_of::timestamp`;
  }
  if (scope.kind === "per-lead") return perLeadMomentsSql(plan.def.point_in_time);
  return `select distinct lead_id, cast(as_of as timestamp) as as_of from ${ident(scope.table)} where as_of is not null`;
}

/** lt: the scoped leads with each column the definition reads, normalised once (c<k>_t, c<k>_n). */
export function ltCte(plan: ScorePlan): string {
  const cols: string[] = [];
  for (const { column, k, numeric } of plan.leadColumns) {
    const direct = directRef("l", column);
    cols.push(`${direct.text} as c${k}_t`);
    if (numeric) cols.push(`${direct.num} as c${k}_n`);
  }
  return `select x.lead_id, x.as_of, l.created_at${cols.map((c) => `,\n    ${c}`).join("")}
  from scope as x
  join leads as l on l.lead_id = x.lead_id`;
}

/**
 * parts: one row per lead: the rule each column criterion matched (<key>_case), engagement points
 * after caps and rounding, which negative criteria hold, which required fields are present.
 */
export function partsCte(plan: ScorePlan): string {
  const cols: string[] = ["l.lead_id", "l.as_of"];
  for (const it of plan.columns) {
    const whens = it.rules.map((r, j) => `when ${ruleExpr(it.ref, r)} then ${j + 1}`);
    cols.push(
      `case when ${missingExpr(it.ref, it.c.treat_as_missing)} then 0 ${whens.join(" ")} else ${it.rules.length + 1} end as ${it.key}_case`,
    );
  }
  for (const e of plan.engagement) {
    const raw = `coalesce(e.${e.key}_raw, 0.0)`;
    const capped = e.c.cap !== undefined ? `sign(${raw}) * least(${num(e.c.cap)}, abs(${raw}))` : raw;
    cols.push(`cast(round(${capped}) as integer) as ${e.key}_pts`);
    cols.push(`cast(coalesce(e.${e.key}_n, 0) as integer) as ${e.key}_n`);
    if (plan.withCriteria) cols.push(`coalesce(e.${e.key}_w, 0.0) as ${e.key}_w`);
  }
  for (const n of plan.negative) cols.push(`(${n.conds.map(conditionExpr).join(" or ")}) as ${n.key}_hit`);
  for (const f of plan.fields) {
    cols.push(`(${f.refs.map((ref) => `not ${missingExpr(ref)}`).join(" or ")}) as ${f.key}_ok`);
  }
  return `select ${cols.join(",\n    ")}
  from lt as l${activityJoins(plan)
    .map((j) => `\n  ${j}`)
    .join("")}`;
}

/**
 * Does a negative condition hold? Inactivity is only judged once activity tracking had started at the
 * lead's moment (some activity, of any lead, happened before it): a history with no activities, or a
 * moment before the first one, says nothing about whether a lead was active.
 */
function conditionExpr({ key, c, ref }: ConditionItem): string {
  const kind = conditionKind(c);
  if (kind === "column") return columnConditionExpr(ref as ColumnRef, c);
  if (kind === "activity") {
    const alias = c.within_days === undefined ? "u" : "e";
    return `coalesce(${alias}.${key}_n, 0) >= ${int(c.min_count ?? 1)}`;
  }
  const days = c.inactive_days as number;
  return `(coalesce((select min(occurred_at) from activities) < l.as_of, false)
      and (e.${key}_last is null or e.${key}_last > ${num(days)})
      and (l.created_at is null or date_diff('microsecond', l.created_at, l.as_of) >= ${num(days * DAY_US)}))`;
}

/** pts: points per criterion, group alternatives resolved (<key>_pts, and <key>_counts for columns). */
export function ptsCte(plan: ScorePlan): string {
  const cols: string[] = ["parts.*"];
  const groups = new Map<string, ColumnItem[]>();
  for (const it of plan.columns) {
    if (!it.c.group) continue;
    groups.set(it.c.group, [...(groups.get(it.c.group) ?? []), it]);
  }
  for (const it of plan.columns) {
    const value = pick(
      `${it.key}_case`,
      [it.c.missing, ...it.rules.map((r) => r.points), it.c.otherwise].map(int),
    );
    const counts = groupCounts(it, groups);
    cols.push(
      counts === "true"
        ? `${value} as ${it.key}_pts`
        : `case when ${counts} then ${value} else 0 end as ${it.key}_pts`,
    );
    cols.push(`${counts} as ${it.key}_counts`);
  }
  for (const n of plan.negative) {
    cols.push(`case when ${n.key}_hit then ${int(n.c.points)} else 0 end as ${n.key}_pts`);
  }
  return `select ${cols.join(",\n    ")}
  from parts`;
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

/** totals: fit, situational, engagement, negative, disqualified, completeness, missing fields. */
export function totalsCte(plan: ScorePlan): string {
  const sum = (keys: string[]) => (keys.length ? keys.map((k) => `${k}_pts`).join(" + ") : "0");
  const keysOf = (section: ColumnItem["section"]) =>
    plan.columns.filter((i) => i.section === section).map((i) => i.key);
  const engSum = sum(plan.engagement.map((e) => e.key));
  const cap = plan.def.engagement.cap;
  const engagement = cap !== undefined ? `least(${int(cap)}, ${engSum})` : engSum;
  const disq = plan.negative.filter((n) => n.c.disqualify).map((n) => `${n.key}_hit`);
  const ok = plan.fields.map((f) => `${f.key}_ok`);
  const cols = [
    "pts.*",
    `cast(${sum(keysOf("fit"))} as integer) as fit`,
    `cast(${sum(keysOf("situational"))} as integer) as situational`,
    `cast(${engagement} as integer) as engagement`,
    `cast(${sum(plan.negative.map((n) => n.key))} as integer) as negative`,
    `${disq.length ? disq.join(" or ") : "false"} as is_disqualified`,
    `${ok.length ? ok.join(" and ") : "true"} as is_complete`,
    `${ok.length ? `(${ok.map((o) => `cast(${o} as integer)`).join(" + ")}) / ${num(ok.length)}` : "1.0"} as completeness`,
    ok.length
      ? `list_filter([${plan.fields.map((f) => `case when not ${f.key}_ok then ${str(requiredFieldLabel(f.f))} end`).join(", ")}], x -> x is not null) as missing_fields`
      : "[]::varchar[] as missing_fields",
  ];
  return `select ${cols.join(",\n    ")}
  from pts`;
}

/** scored: the total, the sum of the four sections. */
export function scoredCte(): string {
  return `select totals.*, cast(fit + situational + engagement + negative as integer) as total
  from totals`;
}

/** `case key when 0 then v0 when 1 then v1 ... end`: a value by rule index, without building a list per row. */
export function pick(key: string, values: string[]): string {
  return `case ${key} ${values.map((v, i) => `when ${i} then ${v}`).join(" ")} end`;
}
