import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance, version as duckdbVersion } from "@duckdb/node-api";
import { readMachine } from "../db/connection.ts";
import { dbResources, duckdbOptions } from "../db/resources.ts";
import { UserError } from "../errors.ts";
import { ACTIVITIES_SQL, ACTIVITY_TEXT_MACROS, POST_SQL_ACTIVITIES_SQL } from "./activities.ts";
import { COSTS_SQL } from "./costs.ts";
import { DEALS_SQL } from "./deals.ts";
import { FEATURES_SQL, FUNNEL_SQL, STAGE_CHANGES_SQL, TRUTH_INPUT_SQL } from "./funnel.ts";
import { DAYS_SQL, LEADS_SQL, MQL_SQL } from "./leads.ts";
import { RANDOM_MACROS } from "./random.ts";
import { TOUCHES_SQL } from "./touches.ts";
import { truthDocument } from "./truth.ts";
import { demoVariables, setVariables, TUNING, teamSizes } from "./variables.ts";
import { type DemoWindow, defaultEnd, demoWindow, sqlTimestamp } from "./window.ts";
import { copySql, DEMO_FILES, type DemoFile, SORT_ACTIVITIES_SQL, WRITE_MACROS } from "./write.ts";

export interface GenerateOptions {
  outDir: string;
  /** Number of leads (default 20,000). */
  leads?: number;
  /** Seed of every draw (default 42). */
  seed?: number;
  /** End of the history, exclusive (a UTC day; default the first day of the current UTC month). */
  end?: Date;
  /** Called as each step starts, for progress lines. */
  onStep?: (step: string) => void;
  /** DuckDB threads (default: DuckDB's own choice, every core). The output does not depend on it. */
  threads?: number;
}

export interface GenerateResult {
  outDir: string;
  window: DemoWindow;
  seed: number;
  leads: number;
  /** Absolute paths of the written files. */
  files: Record<DemoFile, string>;
  truthFile: string;
  rows: Record<DemoFile, number>;
  seconds: number;
}

export const MAX_DEMO_LEADS = 20_000_000;
export const DEMO_DEFAULTS = { leads: 20_000, seed: 42 } as const;
/** Raised whenever a change to the generator changes its output for the same options. */
export const GENERATOR_VERSION = 1;

/** What produced a demo: the same maker and options give the same bytes. */
export function demoMaker(): string {
  return `leadcal demo v${GENERATOR_VERSION}, DuckDB ${duckdbVersion()}`;
}

const SLUG_MACRO = `create or replace temp macro slug(x) as regexp_replace(lower(strip_accents(x)), '[^a-z0-9]', '', 'g')`;

function checkOptions(o: GenerateOptions): { leads: number; seed: number } {
  const leads = o.leads ?? DEMO_DEFAULTS.leads;
  const seed = o.seed ?? DEMO_DEFAULTS.seed;
  if (!Number.isInteger(leads) || leads < 1 || leads > MAX_DEMO_LEADS) {
    throw new UserError(
      `the number of demo leads must be a whole number from 1 to ${MAX_DEMO_LEADS}, not ${leads}`,
    );
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UserError(`the demo seed must be a whole number of 0 or more, not ${seed}`);
  }
  if (o.end && Number.isNaN(o.end.getTime())) throw new UserError("the demo end is not a valid date");
  return { leads, seed };
}

/**
 * Writes a seeded, deterministic demo history into `outDir`: leads.csv, stage_changes.csv,
 * activities.csv, sales_touches.csv, deals.csv, costs.csv and ground_truth.json. The same seed, lead
 * count and end give byte-identical files. Everything is generated inside an in-memory DuckDB and
 * written with COPY, so a million leads and twenty million activities stream to disk without passing
 * through JavaScript.
 */
