import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { UserError } from "../../src/errors.ts";
import { scoreLeads } from "../../src/scoring/index.ts";
import { definition, insertRows, memoryDb, type ScoreRow, storedScores, withMemoryDb } from "./fixture.ts";

/**
 * One definition using every feature, seven leads built to hit its cases, scored as of
 * 2025-07-01 00:00 UTC. Every expected number below is worked out by hand in the comment beside it.
 */
const DEF = definition(`version: t1
outcome: { stage: sql, horizon_days: 90 }
fit:
  - name: size_emp
    group: size
    column: employees
    bands:
      - { min: 1000, points: 20, label: big }
      - { min: 100, max: 1000, points: 10 }
      - { max: 100, points: -5 }
    missing: -1
  - name: size_rev
    group: size
    column: annual_revenue
    bands: [{ min: 1000000, points: 7 }]
    otherwise: 1
    missing: -2
  - name: industry
    column: industry
    values:
      - { in: [Software], points: 15 }
      - { contains: [bank], points: 8 }
      - { matches: "^gov", points: -10 }
    otherwise: 2
    missing: -3
    treat_as_missing: [unknown]
  - name: plan
    column: plan_tier
    values: [{ in: [gold], points: 4 }]
situational:
  - name: budget
    column: budget
    values: [{ in: [confirmed], points: 10 }]
engagement:
  window_days: 60
  decay: { half_life_days: 30 }
  cap: 40
  criteria:
    - { name: pricing, activity: pricing_page_view, points: 10, cap: 30 }
    - { name: demo, activity: demo_request, points: 20, decay: { fade_out_days: 40 } }
    - { name: ebooks, activity: content_download, detail: "ebook:*", points: 4, decay: none, window_days: 10 }
    - { name: intent, activity: intent_signal, party: third, points: 6 }
negative:
  - { name: personal, column: email_domain_kind, in: [personal], points: -10 }
  - { name: unsub, activity: unsubscribe, points: -7 }
  - { name: inactive, inactive_days: 30, points: -4 }
  - { name: rival, column: email, matches: "@rival\\\\.com$", points: 0, disqualify: true }
completeness:
  required_for: sql
  fields: [job_title, { one_of: [email, phone], label: Contact }]
thresholds:
  - { stage: mql, min_score: 20 }
  - { stage: sql, min_score: 40, min_fit: 10 }
grades: { on: total, bands: [{ grade: A, min: 40 }, { grade: B, min: 20 }, { grade: F }] }
calibration: { base_score: 40, base_odds: 1, points_to_double_odds: 20 }
top_reasons: 2
`);

const AS_OF = "2025-07-01";

async function fill(db: Db): Promise<void> {
  // An extra column, as the loader adds them for a source's own fields.
  await db.conn.run("alter table leads add column plan_tier varchar");
  await insertRows(db.conn, "leads", [
    {
      lead_id: "L1",
      created_at: "2025-01-01",
      employees: 1500,
      annual_revenue: 5e6,
      industry: "software ",
      plan_tier: "gold",
      budget: "confirmed",
      email: "a@x.com",
      email_domain_kind: "business",
      job_title: "CTO",
    },
    {
      lead_id: "L2",
      created_at: "2025-01-01",
      annual_revenue: 2e6,
      industry: "Regional BANK plc",
      email: "b@gmail.com",
      email_domain_kind: "personal",
    },
    {
      lead_id: "L3",
      created_at: "2025-06-20",
      employees: 50,
      industry: "unknown",
      plan_tier: "GOLD",
      email: "c@rival.com",
      email_domain_kind: "business",
      job_title: "Analyst",
    },
    { lead_id: "L4", created_at: "2025-01-01", budget: "confirmed", job_title: "VP", phone: "+1 555 0100" },
    {
      lead_id: "L5",
      created_at: "2025-06-25",
      employees: 2000,
      industry: "Software",
      budget: "confirmed",
      email: "e@x.com",
      email_domain_kind: "business",
    },
    { lead_id: "L6", created_at: "2025-07-02", employees: 5000 },
    { lead_id: "L7" },
  ]);
  const act = (
    id: string,
    lead: string,
    at: string,
    type: string,
    detail: string | null = null,
    party = "first",
  ) => ({
    activity_id: id,
    lead_id: lead,
    occurred_at: at,
    activity_type: type,
    detail,
    party,
  });
  await insertRows(db.conn, "activities", [
    act("a1", "L1", "2025-06-01", "pricing_page_view"), // 30 days old: 10 x 0.5 = 5
    act("a2", "L1", "2025-05-02", "pricing_page_view"), // 60 days old (window edge, counted): 10 x 0.25 = 2.5
    act("a3", "L1", "2025-05-01", "pricing_page_view"), // 61 days old: outside the 60-day window
    act("a4", "L1", "2025-07-01", "pricing_page_view"), // at the as-of moment: not before it, not counted
    act("a5", "L1", "2025-06-21", "demo_request"), // 10 days old: 20 x (1 - 10/40) = 15
    act("a6", "L1", "2025-07-05", "demo_request"), // after the as-of moment
    act("a7", "L1", "2025-06-26", "content_download", "ebook: Scoring"), // 5 days, no decay: 4
    act("a8", "L1", "2025-06-26", "content_download", "whitepaper: SLA"), // detail does not match
    act("a9", "L1", "2025-06-16", "intent_signal", "g2", "third"), // 15 days: 6 x 2^-0.5 = 4.243
    act("a10", "L1", "2025-06-16", "intent_signal", "g2", "first"), // wrong party
    act("b1", "L2", "2025-02-01", "unsubscribe"), // ever before: -7; last activity 150 days ago: inactive
    act("d1", "L4", "2025-06-30", "demo_request"), // 1 day: 20 x (1 - 1/40) = 19.5, rounds to 20
    act("d2", "L4", "2025-06-30 12:00:00", "pricing_page_view"), // 4 x 10 x 2^(-0.5/30) = 39.5 -> cap 30
    act("d3", "L4", "2025-06-30 12:00:01", "pricing_page_view"),
    act("d4", "L4", "2025-06-30 12:00:02", "pricing_page_view"),
    act("d5", "L4", "2025-06-30 12:00:03", "pricing_page_view"),
    act("d6", "L4", "2025-06-25", "content_download", "EBOOK: Cost per SQL"), // 4 (ILIKE: any case)
  ]);
}

