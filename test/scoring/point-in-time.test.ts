import type { DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { ACTIVITY_TYPES } from "../../src/demo/truth-features.ts";
import { loadDefinitionFile, scoreLeads } from "../../src/scoring/index.ts";
import { insertRows, type Row, withMemoryDb } from "./fixture.ts";

/**
 * Point in time: nothing that happens at or after the as-of moment may change a score. Each property
 * builds a random history, scores it, adds random later events (activities, stage changes, deals,
 * sales touches, leads created later), scores again and expects identical rows.
 */
const STARTER = loadDefinitionFile("data/definition.yaml");
const AS_OF_MS = Date.UTC(2025, 6, 1); // 2025-07-01 00:00 UTC
const DAY_MS = 86_400_000;

const DETAILS = [null, "/pricing", "/careers", "/product/scoring", "ebook: Playbook", "demo-request"];

const ts = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

const leadArb = fc.record({
  employees: fc.option(fc.constantFrom(10, 49, 50, 199, 200, 999, 1000, 4999, 5000, 20000), { nil: null }),
  annual_revenue: fc.option(fc.constantFrom(1e6, 2e7, 3e8, 2e9), { nil: null }),
  industry: fc.option(fc.constantFrom("software", "Education", "retail", "government", ""), { nil: null }),
  seniority: fc.option(fc.constantFrom("c_level", "vp", "manager", "student", "individual_contributor"), {
    nil: null,
  }),
  email_domain_kind: fc.option(fc.constantFrom("business", "personal", "student", "competitor"), {
    nil: null,
  }),
  job_title: fc.option(fc.constantFrom("VP Sales", "Open to work", "Analyst"), { nil: null }),
  need: fc.option(fc.constantFrom("high", "low"), { nil: null }),
  // Created up to 200 days before the moment, exactly at it, or unknown.
  created_offset_ms: fc.option(fc.integer({ min: 0, max: 200 * DAY_MS }), { nil: null }),
});

/** An event at a signed offset from the moment: negative is before. */
const eventArb = (offset: fc.Arbitrary<number>) =>
  fc.record({
    lead: fc.nat(),
    type: fc.constantFrom(...ACTIVITY_TYPES),
    detail: fc.constantFrom(...DETAILS),
    party: fc.constantFrom("first", "third"),
    offset_ms: offset,
  });

const before = fc.integer({ min: -200 * DAY_MS, max: -1 });
/** At the moment itself (0) or after it, up to 100 days. */
const atOrAfter = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 * DAY_MS }));

