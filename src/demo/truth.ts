import { COMPETITORS, PERSONAL_DOMAINS } from "./names.ts";
import { bandLabels, FEATURES, STUDENT_DOMAIN_PATTERN } from "./truth-features.ts";

/**
 * The demo's ground truth: the model its outcomes are drawn from, written so that the same definitions
 * produce the SQL that computes the features (in the generator, and again from the written files in the
 * tests) and the JSON a later calibration is checked against.
 *
 * The features are defined in ./truth-features.ts and turned into SQL in ./truth-sql.ts; here are the
 * models over them and the JSON document.
 */

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