describe("scoring a definition as of a moment", () => {
  let db: Db;
  let scores: Map<string, ScoreRow>;
  let result: Awaited<ReturnType<typeof scoreLeads>>;

  beforeAll(async () => {
    db = await memoryDb();
    await fill(db);
    result = await scoreLeads(db, { definition: DEF, asOf: AS_OF });
    scores = await storedScores(db.conn);
  });
  afterAll(() => db.close());

  const get = (id: string): ScoreRow => {
    const s = scores.get(id);
    if (!s) throw new Error(`no score for ${id}`);
    return s;
  };

  it("scores every lead that existed at the moment, and no other", () => {
    expect([...scores.keys()]).toEqual(["L1", "L2", "L3", "L4", "L5", "L7"]);
    expect(result.leadsScored).toBe(6);
    expect(result.asOf).toBe("2025-07-01 00:00:00");
    expect(get("L1").as_of).toBe("2025-07-01 00:00:00");
  });

  it("adds fit bands, value lists (in, contains, matches), extra columns and BANT", () => {
    // L1: size_emp big +20 (revenue not counted: same group), industry "software " = Software +15,
    // plan_tier gold +4 -> fit 39; budget confirmed -> situational 10.
    expect(get("L1")).toMatchObject({ fit: 39, situational: 10 });
    // L2: no employees -> revenue 2M +7; "Regional BANK plc" contains bank +8; plan missing 0.
    expect(get("L2")).toMatchObject({ fit: 15, situational: 0 });
    // L3: 50 employees -5; "unknown" is missing here -3; plan "GOLD" +4.
    expect(get("L3")).toMatchObject({ fit: -4 });
    // L7: nothing known: size group all missing -> size_emp's missing -1; industry -3.
    expect(get("L7")).toMatchObject({ fit: -4, situational: 0 });
  });

  it("decays, windows, caps and rounds engagement", () => {
    // L1: pricing 5 + 2.5 = 7.5 -> 8 (halves round away from zero); demo 15; ebooks 4; intent 4.243 -> 4.
    expect(get("L1").engagement).toBe(8 + 15 + 4 + 4);
    // L4: pricing capped at 30, demo 20, ebooks 4 = 54 -> engagement cap 40.
    expect(get("L4").engagement).toBe(40);
    expect(get("L2").engagement).toBe(0);
  });

  it("subtracts negative criteria, judges inactivity, disqualifies", () => {
    // L2: personal -10, unsubscribed -7, inactive (last activity 150 days ago) -4.
    expect(get("L2")).toMatchObject({ negative: -21, total: 15 - 21, stage: "lead" });
    // L3: created 11 days before the moment: too new to be inactive; rival domain: disqualified.
    expect(get("L3")).toMatchObject({
      negative: 0,
      is_disqualified: true,
      stage: "disqualified",
      points_stage: "lead",
    });
    // L5: created 6 days before, no activities: not inactive. L7: no creation date, no activity: inactive.
    expect(get("L5").negative).toBe(0);
    expect(get("L7").negative).toBe(-4);
  });

  it("sets the stage by thresholds, min_fit and completeness", () => {
    // L1: 39 + 10 + 31 = 80, fit 49 >= 10, job title and email present -> sql.
    expect(get("L1")).toMatchObject({
      total: 80,
      stage: "sql",
      points_stage: "sql",
      is_complete: true,
      completeness: 1,
    });
    // L4: -1 - 3 + 0 + 10 + 40 = 46 >= 40 but fit + situational = 6 < 10 -> mql. Phone counts as contact.
    expect(get("L4")).toMatchObject({
      fit: -4,
      total: 46,
      stage: "mql",
      points_stage: "mql",
      is_complete: true,
    });
    // L5: 20 + 15 + 10 = 45, no job title -> held at mql.
    expect(get("L5")).toMatchObject({
      total: 45,
      points_stage: "sql",
      stage: "mql",
      is_complete: false,
      completeness: 0.5,
    });
    expect(get("L5").missing_fields).toEqual(["Job title"]);
    expect(get("L7")).toMatchObject({ completeness: 0, missing_fields: ["Job title", "Contact"] });
  });

  it("grades and, when calibrated, gives the probability", () => {
    expect(["L1", "L2", "L4", "L5", "L7"].map((id) => get(id).grade)).toEqual(["A", "F", "A", "A", "F"]);
    // 80 points: log-odds ln(1) + (80 - 40) ln2 / 20 = 2 ln 2 -> odds 4 -> p = 4/5.
    expect(get("L1").probability).toBeCloseTo(0.8, 12);
    // 40 points: odds 1 -> p = 1/2.
    expect(get("L4").probability).toBeCloseTo(1 / (1 + 2 ** (-6 / 20)), 12);
  });

  it("keeps the top reasons, largest first, ties in file order, holds and disqualifications first", () => {
    expect(get("L1").reasons).toEqual(["Size emp: big (+20)", "Industry: Software (+15)"]);
    expect(get("L2").reasons).toEqual(["Personal (-10)", 'Industry: contains "bank" (+8)']);
    expect(get("L3").reasons).toEqual(["Rival (disqualified)", "Size emp: under 100 (-5)"]);
    expect(get("L4").reasons).toEqual([
      "Pricing: 4 in the last 60 days (+30)",
      "Demo: 1 in the last 60 days (+20)",
    ]);
    expect(get("L5").reasons).toEqual(["Held at mql until filled in: Job title", "Size emp: big (+20)"]);
  });

  it("replaces the scores of the same version and moment when run again", async () => {
    const again = await scoreLeads(db, { definition: DEF, asOf: AS_OF });
    expect(again.runId).toBe(result.runId + 1);
    const n = (
      await db.conn.runAndReadAll("select cast(count(*) as integer) as n from lead_scores")
    ).getRowObjectsJson();
    expect(n[0]?.n).toBe(6);
  });

  it("scores each lead at its own moment with --as-of per-lead", async () => {
    await insertRows(db.conn, "lead_stage_changes", [
      { lead_id: "L1", stage: "mql", entered_at: "2025-06-01" },
      { lead_id: "L1", stage: "sql", entered_at: "2025-06-15" },
      { lead_id: "L4", stage: "sql", entered_at: "2025-06-30 12:00:02" }, // a later stage stands in for mql
    ]);
    const r = await scoreLeads(db, { definition: DEF, asOf: "per-lead" });
    expect(r.asOfRule).toBe("per-lead");
    const rows = (
      await db.conn.runAndReadAll(
        "select lead_id, cast(as_of as varchar) as as_of, engagement from lead_scores where run_id = $r::integer order by lead_id",
        { r: String(r.runId) },
      )
    ).getRowObjectsJson();
    expect(rows).toEqual([
      // L1 as of its MQL moment 2025-06-01: pricing 2025-05-02 is 30 days old (5), the one of 05-01 is 31 days (10 x 2^(-31/30) = 4.88): 9.88 -> 10
      { lead_id: "L1", as_of: "2025-06-01 00:00:00", engagement: 10 },
      { lead_id: "L2", as_of: "2025-01-15 00:00:00", engagement: 0 },
      { lead_id: "L3", as_of: "2025-07-04 00:00:00", engagement: 0 },
      // L4 at 2025-06-30 12:00:02: demo 0.5 days old, 20 x (1 - 0.5/40) = 19.75 -> 20; two pricing views before it,
      // 2 x 10 x 2^(-(2 s)/30 d) = 20.0 -> 20; the ebook 5.5 days old: 4.
      { lead_id: "L4", as_of: "2025-06-30 12:00:02", engagement: 40 },
      { lead_id: "L5", as_of: "2025-07-09 00:00:00", engagement: 0 },
      { lead_id: "L6", as_of: "2025-07-16 00:00:00", engagement: 0 },
    ]);
  });
});

