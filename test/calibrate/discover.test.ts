import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrate } from "../../src/calibrate/calibrate.ts";
import { discoverBands, MIN_LEADS, niceCut } from "../../src/calibrate/discover-bins.ts";
import type { Db } from "../../src/db/connection.ts";
import { isUserError } from "../../src/errors.ts";
import { parseDefinition } from "../../src/scoring/load-definition.ts";
import { buildScoreQuery } from "../../src/scoring/score-query.ts";
import { definition, memoryDb } from "../scoring/fixture.ts";

process.env.TZ = "UTC";

/**
 * 3,000 generated leads over two years, each an MQL 14 days after creation (its scoring moment), converting
 * to SQL 20 days later with a probability that rises with `visits_count` and is highest for the
 * `team` plan. Planted: `deal_tag` = 'closed' on every converter (filled after the outcome), and three
 * plan tiers of about 1% each (rare, to be pooled). `noise_score` carries nothing.
 */
const N = 3000;
const u = (salt: string) => `((hash(i, '${salt}') % 100000)::double / 100000)`;

async function seed(db: Db): Promise<void> {
  const c = db.conn;
  await c.run(`
    alter table leads add column visits_count integer;
    alter table leads add column plan_tier varchar;
    alter table leads add column deal_tag varchar;
    alter table leads add column noise_score double;
    insert into extra_columns values
      ('leads', 'visits_count', 'visits_count', 'INTEGER', 1), ('leads', 'plan_tier', 'plan_tier', 'VARCHAR', 1),
      ('leads', 'deal_tag', 'deal_tag', 'VARCHAR', 1), ('leads', 'noise_score', 'noise_score', 'DOUBLE', 1);
    create temp table gen as
      select i, 'L' || lpad(i::varchar, 5, '0') as lead_id,
        timestamp '2024-01-01' + to_days((i * 730 // ${N})::integer) as created_at,
        (${u("v")} * 40)::integer as visits,
        case when ${u("p")} < 0.5 then 'free' when ${u("p")} < 0.77 then 'pro' when ${u("p")} < 0.97 then 'team'
             when ${u("p")} < 0.98 then 'x1' when ${u("p")} < 0.99 then 'x2' else 'x3' end as tier,
        ${u("n")} as noise, ${u("y")} as draw
      from range(${N}) as t(i);
    create temp table gen2 as
      select *, draw < 0.02 + 0.008 * visits + case when tier = 'team' then 0.15 else 0 end as converts from gen;
    insert into leads (lead_id, created_at, country, visits_count, plan_tier, deal_tag, noise_score, batch_id)
      select lead_id, created_at, case when i % 3 = 0 then 'US' else 'DE' end, visits, tier,
        case when converts then 'closed' end, noise, 1 from gen2;
    insert into lead_stage_changes (lead_id, stage, entered_at, batch_id)
      select lead_id, 'sql', created_at + interval 34 days, 1 from gen2 where converts;
    insert into lead_stage_changes (lead_id, stage, entered_at, batch_id)
      select lead_id, 'mql', created_at + interval 14 days, 1 from gen2;
  `);
}

const champion = definition(`
fit:
  - { name: country, column: country, values: [{ in: [us], points: 5 }] }
`);

let db: Db;
beforeAll(async () => {
  db = await memoryDb();
  await seed(db);
});
afterAll(() => db?.close());

const run = (extra: { include?: readonly string[]; exclude?: readonly string[] } = {}) =>
  calibrate(db, {
    definitionFile: "test.yaml",
    definition: champion,
    discover: true,
    replicates: 20,
    include: extra.include ? [...extra.include] : undefined,
    exclude: extra.exclude ? [...extra.exclude] : undefined,
  });

