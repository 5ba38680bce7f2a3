import type { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  capacityOf,
  cutoffRole,
  rowAt as pageRowAt,
  perWeek,
  snapCutoff,
  summarySentence,
  unpack,
  workloadAgainst,
} from "../../reports/components/thresholds-logic.js";
import { summariseThresholds } from "../../src/report/overview.ts";
import { NO_SWEEP, type ThresholdsReport, thresholdsReport } from "../../src/report/thresholds.ts";
import {
  COLUMNS,
  type CutoffRow,
  MAX_CUTOFFS,
  packRow,
  type SweepRecord,
  stageSweep,
  thin,
} from "../../src/report/thresholds-sweep.ts";
import { rowAt as engineRowAt } from "../../src/thresholds/index.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { insertVersions, REGISTRY } from "./model-fixture.ts";

/**
 * A hand-made threshold run: a 10-week holdout of 1,000 leads (50 conversions, 10 wins) and a 40-week
 * training window, SQL swept at 10, 20, 30 on the holdout (10, 15, 20, 30 on training), MQL at 0, 10,
 * 20. The recommendation (SQL 15, chosen on training) falls between two holdout cut-offs, so the page
 * must show it with the figures of the next one up (20).
 */
function row(
  part: string,
  stage: string,
  threshold: number,
  leads: number,
  conversions: number,
  wins: number,
) {
  const weeks = part === "holdout" ? 10 : 40;
  const perWeek = leads / weeks;
  return {
    part,
    stage,
    threshold,
    leads,
    per_week: perWeek,
    per_quarter: perWeek * 13.04,
    conversions,
    rate: leads ? conversions / leads : null,
    rate_low: leads ? conversions / leads - 0.05 : null,
    rate_high: leads ? conversions / leads + 0.05 : null,
    capture: conversions / (part === "holdout" ? 50 : 200),
    wins,
    revenue: null,
    cost_per_sql: null,
    workload_per_week: perWeek * 6,
  };
}

const SWEEP = [
  row("holdout", "sql", 10, 300, 30, 6),
  row("holdout", "sql", 20, 200, 25, 5),
  row("holdout", "sql", 30, 100, 15, 3),
  row("train", "sql", 10, 1200, 120, 24),
  row("train", "sql", 15, 1000, 110, 22),
  row("train", "sql", 20, 800, 100, 20),
  row("train", "sql", 30, 400, 60, 12),
  row("holdout", "mql", 0, 600, 48, 10),
  row("holdout", "mql", 10, 400, 45, 9),
  row("holdout", "mql", 20, 250, 30, 6),
];

const SETTINGS = {
  reps: 2,
  touchesPerRepWeek: 50,
  touchesPerSql: 6,
  minConversion: 0.1,
  mqlCapture: 0.9,
  commitmentPerQuarter: 150,
  objective: "wins",
  capacityPerWeek: 100,
  holdout: "out of time: leads scored on or after 2026-01-01, trained on every earlier lead",
  windows: [
    {
      part: "holdout",
      from: "2026-01-01",
      to: "2026-03-11",
      weeks: 10,
      leads: 1000,
      conversions: 50,
      wins: 10,
      cost: null,
    },
    {
      part: "train",
      from: "2025-03-27",
      to: "2025-12-31",
      weeks: 40,
      leads: 4000,
      conversions: 200,
      wins: 40,
      cost: null,
    },
  ],
  notes: ["no costs are loaded: cost per SQL cannot be computed"],
};

const at = (part: string, stage: string, t: number) =>
  engineRowAt(SWEEP, part, stage, t) as NonNullable<ReturnType<typeof engineRowAt>>;

const RECOMMENDATION = {
  objective: "wins",
  capacityPerWeek: 100,
  minConversion: 0.1,
  sql: {
    threshold: 15,
    train: at("train", "sql", 15),
    holdout: at("holdout", "sql", 15),
    stage: "sql",
    binding: "capacity",
    feasible: true,
  },
  mql: { stage: "mql", threshold: 10, train: at("holdout", "mql", 10), holdout: at("holdout", "mql", 10) },
  current: {
    sql: { threshold: 20, train: at("train", "sql", 20), holdout: at("holdout", "sql", 20) },
    mql: { threshold: 5, train: at("holdout", "mql", 5), holdout: at("holdout", "mql", 5) },
  },
  commitment: { perQuarter: 150, maxAtFloor: 400, met: true },
  warnings: ["a warning the engine wrote"],
  sentence: "An SQL threshold of 15 points would have sent sales ...",
};