describe("scoring at moments chosen by the caller", () => {
  it("reads lead_id and as_of from a table or view (asOfTable)", async () => {
    await withMemoryDb(async (db) => {
      await insertRows(db.conn, "leads", [
        { lead_id: "a", created_at: "2025-01-01" },
        { lead_id: "b", created_at: "2025-01-01" },
      ]);
      await insertRows(db.conn, "activities", [
        { activity_id: "1", lead_id: "a", occurred_at: "2025-03-01", activity_type: "demo_request" },
      ]);
      await db.conn.run(
        "create temp table moments as select * from (values ('a', timestamp '2025-03-02'), ('a', timestamp '2025-02-01'), ('b', timestamp '2025-03-02'), ('zz', timestamp '2025-03-02')) as t(lead_id, as_of)",
      );
      const def = definition(
        "engagement:\n  criteria:\n    - { name: demo, activity: demo_request, points: 10 }\n",
      );
      const r = await scoreLeads(db, { definition: def, asOfTable: "moments" });
      expect(r).toMatchObject({ asOfRule: "table", asOf: null, leadsScored: 3 });
      const rows = (
        await db.conn.runAndReadAll(
          "select lead_id, cast(as_of as varchar) as as_of, engagement from lead_scores order by lead_id, as_of",
        )
      ).getRowObjectsJson();
      // The same lead at two moments: the demo request counts only at the later one; "zz" is no lead.
      expect(rows).toEqual([
        { lead_id: "a", as_of: "2025-02-01 00:00:00", engagement: 0 },
        { lead_id: "a", as_of: "2025-03-02 00:00:00", engagement: 10 },
        { lead_id: "b", as_of: "2025-03-02 00:00:00", engagement: 0 },
      ]);
    });
  });
});

