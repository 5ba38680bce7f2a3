import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from "@duckdb/node-api";
import { TYPE_NAMES } from "./activities.ts";
import {
  ASSETS,
  CAREERS_PAGES,
  CHANNEL_SPECS,
  CHANNELS,
  COMPANY_PREFIXES,
  COMPANY_ROOTS,
  COMPETITORS,
  COUNTRIES,
  DEMO_FORMS,
  DEPARTMENT_TITLES,
  DEPARTMENTS,
  EMAILS,
  FIRST_NAMES,
  FORMS,
  HOUR_WEIGHTS,
  INDUSTRIES,
  INTENT_TOPICS,
  LAST_NAMES,
  OPEN_DEAL_STAGES,
  PAGES,
  PERSONAL_DOMAINS,
  PRICING_PAGES,
  RETURN_PAGES,
  SENIORITIES,
  STUDENT_DOMAINS,
  UNSUBSCRIBE_DETAILS,
  WEBINARS,
} from "./names.ts";
import { cumulative } from "./random.ts";
import { type DemoWindow, sqlTimestamp } from "./window.ts";

/** The generator's knobs that are not vocabulary: chosen so the funnel rates land where the issue asks. */
export const TUNING = {
  /** Mean background activities per lead (before the window cuts recent leads short). */
  backgroundMean: 18.5,
  /** Intercept of the hidden MQL model: about 27% of leads become MQL eventually. */
  mqlIntercept: -1.1,
  /** Leads per company, on average. */
  leadsPerCompany: 3,
  /** Leads per sales rep; SDRs are half as many as reps. */
  leadsPerRep: 1500,
};

/** Names for n people, distinct for any realistic team size, the same for the same n. */
function staff(count: number, offset: number): string[] {
  const out: string[] = [];
  for (let r = offset; r < offset + count; r++) {
    const first = FIRST_NAMES[r % FIRST_NAMES.length];
    const last = LAST_NAMES[(r * 7 + Math.floor(r / FIRST_NAMES.length)) % LAST_NAMES.length];
    out.push(`${first} ${last}`);
  }
  return out;
}

export interface DemoParams {
  seed: number;
  leads: number;
  window: DemoWindow;
}

export interface Variable {
  name: string;
  value: DuckDBValue;
  type: DuckDBType;
}

const text = (name: string, xs: readonly (string | null)[]): Variable => ({
  name,
  value: listValue([...xs]),
  type: LIST(VARCHAR),
});
const nums = (name: string, xs: readonly number[]): Variable => ({
  name,
  value: listValue([...xs]),
  type: LIST(DOUBLE),
});

/** Team sizes follow the volume of leads. */
export function teamSizes(leads: number): { reps: number; sdrs: number; companies: number } {
  const reps = Math.min(800, Math.max(4, Math.round(leads / TUNING.leadsPerRep)));
  return {
    reps,
    sdrs: Math.max(2, Math.ceil(reps / 2)),
    companies: Math.max(50, Math.round(leads / TUNING.leadsPerCompany)),
  };
}

