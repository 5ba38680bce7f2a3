import { quotedString as qs } from "@duckdb/node-api";
import { COMPETITORS, PERSONAL_DOMAINS } from "./names.ts";

/**
 * The demo's ground truth: the model its outcomes are drawn from, written so that the same definitions
 * produce the SQL that computes the features (in the generator, and again from the written files in the
 * tests) and the JSON a later calibration is checked against.
 *
 * Every feature is point-in-time: it uses only the lead's own fields (captured on the form that created
 * the lead) and activities that happened strictly before the scoring moment.
 */

export const ACTIVITY_TYPES = [
  "page_view",
  "pricing_page_view",
  "return_visit",
  "content_download",
  "form_fill",
  "webinar_registration",
  "webinar_attendance",
  "email_open",
  "email_click",
  "demo_request",
  "intent_signal",
  "unsubscribe",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A lead field read as a category; a blank value is the level "unknown". */
export interface CategoryFeature {
  kind: "category";
  name: string;
  description: string;
  /** The leads column it reads. */
  column: "industry" | "seniority" | "budget" | "authority" | "need" | "timeline";
}

/** employees cut into bands; blank is "unknown". */
export interface BandFeature {
  kind: "band";
  name: string;
  description: string;
  column: "employees";
  /** Lower edges of the bands after the first, in order: [50, 200] gives "1-49", "50-199", "200+". */
  edges: number[];
}

/** The kind of the email's domain: business, personal, student, competitor, or unknown when blank. */
export interface EmailKindFeature {
  kind: "email_kind";
  name: string;
  description: string;
  column: "email";
}

/** Count of activities of one type in the window before the moment, capped. A cap of 1 makes it a flag. */
export interface CountFeature {
  kind: "count";
  name: string;
  description: string;
  activityType: ActivityType;
  /** Only activities whose detail starts with this text. */
  detailPrefix?: string;
  /** Window length before the moment; null means any time before it. */
  windowDays: number | null;
  cap: number;
}

export type FeatureDef = CategoryFeature | BandFeature | EmailKindFeature | CountFeature;

export const EMPLOYEE_BAND_EDGES = [50, 200, 1000, 5000];

/** The regular expression the loader uses for student domains (src/load/columns.ts). */
export const STUDENT_DOMAIN_PATTERN = "(\\.edu$|\\.edu\\.|\\.ac\\.[a-z]+$|^student\\.)";

export const FEATURES: FeatureDef[] = [
  {
    kind: "band",
    name: "employees_band",
    column: "employees",
    edges: EMPLOYEE_BAND_EDGES,
    description:
      "leads.employees cut at 50, 200, 1000, 5000: 1-49, 50-199, 200-999, 1000-4999, 5000+; blank is unknown",
  },
  { kind: "category", name: "industry", column: "industry", description: "leads.industry; blank is unknown" },
  {
    kind: "category",
    name: "seniority",
    column: "seniority",
    description: "leads.seniority; blank is unknown",
  },
  {
    kind: "email_kind",
    name: "email_kind",
    column: "email",
    description:
      "domain of leads.email: competitor if in competitor_domains, personal if in personal_domains, student if it matches student_domain_pattern, else business; blank or no @ is unknown",
  },
  { kind: "category", name: "budget", column: "budget", description: "leads.budget; blank is unknown" },
  {
    kind: "category",
    name: "authority",
    column: "authority",
    description: "leads.authority; blank is unknown",
  },
  { kind: "category", name: "need", column: "need", description: "leads.need; blank is unknown" },
  { kind: "category", name: "timeline", column: "timeline", description: "leads.timeline; blank is unknown" },
  ...(
    [
      ["pricing_page_views_30d", "pricing_page_view", 30, 5],
      ["demo_request_30d", "demo_request", 30, 1],
      ["content_downloads_30d", "content_download", 30, 5],
      ["webinar_attendances_30d", "webinar_attendance", 30, 3],
      ["email_clicks_30d", "email_click", 30, 5],
      ["return_visits_30d", "return_visit", 30, 5],
      ["intent_signal_30d", "intent_signal", 30, 1],
      ["unsubscribed_before", "unsubscribe", null, 1],
    ] as const
  ).map(
    ([name, activityType, windowDays, cap]): CountFeature => ({
      kind: "count",
      name,
      activityType,
      windowDays,
      cap,
      description: `number of ${activityType} activities with occurred_at ${windowDays === null ? "before the moment (any time)" : `in [moment - ${windowDays} days, moment)`}, capped at ${cap}${cap === 1 ? " (so 0 or 1)" : ""}`,
    }),
  ),
  {
    kind: "count",
    name: "careers_page_view_30d",
    activityType: "page_view",
    detailPrefix: "/careers",
    windowDays: 30,
    cap: 1,
    description:
      "1 if a page_view whose detail starts with /careers (a job seeker) has occurred_at in [moment - 30 days, moment), else 0",
  },
];

/** Coefficients of one logistic model: a number per count feature, a number per level of a categorical one. */
export interface TruthModel {
  description: string;
  population: string;
  moment: string;
  outcome: string;
  horizonDays: number;
  intercept: number;
  /** Levels not listed (and the reference level, listed with 0) add nothing. */
  coefficients: Record<string, number | Record<string, number>>;
}

/**
 * P(SQL | MQL): among leads that became MQL, the chance they become SQL, from features at the MQL moment.
 * Every SQL happens within 60 days of the MQL moment, so MQLs older than 60 days at `end` have a known outcome.
 */
export const SQL_MODEL: TruthModel = {
  description: "log-odds that an MQL becomes an SQL",
  population: "leads with an mql stage change",
  moment: "the mql stage change's entered_at",
  outcome: "the lead has an sql stage change (always within horizon_days after the moment)",
  horizonDays: 60,
  intercept: -3.2,
  coefficients: {
    employees_band: {
      unknown: -0.2,
      "1-49": -0.7,
      "50-199": 0,
      "200-999": 0.35,
      "1000-4999": 0.55,
      "5000+": 0.45,
    },
    industry: {
      software: 0.4,
      financial_services: 0.3,
      healthcare: 0.1,
      manufacturing: 0,
      retail: -0.2,
      professional_services: 0.1,
      education: -0.5,
      government: -0.4,
      media: -0.1,
      logistics: 0.15,
      unknown: -0.1,
    },
    seniority: {
      c_level: 0.45,
      vp: 0.6,
      director: 0.5,
      manager: 0.2,
      individual_contributor: 0,
      student: -1.8,
      unknown: -0.15,
    },
    email_kind: { business: 0, personal: -0.9, student: -1.0, competitor: -3.0, unknown: -0.4 },
    budget: { confirmed: 0.8, planned: 0.4, none: -0.4, unknown: 0 },
    authority: { decision_maker: 0.5, influencer: 0.2, gatekeeper: -0.2, none: -0.5, unknown: 0 },
    need: { high: 0.7, medium: 0.25, low: -0.5, unknown: 0 },
    timeline: { this_quarter: 0.8, next_quarter: 0.4, this_year: 0.1, none: -0.6, unknown: 0 },
    pricing_page_views_30d: 0.25,
    demo_request_30d: 1.3,
    content_downloads_30d: 0.12,
    webinar_attendances_30d: 0.35,
    email_clicks_30d: 0.08,
    return_visits_30d: 0.1,
    intent_signal_30d: 0.5,
    unsubscribed_before: -0.8,
    careers_page_view_30d: -1.2,
  },
};

/**
 * P(won | SQL): among leads that became SQL, the chance the deal is won, from the same features at the
 * MQL moment. Every win or loss happens within 200 days of the SQL moment.
 */
export const WON_MODEL: TruthModel = {
  description: "log-odds that an SQL is won",
  population: "leads with an sql stage change",
  moment: "the mql stage change's entered_at (features are the same as the SQL model's)",
  outcome: "the lead has a won stage change (and a won deal), within horizon_days after the sql stage change",
  horizonDays: 200,
  intercept: -2.75,
  coefficients: {
    employees_band: {
      unknown: -0.1,
      "1-49": -0.4,
      "50-199": 0,
      "200-999": 0.2,
      "1000-4999": 0.1,
      "5000+": -0.2,
    },
    industry: { software: 0.3, financial_services: 0.2, education: -0.3, government: -0.5 },
    seniority: {
      c_level: 0.4,
      vp: 0.4,
      director: 0.3,
      manager: 0.1,
      individual_contributor: 0,
      student: -1.5,
    },
    email_kind: { business: 0, personal: -0.6, student: -1.0, competitor: -3.0, unknown: -0.3 },
    budget: { confirmed: 0.9, planned: 0.4, none: -0.5, unknown: 0 },
    authority: { decision_maker: 0.7, influencer: 0.2, gatekeeper: -0.3, none: -0.6, unknown: 0 },
    need: { high: 0.5, medium: 0.15, low: -0.4, unknown: 0 },
    timeline: { this_quarter: 0.7, next_quarter: 0.35, this_year: 0, none: -0.7, unknown: 0 },
    pricing_page_views_30d: 0.15,
    demo_request_30d: 0.5,
    webinar_attendances_30d: 0.15,
    intent_signal_30d: 0.3,
  },
};

function bandLabels(edges: number[]): string[] {
  const labels = [`1-${(edges[0] ?? 1) - 1}`];
  for (let j = 0; j < edges.length; j++) {
    const next = edges[j + 1];
    labels.push(next === undefined ? `${edges[j]}+` : `${edges[j]}-${next - 1}`);
  }
  return labels;
}

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

/** The JSON form of the truth: definitions, coefficients, and what a calibration should recover. */
export function truthDocument(): Record<string, unknown> {
  const asJson = (m: TruthModel) => ({
    description: m.description,
    population: m.population,
    moment: m.moment,
    outcome: m.outcome,
    horizon_days: m.horizonDays,
    intercept: m.intercept,
    coefficients: m.coefficients,
  });
  return {
    features: FEATURES.map((f) => {
      const { kind, name, description, ...rest } = f;
      const out: Record<string, unknown> = { name, kind, description };
      for (const [k, v] of Object.entries(rest)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
      if (f.kind === "band") out.levels = bandLabels(f.edges);
      return out;
    }),
    competitor_domains: COMPETITORS.map((c) => c.domain),
    personal_domains: [...new Set(PERSONAL_DOMAINS)],
    student_domain_pattern: STUDENT_DOMAIN_PATTERN,
    models: { sql_given_mql: asJson(SQL_MODEL), won_given_sql: asJson(WON_MODEL) },
    how_to_read: [
      "log-odds = intercept + the coefficient of each categorical feature's level + each count feature's coefficient times its value",
      "a categorical level listed with 0 is the reference; levels not listed add 0",
      "to check a calibration: take the model's population whose moment (sql_given_mql) or sql stage change (won_given_sql) is at least horizon_days before window.end, compute the features as defined, fit a logistic regression with the same terms, and compare with these coefficients (they agree up to sampling error)",
    ],
  };
}