describe("calibrate --discover", () => {
  it("leaves out a column filled in after the outcome, finds monotone bands and pools rare values", async () => {
    const r = await run();
    const row = (name: string) => r.report.discovered.find((d) => d.name === name);
    const leak = row("deal_tag");
    expect(leak?.decision).toBe("left out");
    expect(leak?.reason).toMatch(/leak guard/);
    expect(r.report.leftOut.find((l) => l.name === "deal_tag")?.reason).toMatch(
      /filled in after the outcome/,
    );

    const visits = row("visits_count");
    expect(visits?.decision).toBe("kept");
    expect(visits?.kind).toBe("numeric");
    const draft = parseDefinition(r.draft, "draft");
    const v = draft.def.fit.find((c) => c.column === "visits_count");
    expect(v?.monotone).toBe("increasing");
    expect(v?.bands?.length).toBeGreaterThanOrEqual(2);
    expect(v?.bands?.length).toBeLessThanOrEqual(8);
    const points = (v?.bands ?? []).map((b) => b.points);
    expect([...points].sort((a, b) => a - b)).toEqual(points);
    expect(points[points.length - 1]).toBeGreaterThan(points[0] as number);
    expect(v?.bands?.[1]?.label).toMatch(/^\d+ to \d+$/);

    const tier = row("plan_tier");
    expect(tier?.bands).toBe(3);
    const t = draft.def.fit.find((c) => c.column === "plan_tier");
    // the three common tiers keep their own case (ordered by conversion, as groupCategories orders them)
    expect(t?.values?.map((x) => x.in?.[0]).sort()).toEqual(["free", "pro", "team"]);
    expect(t?.values?.[0]?.in).toEqual(["team"]);
    expect(r.draft).toMatch(/Discovered by calibration \(--discover\) from the lead column visits_count/);
    expect(r.report.points.filter((p) => p.criterion === v?.name).every((p) => p.oldPoints === null)).toBe(
      true,
    );
    expect(row("noise_score")?.decision).not.toBe("kept");
  });

  it("lets a leak in with --include and removes a column with --exclude", async () => {
    const r = await run({ include: ["deal_tag"], exclude: ["visits_count"] });
    const leak = r.report.discovered.find((d) => d.name === "deal_tag");
    expect(leak?.decision).toBe("kept");
    expect(leak?.reason).toMatch(/--include/);
    expect(r.report.discovered.find((d) => d.name === "visits_count")).toBeUndefined();
    expect(r.report.leftOut).toContainEqual({ name: "visits_count", reason: "excluded by --exclude" });
    const draft = parseDefinition(r.draft, "draft");
    expect(draft.def.fit.some((c) => c.column === "visits_count")).toBe(false);
    expect(draft.def.fit.some((c) => c.column === "deal_tag")).toBe(true);
  });

  it("writes a draft that validates and scores every lead", async () => {
    const r = await run();
    const draft = parseDefinition(r.draft, "draft");
    const q = buildScoreQuery(draft.def, { scope: { kind: "fixed", at: "2026-01-01 00:00:00" } });
    const n = (
      await db.conn.runAndReadAll(`select count(*)::integer as n from (${q.sql})`, q.params)
    ).getRowObjectsJson()[0]?.n;
    expect(n).toBe(N);
  });

  it("refuses an unknown or personal column with a message, not a stack trace", async () => {
    for (const [opts, msg] of [
      [{ exclude: ["no_such_column"] }, /neither a column of leads nor an activity type/],
      [{ include: ["email"] }, /personal data/],
    ] as const) {
      const e = await run(opts).catch((x: unknown) => x);
      expect(isUserError(e)).toBe(true);
      expect(String((e as Error).message)).toMatch(msg);
    }
    const e = await calibrate(db, {
      definitionFile: "t",
      definition: champion,
      exclude: ["plan_tier"],
    }).catch((x: unknown) => x);
    expect(isUserError(e)).toBe(true);
  });
});

describe("discovery binning", () => {
  it("merges fine bins against the trend and neighbours that do not differ, keeping each band's values", () => {
    // 10% and 11% (chi-square p 0.82), 30% and 29% (p 0.88) do not differ; 10.5%, 29.5% and 50% do
    const fine = [10, 11, 30, 29, 50].map((events, k) => ({ lo: k, hi: k + 0.5, leads: 100, events }));
    const b = discoverBands(fine, { leads: 0, events: 0 });
    expect(b.direction).toBe("increasing");
    expect(b.bands).toEqual([
      { lo: 0, hi: 1.5, leads: 200, events: 21 },
      { lo: 2, hi: 3.5, leads: 200, events: 59 },
      { lo: 4, hi: 4.5, leads: 100, events: 50 },
    ]);
    expect(
      discoverBands([{ lo: 1, hi: 1, leads: 10, events: 1 }], { leads: 0, events: 0 }).bands,
    ).toHaveLength(1);
    expect(discoverBands([], { leads: 40, events: 4 })).toEqual({ bands: [], direction: null });
  });

  it("never leaves a band under MIN_LEADS leads, even when that is over MIN_SHARE", () => {
    // 20 of 200 leads is 10%, but under the 30-lead floor: merged, whatever its 90% rate
    const b = discoverBands(
      [
        { lo: 0, hi: 0, leads: 180, events: 18 },
        { lo: 1, hi: 1, leads: 20, events: 18 },
      ],
      { leads: 0, events: 0 },
    );
    expect(MIN_LEADS).toBe(30);
    expect(b.bands).toEqual([{ lo: 0, hi: 1, leads: 200, events: 36 }]);
    expect(b.direction).toBeNull();
  });

  it("picks round cuts", () => {
    expect(niceCut(187, 203)).toBe(200);
    expect(niceCut(0.31, 0.36)).toBe(0.35);
    expect(() => niceCut(2, 2)).toThrow(RangeError);
  });
});