const historyArb = fc.record({
  leads: fc.array(leadArb, { minLength: 1, maxLength: 6 }),
  events: fc.array(eventArb(before), { maxLength: 40 }),
  laterEvents: fc.array(eventArb(atOrAfter), { minLength: 1, maxLength: 30 }),
  laterStages: fc.array(
    fc.record({ lead: fc.nat(), stage: fc.constantFrom("mql", "sql", "won"), offset_ms: atOrAfter }),
    {
      maxLength: 5,
    },
  ),
  laterLeads: fc.array(fc.integer({ min: 1, max: 100 * DAY_MS }), { maxLength: 3 }),
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

async function insertHistory(conn: DuckDBConnection, h: History, nextId: { n: number }): Promise<void> {
  await insertRows(
    conn,
    "leads",
    h.leads.map(({ created_offset_ms, ...l }, i) => ({
      lead_id: `L${i}`,
      created_at: created_offset_ms === null ? null : ts(AS_OF_MS - created_offset_ms),
      ...l,
    })),
  );
  await insertRows(
    conn,
    "activities",
    h.events.map((e) => activity(e, h.leads.length, nextId)),
  );
}

function activity(e: History["events"][number], leads: number, nextId: { n: number }): Row {
  return {
    activity_id: `a${nextId.n++}`,
    lead_id: `L${e.lead % leads}`,
    occurred_at: ts(AS_OF_MS + e.offset_ms),
    activity_type: e.type,
    detail: e.detail,
    party: e.party,
  };
}

const TABLES = [
  "leads",
  "activities",
  "lead_stage_changes",
  "deals",
  "sales_touches",
  "lead_scores",
  "score_runs",
];

/** One in-memory database serves every generated case of a property, emptied before each. */
async function emptied(db: Db): Promise<Db> {
  for (const t of TABLES) await db.conn.run(`delete from ${t}`);
  return db;
}

async function scoresOf(conn: DuckDBConnection, runId: number): Promise<unknown[]> {
  return (
    await conn.runAndReadAll(
      "select * exclude (run_id), cast(as_of as varchar) as as_of from lead_scores where run_id = $r::integer order by lead_id, as_of",
      { r: String(runId) },
    )
  ).getRowObjectsJson();
}

describe("point in time", () => {
  it("events at or after the as-of moment never change a score", async () => {
    await withMemoryDb(async (shared) => {
      await fc.assert(
        fc.asyncProperty(historyArb, async (h) => {
          {
            const db = await emptied(shared);
            const ids = { n: 0 };
            await insertHistory(db.conn, h, ids);
            const first = await scoreLeads(db, { definition: STARTER, asOf: ts(AS_OF_MS) });
            const before = await scoresOf(db.conn, first.runId);

            const n = h.leads.length;
            await insertRows(
              db.conn,
              "activities",
              h.laterEvents.map((e) => activity(e, n, ids)),
            );
            await insertRows(
              db.conn,
              "lead_stage_changes",
              h.laterStages.map((s) => ({
                lead_id: `L${s.lead % n}`,
                stage: s.stage,
                entered_at: ts(AS_OF_MS + s.offset_ms),
              })),
            );
            await insertRows(
              db.conn,
              "deals",
              h.laterStages.map((s, i) => ({
                deal_id: `d${i}`,
                lead_id: `L${s.lead % n}`,
                created_at: ts(AS_OF_MS + s.offset_ms),
                outcome: "won",
              })),
            );
            await insertRows(
              db.conn,
              "sales_touches",
              h.laterStages.map((s, i) => ({
                touch_id: `t${i}`,
                lead_id: `L${s.lead % n}`,
                occurred_at: ts(AS_OF_MS + s.offset_ms),
                kind: "call",
              })),
            );
            // Leads created after the moment, with activities of their own.
            await insertRows(
              db.conn,
              "leads",
              h.laterLeads.map((off, i) => ({
                lead_id: `N${i}`,
                created_at: ts(AS_OF_MS + off),
                employees: 5000,
                industry: "software",
              })),
            );
            await insertRows(
              db.conn,
              "activities",
              h.laterLeads.map((off, i) => ({
                activity_id: `n${i}`,
                lead_id: `N${i}`,
                occurred_at: ts(AS_OF_MS + off),
                activity_type: "demo_request",
              })),
            );

            const second = await scoreLeads(db, { definition: STARTER, asOf: ts(AS_OF_MS) });
            expect(await scoresOf(db.conn, second.runId)).toEqual(before);
          }
        }),
        { numRuns: 30 },
      );
    });
  }, 300_000);

  it("per-lead moments: activities at or after each lead's own moment never change its score", async () => {
    await withMemoryDb(async (shared) => {
      await fc.assert(
        fc.asyncProperty(historyArb, async (h) => {
          {
            const db = await emptied(shared);
            const ids = { n: 0 };
            await insertHistory(db.conn, h, ids);
            // Every lead becomes an MQL at the moment; its score is taken there.
            await insertRows(
              db.conn,
              "lead_stage_changes",
              h.leads.map((_, i) => ({ lead_id: `L${i}`, stage: "mql", entered_at: ts(AS_OF_MS) })),
            );
            const first = await scoreLeads(db, { definition: STARTER, asOf: "per-lead" });
            const before = await scoresOf(db.conn, first.runId);
            await insertRows(
              db.conn,
              "activities",
              h.laterEvents.map((e) => activity(e, h.leads.length, ids)),
            );
            const second = await scoreLeads(db, { definition: STARTER, asOf: "per-lead" });
            expect(await scoresOf(db.conn, second.runId)).toEqual(before);
          }
        }),
        { numRuns: 20 },
      );
    });
  }, 300_000);

  it("the property has teeth: the same events a moment earlier do change scores", async () => {
    await withMemoryDb(async (db) => {
      await insertRows(db.conn, "leads", [{ lead_id: "L0", created_at: "2025-01-01" }]);
      const first = await scoreLeads(db, { definition: STARTER, asOf: ts(AS_OF_MS) });
      const before = await scoresOf(db.conn, first.runId);
      await insertRows(db.conn, "activities", [
        { activity_id: "x", lead_id: "L0", occurred_at: ts(AS_OF_MS - 1000), activity_type: "demo_request" },
      ]);
      const second = await scoreLeads(db, { definition: STARTER, asOf: ts(AS_OF_MS) });
      expect(await scoresOf(db.conn, second.runId)).not.toEqual(before);
    });
  });
});