async function insertRun(conn: DuckDBConnection, runId: number, createdAt: string, sweep = SWEEP) {
  await conn.run(
    "insert into threshold_runs values ($id::integer, 'v3', $at::timestamp, $s::json, $r::json)",
    {
      id: String(runId),
      at: createdAt,
      s: JSON.stringify(SETTINGS),
      r: JSON.stringify(RECOMMENDATION),
    },
  );
  for (const r of sweep) {
    await conn.run(
      `insert into threshold_sweeps values ($run::integer, $part, $stage, $threshold::integer, $leads::bigint,
         $per_week::double, $per_quarter::double, $conversions::bigint, $rate::double, $rate_low::double,
         $rate_high::double, $capture::double, $wins::bigint, null, null, $workload::double)`,
      {
        run: String(runId),
        part: r.part,
        stage: r.stage,
        threshold: String(r.threshold),
        leads: String(r.leads),
        per_week: r.per_week,
        per_quarter: r.per_quarter,
        conversions: String(r.conversions),
        rate: r.rate,
        rate_low: r.rate_low,
        rate_high: r.rate_high,
        capture: r.capture,
        wins: String(r.wins),
        workload: r.workload_per_week,
      } as unknown as Record<string, never>,
    );
  }
}

async function read(fx: Fixture): Promise<ThresholdsReport> {
  const db = await fx.open();
  try {
    return await thresholdsReport(db.conn, { currency: "EUR" });
  } finally {
    db.close();
  }
}

type Swept = Extract<ThresholdsReport, { swept: true }>;

describe("the Thresholds page's query", () => {
  let fx: Fixture;
  let empty: Fixture;
  beforeAll(async () => {
    fx = await makeFixture(async (conn) => {
      await insertVersions(conn, REGISTRY);
      // An older run with other figures: the page must show the newest one.
      await insertRun(conn, 1, "2026-03-01 09:00:00", [row("holdout", "sql", 99, 1, 1, 1)]);
      await insertRun(conn, 2, "2026-04-01 09:00:00");
    });
    empty = await makeFixture(async () => {});
  });
  afterAll(() => {
    fx.remove();
    empty.remove();
  });

  it("says there is no sweep yet, and how to make one, when no run is stored", async () => {
    expect(await read(empty)).toEqual({ swept: false, message: NO_SWEEP });
    expect(NO_SWEEP).toBe("No threshold sweep yet: run `npx leadcal thresholds`");
  });

  it("reads the newest run: version, windows, settings, the outcome from the registry", async () => {
    const t = (await read(fx)) as Swept;
    expect(t.swept).toBe(true);
    expect(t.runId).toBe(2);
    expect(t.version).toBe("v3");
    expect(t.createdAt).toBe("2026-04-01 09:00:00");
    // model-fixture registers every version with target sql, horizon 60.
    expect(t.target).toEqual({ stage: "sql", horizonDays: 60 });
    expect(t.holdout).toMatchObject({
      from: "2026-01-01",
      to: "2026-03-11",
      weeks: 10,
      wins: 10,
      outOfTime: true,
    });
    expect(t.training).toMatchObject({ from: "2025-03-27", weeks: 40 });
    expect(t.settings).toEqual({
      reps: 2,
      touchesPerRepWeek: 50,
      touchesPerSql: 6,
      capacityPerWeek: 100,
      minConversion: 0.1,
      commitmentPerQuarter: 150,
      objective: "wins",
    });
    expect(t.recommendation.sql).toMatchObject({ stage: "sql", threshold: 15, binding: "capacity" });
    expect(t.recommendation.warnings).toEqual(["a warning the engine wrote"]);
    expect(t.notes).toEqual(["no costs are loaded: cost per SQL cannot be computed"]);
    expect(t.hasCosts).toBe(false);
    expect(t.currency).toBe("EUR");
  });

  it("carries the holdout rows per stage, SQL first, with the current and recommended cut-offs exact", async () => {
    const t = (await read(fx)) as Swept;
    expect(t.stages.map((s) => [s.stage, s.part, s.current, s.recommended, s.thinned])).toEqual([
      ["sql", "holdout", 20, 15, false],
      ["mql", "holdout", 5, 10, false],
    ]);
    const sql = unpack(t.columns, t.stages[0]?.rows ?? []);
    expect(sql.map((r) => r.threshold)).toEqual([10, 15, 20, 30]);
    // 15 is not a holdout cut-off: it reads the leads with total >= 15, i.e. the row at 20.
    expect(sql[1]).toEqual({ ...sql[2], threshold: 15 });
    expect(sql[2]).toMatchObject({
      leads: 200,
      per_week: 20,
      conversions: 25,
      rate: 0.125,
      wins: 5,
      workload_per_week: 120,
    });
    // The training rows stay out of the page's data: every figure is the holdout's.
    expect(sql.some((r) => r.leads === 1000)).toBe(false);
    const mql = unpack(t.columns, t.stages[1]?.rows ?? []);
    expect(mql.map((r) => r.threshold)).toEqual([0, 5, 10, 20]);
    expect(mql[1]?.leads).toBe(400);
  });

  it("gives the Overview the recommended cut-offs with their holdout figures, and nothing without a run", async () => {
    expect(summariseThresholds(await read(empty))).toBeNull();
    const o = summariseThresholds(await read(fx));
    expect(o?.version).toBe("v3");
    expect(o?.binding).toBe("capacity");
    // SQL recommended at 15 reads the holdout row at 20 (200 leads over 10 weeks, 25 conversions of 50)
    expect(o?.rows[0]).toEqual({
      stage: "sql",
      recommended: 15,
      current: 20,
      perWeek: 20,
      rate: 0.125,
      rateLow: 0.075,
      rateHigh: 0.175,
      capture: 0.5,
    });
    expect(o?.rows[1]).toMatchObject({ stage: "mql", recommended: 10, current: 5 });
    expect(o?.warnings).toEqual(["a warning the engine wrote"]);
  });

  it("names what the holdout is: not out of time when the run's holdout was stratified", async () => {
    const strat = await makeFixture(async (conn) => {
      await insertRun(conn, 1, "2026-04-01 09:00:00");
      await conn.run(
        'update threshold_runs set settings = json_merge_patch(settings, \'{"holdout": "not out of time: a seeded stratified random 20% of the leads"}\')',
      );
    });
    try {
      const t = (await read(strat)) as Swept;
      expect(t.holdout.outOfTime).toBe(false);
      // No registry: the page cannot say which outcome conversion means.
      expect(t.target).toBeNull();
    } finally {
      strat.remove();
    }
  });
});