export function demoVariables(p: DemoParams): Variable[] {
  const team = teamSizes(p.leads);
  const hourCum = cumulative(HOUR_WEIGHTS);
  const hourLo = [0, ...hourCum.slice(0, -1)];
  const hourW = hourCum.map((c, j) => c - (hourLo[j] ?? 0));
  const channelSpecs = CHANNELS.map((c) => CHANNEL_SPECS[c]);
  return [
    { name: "seed", value: BigInt(p.seed), type: BIGINT },
    { name: "n", value: BigInt(p.leads), type: BIGINT },
    { name: "ndays", value: p.window.days, type: INTEGER },
    { name: "start_ts", value: sqlTimestamp(p.window.start), type: VARCHAR },
    { name: "end_ts", value: sqlTimestamp(p.window.end), type: VARCHAR },
    { name: "ncomp", value: BigInt(team.companies), type: BIGINT },
    { name: "nreps", value: team.reps, type: INTEGER },
    { name: "nsdrs", value: team.sdrs, type: INTEGER },
    { name: "id_width", value: Math.max(6, String(p.leads).length), type: INTEGER },
    { name: "background_mean", value: TUNING.backgroundMean, type: DOUBLE },
    { name: "mql_intercept", value: TUNING.mqlIntercept, type: DOUBLE },
    nums("hour_lo", hourLo),
    nums("hour_w", hourW),
    text("first_names", FIRST_NAMES),
    text("last_names", LAST_NAMES),
    text("prefixes", COMPANY_PREFIXES),
    text("roots", COMPANY_ROOTS),
    text(
      "country_codes",
      COUNTRIES.map((c) => c.code),
    ),
    text(
      "country_suffix",
      COUNTRIES.map((c) => c.suffix),
    ),
    text(
      "country_tld",
      COUNTRIES.map((c) => c.tld),
    ),
    text(
      "country_phone",
      COUNTRIES.map((c) => c.phone),
    ),
    text(
      "industry_names",
      INDUSTRIES.map((x) => x.name),
    ),
    nums(
      "industry_rpe",
      INDUSTRIES.map((x) => x.revenuePerEmployee),
    ),
    text("personal_domains", PERSONAL_DOMAINS),
    text("student_domains", STUDENT_DOMAINS),
    text(
      "competitor_domains",
      COMPETITORS.map((c) => c.domain),
    ),
    text(
      "competitor_companies",
      COMPETITORS.map((c) => c.company),
    ),
    text("seniorities", SENIORITIES),
    text("departments", DEPARTMENTS),
    text(
      "dept_c_title",
      DEPARTMENTS.map((d) => DEPARTMENT_TITLES[d][0]),
    ),
    text(
      "dept_function",
      DEPARTMENTS.map((d) => DEPARTMENT_TITLES[d][1]),
    ),
    text(
      "dept_ic_title",
      DEPARTMENTS.map((d) => DEPARTMENT_TITLES[d][2]),
    ),
    text("authorities", ["decision_maker", "influencer", "gatekeeper", "none", null]),
    text("channels", CHANNELS),
    nums(
      "channel_cpl",
      channelSpecs.map((c) => c.costPerLead),
    ),
    text(
      "channel_source",
      channelSpecs.map((c) => c.source),
    ),
    text(
      "channel_utm",
      channelSpecs.map((c) => c.utmMedium),
    ),
    {
      name: "channel_campaigns",
      value: listValue(channelSpecs.map((c) => listValue(c.campaigns))),
      type: LIST(LIST(VARCHAR)),
    },
    text("activity_types", TYPE_NAMES),
    text("pages", PAGES),
    text("careers_pages", CAREERS_PAGES),
    text("pricing_pages", PRICING_PAGES),
    text("return_pages", RETURN_PAGES),
    text("assets", ASSETS),
    text("webinars", WEBINARS),
    text("forms", FORMS),
    text("demo_forms", DEMO_FORMS),
    text("emails", EMAILS),
    text("intent_topics", INTENT_TOPICS),
    text("unsubscribe_details", UNSUBSCRIBE_DETAILS),
    text("open_deal_stages", OPEN_DEAL_STAGES),
    text("months", p.window.months),
    text("reps", staff(team.reps, 0)),
    text("sdrs", staff(team.sdrs, 5000)),
  ];
}

/** Sets every variable on the connection (bound, never spliced into SQL). Timestamps are cast after. */
export async function setVariables(conn: DuckDBConnection, vars: Variable[]): Promise<void> {
  for (const v of vars) {
    await conn.run(`set variable ${v.name} = $1`, [v.value], [v.type]);
  }
  await conn.run("set variable seed_hash = hash(getvariable('seed')::bigint)");
  await conn.run("set variable start_ts = getvariable('start_ts')::timestamp");
  await conn.run("set variable end_ts = getvariable('end_ts')::timestamp");
}
