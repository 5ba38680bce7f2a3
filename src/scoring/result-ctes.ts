import { labelOf, ruleLabel } from "./labels.ts";
import { completenessStage } from "./rules.ts";
import { BASE_STAGE, DISQUALIFIED_STAGE } from "./schema.ts";
import { pick } from "./score-ctes.ts";
import type { ScorePlan } from "./score-plan.ts";
import { ident, int, num, signed, str } from "./sql-fragments.ts";

/**
 * The end of the scoring query, written from the plan: grade and stage (staged), the contributions
 * ranked (ranked), and the final select with the probability, the top reasons in words and, when
 * asked, the per-criterion columns.
 */

/** staged: grade, stage by points, stage after completeness. */
export function stagedCte(plan: ScorePlan): string {
  const def = plan.def;
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
  return `select scored.*,
    ${gradeSql(plan)} as grade,
    ${pointsStage} as points_stage,
    ${stage} as stage
  from scored`;
}

function gradeSql({ def }: ScorePlan): string {
  if (!def.grades) return "null::varchar";
  const on = def.grades.on === "fit" ? "(fit + situational)" : "total";
  const bands = def.grades.bands;
  const whens = bands
    .slice(0, -1)
    .map((b) => `when ${on} >= ${num(b.min as number)} then ${str(b.grade)}`)
    .join(" ");
  return `case ${whens} else ${str(bands.at(-1)?.grade ?? "")} end`;
}

/** A contribution that may become a reason: when it shows, its weight, and its text. */
interface Reason {
  shown: string;
  weight: string;
  /** 9999 - (position in the file + 1): ties go to the earlier criterion. */
  slot: number;
  text: string;
}

/** Every contribution in the plan, in file order (the held-at-stage note first). */
function reasonsOf(plan: ScorePlan): Reason[] {
  const out: Reason[] = [];
  const add = (shown: string, weight: string, ord: number, text: string) =>
    out.push({ shown, weight, slot: 9999 - (ord + 1), text });
  for (const it of plan.columns) {
    const label = labelOf(it.c);
    const texts = [
      `${label}: not known`,
      ...it.rules.map((r) => `${label}: ${ruleLabel(r)}`),
      `${label}: other value`,
    ];
    const text = `${pick(`${it.key}_case`, texts.map(str))} || ' (' || ${signed(`${it.key}_pts`)} || ')'`;
    add(`${it.key}_pts <> 0`, `abs(${it.key}_pts)`, it.ord, text);
  }
  for (const e of plan.engagement) {
    const text = `${str(`${labelOf(e.c)}: `)} || ${e.key}_n || ${str(` in the last ${e.window} days (`)} || ${signed(`${e.key}_pts`)} || ')'`;
    add(`${e.key}_pts <> 0`, `abs(${e.key}_pts)`, e.ord, text);
  }
  for (const n of plan.negative) {
    const { points, disqualify } = n.c;
    const tail = disqualify ? (points !== 0 ? `${points}, disqualified` : "disqualified") : String(points);
    const weight = disqualify ? "1000000" : `abs(${n.key}_pts)`;
    const shown = disqualify ? `${n.key}_hit` : `${n.key}_hit and ${n.key}_pts <> 0`;
    add(shown, weight, n.ord, str(`${labelOf(n.c)} (${tail})`));
  }
  if (plan.fields.length) {
    add(
      "not is_disqualified and stage <> points_stage",
      "1000000",
      -1,
      `'Held at ' || stage || ' until filled in: ' || array_to_string(missing_fields, ', ')`,
    );
  }
  return out;
}

/**
 * ranked: the contributions ranked. Each gets an integer key, weight * 10000 + slot, so one sort of
 * small integers ranks them (largest points first, ties in file order); text is built for the top few
 * only (in the final select).
 */
export function rankedCte(plan: ScorePlan): string {
  const reasons = reasonsOf(plan);
  const keys = reasons.map(
    (r) => `case when ${r.shown} then cast(${r.weight} as bigint) * 10000 + ${int(r.slot)} end`,
  );
  const col = keys.length
    ? `,\n    list_sort(list_filter([${keys.join(",\n      ")}], k -> k is not null), 'DESC') as reason_keys`
    : "";
  return `select staged.*${col}
  from staged`;
}

/** The final select: the score columns in order (SCORE_COLUMNS), then the per-criterion ones. */
export function finalSelect(plan: ScorePlan): string {
  const criteria = plan.withCriteria ? criteriaColumns(plan) : [];
  return `select lead_id, as_of, total, fit, situational, engagement, negative,
  ${probabilitySql(plan)} as probability,
  grade, stage, points_stage, is_disqualified, is_complete, completeness, missing_fields,
  ${reasonsSql(plan)} as reasons${criteria.length ? `,\n  ${criteria.join(",\n  ")}` : ""}
from ranked`;
}

function reasonsSql(plan: ScorePlan): string {
  const reasons = reasonsOf(plan);
  if (!reasons.length) return "[]::varchar[]";
  const textOfKey = (k: string) =>
    `case ${k} % 10000 ${reasons.map((r) => `when ${int(r.slot)} then ${r.text}`).join(" ")} end`;
  const top = Array.from({ length: plan.def.top_reasons }, (_, i) => textOfKey(`reason_keys[${i + 1}]`));
  return `list_filter([${top.join(",\n    ")}], t -> t is not null)`;
}

function probabilitySql({ def }: ScorePlan): string {
  if (!def.calibration) return "null::double";
  const { base_score, base_odds, points_to_double_odds } = def.calibration;
  return `1.0 / (1.0 + exp(-(ln(${num(base_odds)}) + (total - ${num(base_score)}) * ln(2.0) / ${num(points_to_double_odds)})))`;
}

function criteriaColumns(plan: ScorePlan): string[] {
  const cols: string[] = [];
  const as = (expr: string, name: string) => cols.push(`${expr} as ${ident(name)}`);
  for (const it of plan.columns) {
    const cases = ["missing", ...it.rules.map(ruleLabel), "other"];
    as(`${it.key}_pts`, `pts_${it.c.name}`);
    as(pick(`${it.key}_case`, cases.map(str)), `case_${it.c.name}`);
    as(`${it.key}_case`, `rule_${it.c.name}`);
    as(`${it.key}_counts`, `counts_${it.c.name}`);
  }
  for (const e of plan.engagement) {
    as(`${e.key}_pts`, `pts_${e.c.name}`);
    as(`${e.key}_n`, `n_${e.c.name}`);
    as(`${e.key}_w`, `w_${e.c.name}`);
  }
  for (const n of plan.negative) {
    as(`${n.key}_pts`, `pts_${n.c.name}`);
    as(`${n.key}_hit`, `hit_${n.c.name}`);
  }
  return cols;
}