export async function generateDemo(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const { leads, seed } = checkOptions(opts);
  const window = demoWindow(opts.end ?? defaultEnd());
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const tmp = join(outDir, ".demo-tmp");
  const step = opts.onStep ?? (() => {});

  // DuckDB's memory limit and threads as leadcal's database gets them (../db/resources.ts): at 10 million
  // leads the generation's tables outgrow memory and spill into `tmp`, and DuckDB's own default (80% of
  // the machine) leaves too little for the rest
  const machine = dbResources(":memory:", readMachine(), process.env);
  const config: Record<string, string> = {
    ...duckdbOptions(machine),
    temp_directory: tmp,
    preserve_insertion_order: "true",
  };
  if (opts.threads) config.threads = String(opts.threads);
  const instance = await DuckDBInstance.create(":memory:", config);
  const conn = await instance.connect();
  try {
    for (const sql of [RANDOM_MACROS, SLUG_MACRO, ...ACTIVITY_TEXT_MACROS, ...WRITE_MACROS])
      await conn.run(sql);
    await setVariables(conn, demoVariables({ seed, leads, window }));

    const steps: [string, string][] = [
      ["days", DAYS_SQL],
      ["leads", LEADS_SQL],
      ["mql moments", MQL_SQL],
      ["activities", ACTIVITIES_SQL],
      ...TRUTH_INPUT_SQL.map((sql): [string, string] => ["truth inputs", sql]),
      ["ground-truth features", FEATURES_SQL],
      ["outcomes", FUNNEL_SQL],
      ["activities after sql", POST_SQL_ACTIVITIES_SQL],
      ["stage changes", STAGE_CHANGES_SQL],
      ["sales touches", TOUCHES_SQL],
      ["deals", DEALS_SQL],
      ["costs", COSTS_SQL],
      ["sort activities", SORT_ACTIVITIES_SQL],
    ];
    for (const [name, sql] of steps) {
      step(name);
      await conn.run(sql);
    }

    const files = {} as Record<DemoFile, string>;
    const rows = {} as Record<DemoFile, number>;
    for (const key of Object.keys(DEMO_FILES) as DemoFile[]) {
      step(`write ${DEMO_FILES[key]}`);
      files[key] = join(outDir, DEMO_FILES[key]);
      const result = await conn.run(copySql(key, files[key]));
      rows[key] = Number(result.rowsChanged);
    }

    step("write ground_truth.json");
    const truthFile = join(outDir, "ground_truth.json");
    const doc = {
      generator: demoMaker(),
      seed,
      leads,
      window: {
        start: sqlTimestamp(window.start),
        end: sqlTimestamp(window.end),
        months: window.months.length,
      },
      ...notes(leads),
      ...truthDocument(),
      files: Object.fromEntries(
        (Object.keys(DEMO_FILES) as DemoFile[]).map((k) => [DEMO_FILES[k], { rows: rows[k] }]),
      ),
      realized: await realized(conn),
    };
    writeFileSync(truthFile, `${JSON.stringify(doc, null, 2)}\n`);
    return {
      outDir,
      window,
      seed,
      leads,
      files,
      truthFile,
      rows,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** What a reader of ground_truth.json needs to know besides the coefficients. */
function notes(leads: number): Record<string, unknown> {
  return {
    point_in_time: [
      "Lead fields (firmographics, person, BANT) are captured on the form that created the lead: known at created_at.",
      "The scoring moment of the models is the mql stage change's entered_at. Leads that never became MQL never become SQL; a model over all leads would score them at created_at + 14 days.",
      "Features use only activities with occurred_at strictly before the moment.",
      "Outcomes are drawn after the features and happen after the moment; nothing happens at or after window.end.",
      "Leads whose outcome would fall after window.end are still open in the files (right-censoring): use MQLs whose moment is at least horizon_days before window.end.",
    ],
    leakage_trap:
      "Leads that become SQL have extra engagement after the SQL moment (pricing views, emails, visits), about 2.5 times more for leads that go on to win. Features computed over all activities, instead of those before the moment, will look better than they are.",
    mql_process:
      "Becoming MQL is driven by hidden engagement and intent (which also drive the activity counts), the activity that created the lead (demo_request), company size, seniority, and negatives (personal/student/competitor email, unsubscribe, job seeker). It is not meant to be recovered; about 27% of leads become MQL eventually, 1-150 days after creation (demo requests within a day), after a burst of activity in the 30 days before.",
    timing: {
      sql_after_mql: "40% within 2 days, the rest 1-59 days (all within 60 days)",
      opportunity_after_sql: "1-30 days; 100% of wins and 55% of the other SQLs become opportunities",
      close_after_opportunity: "won 20-150 days, lost 10-150 days",
      sales_touches:
        "about 4% of SQLs are never touched; of the rest, ~72% get a first touch within 30 minutes and ~93% within a day; ~80% get 3-5 calls and 3-5 emails within 14 days, the rest 0-2 of each",
    },
    tuning: {
      background_activities_mean: TUNING.backgroundMean,
      mql_intercept: TUNING.mqlIntercept,
      leads_per_company: TUNING.leadsPerCompany,
      leads_per_rep: TUNING.leadsPerRep,
    },
    team: teamSizes(leads),
  };
}

/** Counts and rates of what was generated: integer arithmetic, so the file stays byte-identical. */
async function realized(conn: DuckDBConnection): Promise<Record<string, unknown>> {
  const reader = await conn.runAndReadAll(`
with f as (select * from demo_funnel),
complete as (select * from f where mql_at is not null and mql_at < getvariable('end_ts') - to_days(60))
select
  (select count(*) from f)::bigint as leads,
  (select count(mql_at) from f)::bigint as mqls,
  (select count(sql_at) from f)::bigint as sqls,
  (select count(opp_at) from f)::bigint as opportunities,
  (select count(won_at) from f)::bigint as won,
  (select count(lost_at) from f)::bigint as lost,
  (select count(disqualified_at) from f)::bigint as disqualified,
  (select count(recycled_at) from f)::bigint as recycled,
  (select count(*) from complete)::bigint as mqls_with_known_sql_outcome,
  (select count(sql_at) from complete)::bigint as sqls_of_those,
  (select sum(round(p_sql * 1000000))::bigint from complete)::bigint as expected_sqls_of_those_e6,
  (select count(*) from demo_activities)::bigint as activities,
  (select count(*) from demo_touches)::bigint as sales_touches,
  (select count(*) from demo_deals)::bigint as deals,
  (select sum(cents) from demo_costs)::bigint as cost_cents`);
  const r = reader.getRowObjectsJson()[0] as Record<string, string>;
  const n = (k: string) => Number(r[k] ?? 0);
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);
  const costUsd = n("cost_cents") / 100;
  return {
    leads: n("leads"),
    mqls: n("mqls"),
    sqls: n("sqls"),
    opportunities: n("opportunities"),
    won: n("won"),
    lost: n("lost"),
    disqualified: n("disqualified"),
    recycled: n("recycled"),
    activities: n("activities"),
    sales_touches: n("sales_touches"),
    deals: n("deals"),
    cost_usd: costUsd,
    cost_per_sql_usd: n("sqls") ? Math.round(costUsd / n("sqls")) : null,
    mql_rate: ratio(n("mqls"), n("leads")),
    sql_rate_of_mqls: ratio(n("sqls"), n("mqls")),
    won_rate_of_sqls: ratio(n("won"), n("sqls")),
    sql_model_check: {
      mqls_with_known_outcome: n("mqls_with_known_sql_outcome"),
      observed_sqls: n("sqls_of_those"),
      expected_sqls: Math.round(n("expected_sqls_of_those_e6") / 1e6),
    },
  };
}