describe("the page's data stays small", () => {
  const many: SweepRecord[] = Array.from({ length: 1000 }, (_, i) => ({
    ...row("holdout", "sql", i - 500, 1000 - i, Math.floor((1000 - i) / 10), 1),
  }));

  it("thins past MAX_CUTOFFS, keeping the first, the last, the current and the recommended cut-offs", () => {
    const s = stageSweep(many, "sql", { current: 7, recommended: 123 });
    expect(s.thinned).toBe(true);
    expect(s.sweptCutoffs).toBe(1000);
    const cuts = s.rows.map((r) => r[0]);
    expect(cuts.length).toBeGreaterThanOrEqual(MAX_CUTOFFS);
    expect(cuts.length).toBeLessThanOrEqual(MAX_CUTOFFS + 2);
    expect(cuts[0]).toBe(-500);
    expect(cuts[cuts.length - 1]).toBe(499);
    expect(cuts).toContain(7);
    expect(cuts).toContain(123);
    // The kept rows are the swept ones, unchanged.
    const kept = unpack(COLUMNS, s.rows).find((r) => r.threshold === 123);
    expect(kept?.leads).toBe(1000 - 623);
  });

  it("does not thin a sweep within the limit", () => {
    const few = many.slice(0, 50);
    expect(thin(few as CutoffRow[], 400, []).length).toBe(50);
    expect(stageSweep(few, "sql", { current: null, recommended: null }).rows.length).toBe(50);
  });

  it("rounds a packed row only below what the page prints", () => {
    const r = row("holdout", "sql", 51, 338, 93, 21);
    expect(
      packRow({ ...r, per_week: 26.0769230769, rate: 0.275147928994, cost_per_sql: 963.1242603 }),
    ).toEqual([51, 338, 26.077, 93, 0.27515, 0.22515, 0.32515, 1.86, 21, 963.12, 202.8]);
  });
});

