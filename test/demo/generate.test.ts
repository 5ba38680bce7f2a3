import { readFileSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/generate.ts";
import { CHANNELS, COMPETITORS } from "../../src/demo/names.ts";
import { SQL_MODEL, WON_MODEL } from "../../src/demo/truth.ts";
import { ACTIVITY_TYPES } from "../../src/demo/truth-features.ts";
import { featuresQuery, logOddsExpr } from "../../src/demo/truth-sql.ts";
import { DEMO_FILES, type DemoFile } from "../../src/demo/write.ts";
import { tempDir } from "../helpers/cli.ts";
import { type DemoFixture, demoFixture, END, END_SQL, fitCalibration } from "./files.ts";

let demo: DemoFixture;

beforeAll(async () => {
  demo = await demoFixture(5000, 42);
});
afterAll(() => demo?.close());

const num = (v: unknown) => Number(v);

/** First time each lead entered each stage, one row per lead (pivoted), over the files as written. */
const STAGES_PIVOT = `(
  with s as (select lead_id, stage, min(entered_at) as t from stage_changes group by all)
  pivot s on stage in ('lead', 'mql', 'sql', 'opportunity', 'won', 'lost', 'disqualified', 'recycled')
  using min(t) group by lead_id
)`;

describe("demo generation is deterministic", () => {
  it("the same seed, size and end give byte-identical files, whatever the number of threads", async () => {
    const again = await generateDemo({
      outDir: tempDir("leadcal-demo-"),
      leads: 5000,
      seed: 42,
      end: END,
      threads: 1,
    });
    for (const key of Object.keys(DEMO_FILES) as DemoFile[]) {
      expect(readFileSync(again.files[key]).equals(readFileSync(demo.result.files[key])), key).toBe(true);
    }
    expect(readFileSync(again.truthFile, "utf8")).toBe(readFileSync(demo.result.truthFile, "utf8"));
    rmSync(again.outDir, { recursive: true, force: true });
  });

  it("another seed gives other files", async () => {
    const other = await generateDemo({ outDir: tempDir("leadcal-demo-"), leads: 5000, seed: 43, end: END });
    for (const key of ["leads", "activities", "stageChanges"] as DemoFile[]) {
      expect(readFileSync(other.files[key]).equals(readFileSync(demo.result.files[key])), key).toBe(false);
    }
    rmSync(other.outDir, { recursive: true, force: true });
  });
});

describe("demo files", () => {
  it("carry the columns the presets read, plus two extras the loader keeps", async () => {
    const header = (key: DemoFile) => readFileSync(demo.result.files[key], "utf8").split("\n", 1)[0];
    expect(header("leads")).toBe(
      "lead_id,created_at,source,channel,campaign,company,employees,annual_revenue,industry,country,first_name,last_name,email,phone,job_title,seniority,department,budget,authority,need,timeline,lifecycle_stage,owner,updated_at,utm_medium,company_domain",
    );
    expect(header("stageChanges")).toBe("lead_id,stage,entered_at");
    expect(header("activities")).toBe("activity_id,lead_id,occurred_at,activity_type,detail,party");
    expect(header("salesTouches")).toBe("touch_id,lead_id,occurred_at,kind,rep");
    expect(header("deals")).toBe("deal_id,lead_id,account,created_at,closed_at,outcome,stage,amount,owner");
    expect(header("costs")).toBe("period,channel,team,amount,currency");
  });

  it("write timestamps as YYYY-MM-DD HH:MM:SS and periods as YYYY-MM", () => {
    const lines = readFileSync(demo.result.files.activities, "utf8").split("\n").slice(1, 200);
    for (const l of lines.filter(Boolean))
      expect(l.split(",")[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const costs = readFileSync(demo.result.files.costs, "utf8").split("\n").slice(1).filter(Boolean);
    for (const l of costs) expect(l).toMatch(/^\d{4}-\d{2},[a-z_]*,(marketing|sales),\d+\.\d{2},USD$/);
  });

  it("cover 9 quarters ending at end, and nothing happens at or after end", async () => {
    const r = await demo.one(`select
      (select min(created_at) from leads)::varchar as first_lead,
      greatest(
        (select max(created_at) from leads), (select max(updated_at) from leads),
        (select max(entered_at) from stage_changes), (select max(occurred_at) from activities),
        (select max(occurred_at) from sales_touches), (select max(created_at) from deals),
        (select max(closed_at) from deals)) < ${END_SQL} as before_end,
      (select count(distinct period) from costs)::integer as months,
      (select min(period) from costs) as first_month, (select max(period) from costs) as last_month`);
    expect(r.first_lead).toMatch(/^2024-08-0/);
    expect(r).toMatchObject({ before_end: true, months: 27, first_month: "2024-08", last_month: "2026-10" });
  });

  it("refer only to leads that exist, and name each lead once", async () => {
    const r = await demo.one(`select
      (select count(*) - count(distinct lead_id) from leads)::integer as duplicate_leads,
      (select count(*) from stage_changes where lead_id not in (select lead_id from leads))::integer as stages,
      (select count(*) from activities where lead_id not in (select lead_id from leads))::integer as activities,
      (select count(*) from sales_touches where lead_id not in (select lead_id from leads))::integer as touches,
      (select count(*) from deals where lead_id not in (select lead_id from leads))::integer as deals,
      (select count(*) - count(distinct activity_id) from activities)::integer as duplicate_activities,
      (select count(*) - count(distinct touch_id) from sales_touches)::integer as duplicate_touches`);
    expect(r).toEqual({
      duplicate_leads: 0,
      stages: 0,
      activities: 0,
      touches: 0,
      deals: 0,
      duplicate_activities: 0,
      duplicate_touches: 0,
    });
  });

  it("keep stages in funnel order: no SQL without an earlier MQL, no win without an opportunity", async () => {
    const r = await demo.one(`select
      count(*) filter (where lead is null or lead > coalesce(mql, lead))::integer as lead_after_mql,
      count(*) filter (where sql is not null and (mql is null or sql < mql))::integer as bad_sql,
      count(*) filter (where opportunity is not null and (sql is null or opportunity < sql))::integer as bad_opp,
      count(*) filter (where (won is not null or lost is not null) and (opportunity is null
        or coalesce(won, lost) < opportunity))::integer as bad_close,
      count(*) filter (where won is not null and lost is not null)::integer as won_and_lost
    from ${STAGES_PIVOT}`);
    expect(r).toEqual({ lead_after_mql: 0, bad_sql: 0, bad_opp: 0, bad_close: 0, won_and_lost: 0 });
    const deals = await demo.one(`select count(*) filter (where
      (d.outcome = 'won') <> (p.won is not null) or (d.outcome = 'lost') <> (p.lost is not null)
      or d.created_at <> p.opportunity)::integer as mismatched
      from deals d join ${STAGES_PIVOT} p using (lead_id)`);
    expect(deals.mismatched).toBe(0);
  });

  it("use the activity vocabulary of the scoring definition, intent signals as third-party data", async () => {
    const types = await demo.rows(
      "select activity_type, party, count(*)::integer as n from activities group by all",
    );
    expect(new Set(types.map((t) => t.activity_type))).toEqual(new Set(ACTIVITY_TYPES));
    for (const t of types) expect(t.party).toBe(t.activity_type === "intent_signal" ? "third" : "first");
    const perLead =
      await demo.one(`select (select count(*) from activities) / (select count(*) from leads) as mean,
      (select median(n) from (select count(*) as n from activities group by lead_id)) as median`);
    expect(num(perLead.mean)).toBeGreaterThan(16);
    expect(num(perLead.mean)).toBeLessThan(24);
    expect(num(perLead.median)).toBeLessThan(num(perLead.mean)); // skewed: many quiet leads, a few very engaged
  });

  it("look like real leads: closed lists, some blanks, personal emails, a few students and competitors", async () => {
    const r = await demo.one(`select
      list(distinct channel order by channel) as channels,
      list(distinct seniority order by seniority) filter (where seniority is not null) as seniorities,
      list(distinct budget order by budget) filter (where budget is not null) as budgets,
      list(distinct authority order by authority) filter (where authority is not null) as authorities,
      list(distinct need order by need) filter (where need is not null) as needs,
      list(distinct timeline order by timeline) filter (where timeline is not null) as timelines,
      avg((email is null)::int) as blank_email, avg((budget is null)::int) as blank_budget,
      avg(regexp_matches(email, '@(gmail|yahoo|outlook|hotmail|icloud|aol)\\.com$|@(gmx|web)\\.de$')::int) as personal,
      avg((seniority = 'student')::int) as students,
      count(*) filter (where split_part(email, '@', 2) in (${COMPETITORS.map((c) => `'${c.domain}'`).join(", ")}))::integer
        as competitors,
      avg((phone is null)::int) as blank_phone
    from leads`);
    expect(r.channels).toEqual([...CHANNELS].sort());
    expect(r.seniorities).toEqual([
      "c_level",
      "director",
      "individual_contributor",
      "manager",
      "student",
      "vp",
    ]);
    expect(r.budgets).toEqual(["confirmed", "none", "planned"]);
    expect(r.authorities).toEqual(["decision_maker", "gatekeeper", "influencer", "none"]);
    expect(r.needs).toEqual(["high", "low", "medium"]);
    expect(r.timelines).toEqual(["next_quarter", "none", "this_quarter", "this_year"]);
    expect(num(r.personal)).toBeGreaterThan(0.08);
    expect(num(r.personal)).toBeLessThan(0.2);
    expect(num(r.students)).toBeGreaterThan(0.005);
    expect(num(r.students)).toBeLessThan(0.03);
    expect(num(r.competitors)).toBeGreaterThan(5);
    for (const k of ["blank_email", "blank_budget", "blank_phone"])
      expect(num(r[k]), k).toBeGreaterThan(0.01);
  });
});

describe("the demo funnel", () => {
  it("converts at plausible rates (cohorts old enough for their outcome to be known)", async () => {
    const r = await demo.one(`select
      count(mql) / count(*) as lead_to_mql,
      count(sql) filter (where mql < ${END_SQL} - interval 60 day)
        / count(mql) filter (where mql < ${END_SQL} - interval 60 day) as mql_to_sql,
      count(won) filter (where sql < ${END_SQL} - interval 200 day)
        / count(sql) filter (where sql < ${END_SQL} - interval 200 day) as sql_to_won,
      count(opportunity) filter (where sql < ${END_SQL} - interval 200 day)
        / count(sql) filter (where sql < ${END_SQL} - interval 200 day) as sql_to_opportunity,
      count(lost)::integer as lost, count(disqualified)::integer as disqualified, count(recycled)::integer as recycled
    from ${STAGES_PIVOT} p
    where lead < ${END_SQL} - interval 200 day`);
    expect(num(r.lead_to_mql)).toBeGreaterThanOrEqual(0.2);
    expect(num(r.lead_to_mql)).toBeLessThanOrEqual(0.3);
    expect(num(r.mql_to_sql)).toBeGreaterThanOrEqual(0.15);
    expect(num(r.mql_to_sql)).toBeLessThanOrEqual(0.4);
    expect(num(r.sql_to_won)).toBeGreaterThanOrEqual(0.2);
    expect(num(r.sql_to_won)).toBeLessThanOrEqual(0.3);
    expect(num(r.sql_to_opportunity)).toBeGreaterThan(num(r.sql_to_won));
    for (const k of ["lost", "disqualified", "recycled"]) expect(num(r[k]), k).toBeGreaterThan(20);
  });

  it("takes days to weeks between stages", async () => {
    const r = await demo.one(`select
      median(date_diff('hour', lead, mql)) / 24 as lead_to_mql_days,
      median(date_diff('hour', mql, sql)) / 24 as mql_to_sql_days,
      median(date_diff('hour', opportunity, coalesce(won, lost))) / 24 as opportunity_to_close_days
    from ${STAGES_PIVOT}`);
    expect(num(r.lead_to_mql_days)).toBeGreaterThan(1);
    expect(num(r.lead_to_mql_days)).toBeLessThan(30);
    expect(num(r.mql_to_sql_days)).toBeGreaterThan(0.5);
    expect(num(r.mql_to_sql_days)).toBeLessThan(21);
    expect(num(r.opportunity_to_close_days)).toBeGreaterThan(20);
    expect(num(r.opportunity_to_close_days)).toBeLessThan(120);
  });

  it("leaves recent cohorts open at end (right-censoring)", async () => {
    const r = await demo.one(`select
      count(sql) filter (where mql >= ${END_SQL} - interval 14 day)
        / count(mql) filter (where mql >= ${END_SQL} - interval 14 day) as recent_mql_to_sql,
      count(sql) filter (where mql < ${END_SQL} - interval 60 day)
        / count(mql) filter (where mql < ${END_SQL} - interval 60 day) as old_mql_to_sql,
      (select count(*) from deals where outcome = 'open')::integer as open_deals,
      (select count(*) from leads where lifecycle_stage = 'mql')::integer as open_mqls
    from ${STAGES_PIVOT}`);
    expect(num(r.recent_mql_to_sql)).toBeLessThan(num(r.old_mql_to_sql) * 0.8);
    expect(num(r.open_deals)).toBeGreaterThan(0);
    expect(num(r.open_mqls)).toBeGreaterThan(0);
  });

  it("mostly meets the sales service levels after SQL, not always", async () => {
    const r = await demo.one(`with s as (select lead_id, min(entered_at) as sql_at from stage_changes
        where stage = 'sql' and entered_at < ${END_SQL} - interval 14 day group by all),
      t as (select s.lead_id, s.sql_at, min(t.occurred_at) as first_at,
        count(t.touch_id) filter (where kind = 'call' and t.occurred_at < s.sql_at + interval 14 day) as calls,
        count(t.touch_id) filter (where kind = 'email' and t.occurred_at < s.sql_at + interval 14 day) as emails,
        count(t.touch_id) filter (where t.occurred_at < s.sql_at) as before_sql
        from s left join sales_touches t using (lead_id) group by all)
      select avg((first_at is null)::int) as never,
        avg((first_at <= sql_at + interval 30 minute)::int) as within_30_minutes,
        avg((first_at <= sql_at + interval 1 day)::int) as within_a_day,
        avg((calls >= 3 and emails >= 3)::int) as cadence_met,
        sum(before_sql)::integer as touched_before_sql
      from t`);
    expect(num(r.never)).toBeGreaterThan(0);
    expect(num(r.never)).toBeLessThan(0.1);
    expect(num(r.within_30_minutes)).toBeGreaterThan(0.6);
    expect(num(r.within_30_minutes)).toBeLessThan(0.9);
    expect(num(r.within_a_day)).toBeGreaterThan(0.85);
    expect(num(r.within_a_day)).toBeLessThan(1);
    expect(num(r.cadence_met)).toBeGreaterThan(0.6);
    expect(num(r.cadence_met)).toBeLessThan(0.95);
    expect(r.touched_before_sql).toBe(0);
  });

  it("costs every month by channel and team, with some unallocated cost, at a believable cost per SQL", async () => {
    const r = await demo.one(`select
      count(*) filter (where channel is not null and team = 'marketing')::integer as marketing_rows,
      count(*) filter (where channel is not null and team = 'sales')::integer as sales_rows,
      count(*) filter (where channel is null)::integer as unallocated_rows,
      sum(amount) filter (where channel is null) / sum(amount) as unallocated_share,
      sum(amount) / (select count(*) from stage_changes where stage = 'sql') as cost_per_sql
    from costs`);
    expect(r).toMatchObject({ marketing_rows: 27 * 8, sales_rows: 27 * 8, unallocated_rows: 27 * 2 });
    expect(num(r.unallocated_share)).toBeGreaterThan(0.02);
    expect(num(r.unallocated_share)).toBeLessThan(0.15);
    expect(num(r.cost_per_sql)).toBeGreaterThan(800);
    expect(num(r.cost_per_sql)).toBeLessThan(4000);
  });

  it("gives deals amounts, and links each to its lead", async () => {
    const r = await demo.one(`select count(*)::integer as n, count(amount)::integer as with_amount,
      min(amount) as smallest, count(distinct outcome)::integer as outcomes from deals`);
    expect(num(r.n)).toBeGreaterThan(100);
    expect(r.with_amount).toBe(r.n);
    expect(num(r.smallest)).toBeGreaterThan(0);
    expect(r.outcomes).toBe(3);
  });
});

describe("ground_truth.json", () => {
  const truth = () => JSON.parse(readFileSync(demo.result.truthFile, "utf8"));

  it("holds the models the outcomes were drawn from, with documented features", () => {
    const t = truth();
    expect(t.models.sql_given_mql.intercept).toBe(SQL_MODEL.intercept);
    expect(t.models.sql_given_mql.coefficients).toEqual(SQL_MODEL.coefficients);
    expect(t.models.won_given_sql.coefficients).toEqual(WON_MODEL.coefficients);
    const names = t.features.map((f: { name: string }) => f.name);
    for (const m of [SQL_MODEL, WON_MODEL]) {
      for (const name of Object.keys(m.coefficients)) expect(names).toContain(name);
    }
    for (const f of t.features) expect(f.description.length).toBeGreaterThan(20);
    expect(t).toMatchObject({ seed: 42, leads: 5000, window: { end: "2026-11-01 00:00:00" } });
  });

  /** MQLs scored at their MQL moment, and activities, named as featuresQuery reads them. */
  beforeAll(async () => {
    await demo.conn.run(`create or replace temp view truth_leads as
      select l.lead_id as lead_key, s.entered_at as moment, l.*
      from leads l join stage_changes s on s.lead_id = l.lead_id and s.stage = 'mql'`);
    await demo.conn.run(`create or replace temp view truth_activities as
      select lead_id as lead_key, occurred_at, activity_type, detail from activities`);
  });

  /** The truth features recomputed from the files as written, for MQLs whose SQL outcome is known. */
  async function mqlsWithTruth(): Promise<{ eta: number[]; sql: number[]; expected: number }> {
    const rows = await demo.rows(`with f as (${featuresQuery("truth_leads", "truth_activities")})
      select ${logOddsExpr(SQL_MODEL, "f")} as eta,
        (f.lead_key in (select lead_id from stage_changes where stage = 'sql'))::integer as sql
      from f where f.moment < ${END_SQL} - interval 60 day order by f.lead_key`);
    const eta = rows.map((r) => num(r.eta));
    const expected = eta.reduce((s, e) => s + 1 / (1 + Math.exp(-e)), 0);
    return { eta, sql: rows.map((r) => num(r.sql)), expected };
  }

  it("matches the features recomputed from the files: same population, same expected SQLs", async () => {
    const { eta, expected } = await mqlsWithTruth();
    const check = truth().realized.sql_model_check;
    expect(eta.length).toBe(check.mqls_with_known_outcome);
    expect(Math.round(expected)).toBe(check.expected_sqls);
  });

  it("predicts the SQLs: a logistic fit on its log-odds has slope near 1 and intercept near 0", async () => {
    const { eta, sql, expected } = await mqlsWithTruth();
    const observed = sql.reduce((s, y) => s + y, 0);
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(expected)); // calibration in the large
    const { a, b } = fitCalibration(eta, sql);
    expect(b).toBeGreaterThan(0.75);
    expect(b).toBeLessThan(1.25);
    expect(Math.abs(a)).toBeLessThan(0.35);
  });

  it("sets the leakage trap it documents: more engagement after the SQL moment for leads that win", async () => {
    const r = await demo.one(`with s as (select lead_id, sql, won is not null as won from ${STAGES_PIVOT}
        where sql < ${END_SQL} - interval 200 day)
      select avg(n) filter (where won) as after_sql_won, avg(n) filter (where not won) as after_sql_other
      from (select s.lead_id, s.won, count(a.activity_id) as n from s
        left join activities a on a.lead_id = s.lead_id and a.occurred_at > s.sql
          and a.activity_type = 'pricing_page_view' group by all)`);
    expect(num(r.after_sql_won)).toBeGreaterThan(1.5 * num(r.after_sql_other));
  });

  it("shows the signs of the big coefficients in the raw data", async () => {
    const rate = async (where: string) =>
      num(
        (
          await demo.one(`select avg((s.lead_id is not null)::int) as r
            from truth_leads m left join (select lead_id from stage_changes where stage = 'sql') s on s.lead_id = m.lead_key
            where m.moment < ${END_SQL} - interval 60 day and ${where}`)
        ).r,
      );
    const demoRequested = `exists (select 1 from activities a where a.lead_id = m.lead_key and a.activity_type = 'demo_request'
      and a.occurred_at < m.moment and a.occurred_at >= m.moment - interval 30 day)`;
    expect(await rate(demoRequested)).toBeGreaterThan(await rate(`not ${demoRequested}`));
    expect(await rate("m.budget = 'confirmed'")).toBeGreaterThan(await rate("m.budget is null"));
    expect(await rate("m.timeline = 'this_quarter'")).toBeGreaterThan(await rate("m.timeline = 'none'"));
    expect(await rate("regexp_matches(m.email, '@(gmail|yahoo|outlook|hotmail)')")).toBeLessThan(
      await rate("m.company_domain is not null"),
    );
  });
});