describe("scoring with little data", () => {
  it("scores an MQL list with no activities, says what does not apply, and judges nobody inactive", async () => {
    await withMemoryDb(async (db) => {
      await insertRows(db.conn, "leads", [
        { lead_id: "m1", created_at: "2018-01-01", channel: "organic_search" },
        { lead_id: "m2", created_at: "2018-02-01", channel: "unknown" },
      ]);
      const r = await scoreLeads(db, { definitionFile: "data/definition.yaml" });
      expect(r.asOf).toBe("2018-02-02 00:00:00");
      expect(r.leadsScored).toBe(2);
      expect(r.notes.join(" ")).toMatch(
        /no activities are loaded: the 11 engagement criteria give 0 points and the 3 negative criteria on activities \(job_seeker, unsubscribed, inactive\) do not apply/,
      );
      const s = await storedScores(db.conn);
      // Source search +3; industry and seniority not known: -2 and -3.
      expect(s.get("m1")).toMatchObject({ fit: -2, engagement: 0, negative: 0, total: -2, stage: "lead" });
      expect(s.get("m1")?.reasons).toEqual([
        "Seniority: not known (-3)",
        "Lead source: search (+3)",
        "Industry: not known (-2)",
      ]);
      // "unknown" is listed as missing for the source: 0 points.
      expect(s.get("m2")).toMatchObject({ fit: -5, total: -5 });
    });
  });

  it("scores nothing in an empty database, and says so", async () => {
    await withMemoryDb(async (db) => {
      const r = await scoreLeads(db, { definitionFile: "data/definition.yaml", asOf: "2025-01-01" });
      expect(r.leadsScored).toBe(0);
      expect(r.notes).toContain("no lead existed at that moment: nothing was scored");
    });
  });

  it("refuses a definition that reads a column leads does not have, naming the line", async () => {
    await withMemoryDb(async (db) => {
      const def = definition(`fit:\n  - { name: ind, column: industy, values: [{ in: [a], points: 1 }] }\n`);
      await expect(scoreLeads(db, { definition: def })).rejects.toThrow(UserError);
      await expect(scoreLeads(db, { definition: def })).rejects.toThrow(
        /test\.yaml: the scoring definition has a problem:\n {2}line 3, fit\[0\]\.column: leads has no column industy \(did you mean industry\?\)/,
      );
    });
  });

  it("refuses a regular expression DuckDB cannot compile", async () => {
    await withMemoryDb(async (db) => {
      const def = definition(
        `fit:\n  - { name: t, column: job_title, values: [{ matches: "(vp", points: 1 }] }\n`,
      );
      await expect(scoreLeads(db, { definition: def })).rejects.toThrow(
        /fit\[0\]\.values\[0\]\.matches: not a valid regular expression/,
      );
    });
  });

  it("refuses an as-of that is not a date", async () => {
    await withMemoryDb(async (db) => {
      await expect(
        scoreLeads(db, { definitionFile: "data/definition.yaml", asOf: "yesterday" }),
      ).rejects.toThrow(/--as-of: expected latest, now, per-lead, a date/);
      await expect(
        scoreLeads(db, { definitionFile: "data/definition.yaml", asOf: "2025-02-30" }),
      ).rejects.toThrow(/not a real date/);
    });
  });
});