describe("the page's logic", () => {
  const rows = unpack(
    COLUMNS,
    SWEEP.filter((r) => r.part === "holdout" && r.stage === "sql").map((r) => packRow(r)),
  );

  it("reads a cut-off as the engine does: the next swept cut-off up, nobody above the top", () => {
    for (const t of [5, 10, 11, 20, 29, 30, 31, 100]) {
      const engine = engineRowAt(SWEEP, "holdout", "sql", t);
      const page = pageRowAt(rows, t);
      expect(page.threshold, `cut-off ${t}`).toBe(t);
      expect(page.leads, `cut-off ${t}`).toBe(engine?.leads);
      expect(page.conversions, `cut-off ${t}`).toBe(engine?.conversions);
      expect(page.rate, `cut-off ${t}`).toBe(engine?.rate);
    }
    expect(pageRowAt(rows, 31)).toMatchObject({ leads: 0, per_week: 0, rate: null, rate_low: null, wins: 0 });
  });

  it("lets the slider land on every whole cut-off, within the sweep's range", () => {
    expect(snapCutoff(rows, 14.6)).toBe(15);
    expect(snapCutoff(rows, -40)).toBe(10);
    expect(snapCutoff(rows, 99)).toBe(30);
  });

  it("snaps to the kept cut-offs of a thinned sweep, in the direction the slider moved", () => {
    expect(snapCutoff(rows, 11, { thinned: true, previous: 10 })).toBe(20);
    expect(snapCutoff(rows, 19, { thinned: true, previous: 20 })).toBe(10);
    expect(snapCutoff(rows, 14, { thinned: true })).toBe(10);
    expect(snapCutoff(rows, 16, { thinned: true })).toBe(20);
  });

  it("recomputes capacity from reps and touches, and says when the workload is over it", () => {
    expect(capacityOf(8, 60)).toBe(480);
    expect(capacityOf(Number.NaN, 60)).toBe(0);
    expect(capacityOf(-2, 60)).toBe(0);
    const r20 = pageRowAt(rows, 20); // 20 SQLs a week x 6 touches = 120 touches
    expect(workloadAgainst(r20, 100, 6)).toEqual({
      workload: 120,
      capacity: 100,
      over: true,
      gap: 20,
      share: 1.2,
      leadsCovered: 100 / 6,
    });
    expect(workloadAgainst(r20, 120, 6).over).toBe(false);
    expect(workloadAgainst(r20, 0, 6).share).toBeNull();
  });

  it("prints small weekly volumes with a decimal", () => {
    expect(perWeek(26)).toBe("26");
    expect(perWeek(2.46)).toBe("2.5");
    expect(perWeek(0)).toBe("0");
    expect(perWeek(null)).toBe("—");
  });

  const base = {
    stage: "sql",
    capacity: 100,
    touchesPerLead: 6,
    windowWins: 10,
    outcome: "SQL within 60 days",
    currency: "USD",
    hasCosts: false,
    current: 20,
    recommended: 15,
    isHandover: true,
  };

  it("builds the sentence a manager reads aloud from the chosen values", () => {
    expect(summarySentence({ ...base, row: pageRowAt(rows, 20) })).toBe(
      "At 20 points, sales would get 20 SQLs a week, 12.5% of which reached SQL within 60 days (95% interval 7.5% to 17.5%), capturing 50.0% of all conversions and 5 of the 10 wins; that is 120 touches a week against a capacity of 100: over capacity by 20. This is the threshold in use; the recommended one is 15.",
    );
    expect(summarySentence({ ...base, capacity: 480, row: pageRowAt(rows, 25) })).toBe(
      "At 25 points, sales would get 10 SQLs a week, 15.0% of which reached SQL within 60 days (95% interval 10.0% to 20.0%), capturing 30.0% of all conversions and 3 of the 10 wins; that is 60 touches a week against a capacity of 480: within capacity, with 420 to spare. For comparison, the recommended one is 15 and the one in use is 20.",
    );
  });

  it("adds the cost per SQL only when costs are loaded", () => {
    const r = { ...pageRowAt(rows, 15), cost_per_sql: 963.12 };
    expect(summarySentence({ ...base, row: r, hasCosts: true })).toContain(", at $963 per SQL;");
    expect(summarySentence({ ...base, row: r })).not.toContain("per SQL");
    expect(summarySentence({ ...base, row: r })).toContain(
      "This is the recommended threshold; the one in use is 20.",
    );
  });

  it("speaks of MQLs, not of sales' queue, for the MQL stage", () => {
    const s = summarySentence({
      ...base,
      stage: "mql",
      isHandover: false,
      current: 5,
      recommended: 10,
      row: pageRowAt(rows, 10),
    });
    expect(s).toMatch(/^At 10 points, 30 leads a week would become MQLs, 10\.0% of which reached/);
    expect(s).not.toContain("capacity");
  });

  it("says plainly when nobody qualifies at the chosen cut-off", () => {
    expect(summarySentence({ ...base, row: pageRowAt(rows, 31) })).toBe(
      "At 31 points, no lead of the window would have qualified as SQL: there is nothing to send. For comparison, the recommended one is 15 and the one in use is 20.",
    );
  });

  it("names the chosen cut-off's role", () => {
    expect(cutoffRole(15, { current: 20, recommended: 15 })).toBe("the recommended threshold");
    expect(cutoffRole(20, { current: 20, recommended: 20 })).toBe(
      "both the recommended threshold and the one in use",
    );
    expect(cutoffRole(3, { current: 20, recommended: 15 })).toBeNull();
  });
});
