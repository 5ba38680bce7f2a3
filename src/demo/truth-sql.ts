import { quotedString as qs } from "@duckdb/node-api";
import { COMPETITORS, PERSONAL_DOMAINS } from "./names.ts";
import type { TruthModel } from "./truth.ts";
import {
  bandLabels,
  type CountFeature,
  FEATURES,
  type FeatureDef,
  STUDENT_DOMAIN_PATTERN,
} from "./truth-features.ts";

/**
 * The ground truth as SQL: the query computing every feature point-in-time (./truth-features.ts), and a
 * truth model's log-odds over its rows (./truth.ts).
 */

/** SQL for a lead-field feature's value over a lead row `l`. */
function fieldExpr(f: Exclude<FeatureDef, CountFeature>): string {
  switch (f.kind) {
    case "category":
      return `coalesce(l.${f.column}, 'unknown')`;
    case "band": {
      const labels = bandLabels(f.edges);
      const whens = f.edges.map((e, j) => `when l.${f.column} < ${e} then ${qs(labels[j] ?? "")}`);
      return `(case when l.${f.column} is null then 'unknown' ${whens.join(" ")} else ${qs(labels[labels.length - 1] ?? "")} end)`;
    }
    case "email_kind": {
      const domain = `lower(split_part(l.${f.column}, '@', 2))`;
      const comp = COMPETITORS.map((c) => qs(c.domain)).join(", ");
      const pers = [...new Set(PERSONAL_DOMAINS)].map((d) => qs(d)).join(", ");
      return `(case when l.${f.column} is null or position('@' in l.${f.column}) = 0 then 'unknown'
        when ${domain} in (${comp}) then 'competitor'
        when ${domain} in (${pers}) then 'personal'
        when regexp_matches(${domain}, ${qs(STUDENT_DOMAIN_PATTERN)}) then 'student'
        else 'business' end)`;
    }
  }
}

/** SQL counting a count feature's activities `a` for a lead row `l` (uncapped). */
function countExpr(f: CountFeature): string {
  const conds = [`a.activity_type = ${qs(f.activityType)}`];
  if (f.windowDays !== null) conds.push(`a.occurred_at >= l.moment - to_days(${Math.trunc(f.windowDays)})`);
  if (f.detailPrefix) conds.push(`starts_with(a.detail, ${qs(f.detailPrefix)})`);
  return `count(*) filter (where ${conds.join(" and ")})`;
}

/**
 * A query giving one row per lead of `leads` with every feature as of `leads.moment`.
 * `leads` must have lead_key, moment and the lead columns the features read; `activities` must have
 * lead_key, occurred_at, activity_type and detail. Both are relation names chosen by the caller's code.
 * Activities are counted per lead first, then joined to the lead fields.
 */
export function featuresQuery(leads: string, activities: string): string {
  const counts = FEATURES.filter((f): f is CountFeature => f.kind === "count");
  const fields = FEATURES.filter((f): f is Exclude<FeatureDef, CountFeature> => f.kind !== "count");
  const types = [...new Set(counts.map((f) => f.activityType))].map((t) => qs(t)).join(", ");
  return `with counted as (
  select l.lead_key,
    ${counts.map((f) => `${countExpr(f)} as ${f.name}`).join(",\n    ")}
  from ${leads} l
  join ${activities} a on a.lead_key = l.lead_key and a.occurred_at < l.moment
  where a.activity_type in (${types})
  group by l.lead_key
)
select l.lead_key, l.moment,
  ${fields.map((f) => `${fieldExpr(f)} as ${f.name}`).join(",\n  ")},
  ${counts.map((f) => `least(coalesce(c.${f.name}, 0), ${Math.trunc(f.cap)})::integer as ${f.name}`).join(",\n  ")}
from ${leads} l
left join counted c on c.lead_key = l.lead_key`;
}

/** SQL for a model's log-odds over a row of feature columns (as `featuresQuery` names them). */
export function logOddsExpr(model: TruthModel, alias = "f"): string {
  const terms = [`${model.intercept}`];
  for (const [name, coef] of Object.entries(model.coefficients)) {
    if (typeof coef === "number") {
      if (coef !== 0) terms.push(`(${coef}) * ${alias}.${name}`);
      continue;
    }
    const whens = Object.entries(coef)
      .filter(([, b]) => b !== 0)
      .map(([level, b]) => `when ${qs(level)} then (${b})`);
    if (whens.length) terms.push(`(case ${alias}.${name} ${whens.join(" ")} else 0 end)`);
  }
  return terms.join("\n  + ");
}
