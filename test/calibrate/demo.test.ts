import { execFile } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignHoldout, parseHoldout } from "../../src/calibrate/holdout.ts";
import { buildPopulation } from "../../src/calibrate/population.ts";
import type { CalibrationReport } from "../../src/calibrate/report.ts";
import { type Db, openDb } from "../../src/db/connection.ts";
import { SQL_MODEL } from "../../src/demo/truth.ts";
import { featuresQuery, logOddsExpr } from "../../src/demo/truth-sql.ts";
import { buildScoreQuery, loadDefinitionFile, parseDefinition } from "../../src/scoring/index.ts";
import { auc } from "../../src/stats/index.ts";
import { tempDir } from "../helpers/cli.ts";
import { copyDb } from "../helpers/shared-fixture.ts";
import { sharedCalibratedDemo } from "./calibrated-demo.ts";

/**
 * Calibration on the demo, where the true model is known (src/demo/truth.ts), run as a user runs it:
 * the real `bin/leadcal.js` as a child process.
 */
const run = promisify(execFile);
const BIN = join(process.cwd(), "bin", "leadcal.js");

async function leadcal(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, TZ: "UTC" },
      maxBuffer: 1 << 26,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: Number(err.code ?? 1), stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

const dir = tempDir("leadcal-calibrate-");
const dbPath = join(dir, "demo.duckdb");
const draftPath = join(dir, "draft.yaml");
let first: { code: number; stdout: string; stderr: string };
let report: CalibrationReport;

beforeAll(async () => {
  // `leadcal demo` and `leadcal calibrate`, run once for this file and the Thresholds page test.
  const shared = await sharedCalibratedDemo();
  expect(shared.demo.code, shared.demo.stderr).toBe(0);
  first = shared.calibrate;
  copyDb(shared.dbPath, dbPath);
  if (existsSync(shared.draftPath)) copyFileSync(shared.draftPath, draftPath);
  const db = await openDb(dbPath);
  try {
    const rows = (
      await db.conn.runAndReadAll(
        "select report::varchar as r from model_versions where origin = 'calibrated'",
      )
    ).getRowObjectsJson();
    report = JSON.parse(String(rows[0]?.r)) as CalibrationReport;
  } finally {
    db.close();
  }
}, 240_000);

afterAll(() => {
  // the temp folder is left to the OS; nothing in it is large
});

describe("leadcal calibrate on the demo", () => {
  it("exits 0, prints the comparison and writes a draft that validates", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Verdict: The new points \(2026\.2\)/);
    expect(first.stdout).toMatch(/AUC \(95% interval\)/);
    expect(first.stdout).toMatch(/left out: its 90-day outcome window had not closed/);
    const draft = parseDefinition(readFileSync(draftPath, "utf8"), draftPath);
    expect(draft.def.version).toBe("2026.2");
    expect(draft.def.status).toBe("draft");
    expect(draft.def.calibration?.points_to_double_odds).toBe(20);
    expect(readFileSync(draftPath, "utf8")).toMatch(/# (points )?was \d+/);
  });

  it("validates out of time on the newest complete quarter, and never trains on open outcome windows", () => {
    expect(report.holdout.outOfTime).toBe(true);
    expect(report.pointInTimeChecked).toBe(true);
    expect(report.holdoutWindow.from).toMatch(/^\d{4}-(01|04|07|10)-01$/);
    expect(String(report.training.to) < String(report.holdoutWindow.from)).toBe(true);
    const open = report.population.find((p) => /window had not closed/.test(p.reason));
    expect(open?.leads).toBeGreaterThan(0);
  });

  it("ranks leads better than the hand-set points, and rounding to whole points costs at most 0.002 AUC", () => {
    expect(report.comparison.verdict).toBe("better");
    expect(report.challenger.auc).toBeGreaterThan(report.champion.auc);
    expect(report.challengerUnroundedAuc - report.challenger.auc).toBeLessThanOrEqual(0.002);
    expect(report.challenger.aucLow).toBeLessThan(report.challenger.auc);
    expect(report.challenger.aucHigh).toBeGreaterThan(report.challenger.auc);
    for (const m of [report.champion, report.challenger]) {
      for (const v of [m.auc, m.gini, m.ks, m.brier, m.logLoss, m.ece]) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it("recovers the direction and order of the true effects (src/demo/truth.ts SQL_MODEL)", () => {
    const pts = (criterion: string, kase: string) => {
      const row = report.points.find((p) => p.criterion === criterion && p.case === kase);
      if (!row) throw new Error(`no points row ${criterion} / ${kase}`);
      return row.newPoints;
    };
    // seniority: director 0.5 > manager 0.2 > individual contributor 0
    expect(pts("seniority", "director")).toBeGreaterThan(pts("seniority", "manager"));
    expect(pts("seniority", "manager")).toBeGreaterThan(pts("seniority", "individual contributor"));
    // budget: confirmed 0.8 > planned 0.4 > none -0.4
    expect(pts("budget", "confirmed")).toBeGreaterThan(pts("budget", "planned"));
    expect(pts("budget", "planned")).toBeGreaterThan(pts("budget", "no budget"));
    // need: high 0.7 > medium 0.25 > low -0.5
    expect(pts("need", "high")).toBeGreaterThan(pts("need", "medium"));
    expect(pts("need", "medium")).toBeGreaterThan(pts("need", "low"));
    // timeline: this quarter 0.8 > next quarter 0.4 > this year 0.1 > none -0.6
    expect(pts("timeline", "buying this quarter")).toBeGreaterThan(pts("timeline", "buying next quarter"));
    expect(pts("timeline", "buying next quarter")).toBeGreaterThan(pts("timeline", "buying this year"));
    expect(pts("timeline", "buying this year")).toBeGreaterThan(pts("timeline", "no timeline"));
    // authority: decision maker 0.5 > gatekeeper -0.2 > none -0.5
    expect(pts("authority", "decision maker")).toBeGreaterThan(pts("authority", "gatekeeper"));
    expect(pts("authority", "gatekeeper")).toBeGreaterThan(pts("authority", "no say"));
    // employees: 1000-4999 0.55 > 200-999 0.35 > 50-199 0 > 1-49 -0.7
    expect(pts("company_size_employees", "1,000 to 4,999 employees")).toBeGreaterThan(
      pts("company_size_employees", "200 to 999 employees"),
    );
    expect(pts("company_size_employees", "200 to 999 employees")).toBeGreaterThan(
      pts("company_size_employees", "50 to 199 employees"),
    );
    expect(pts("company_size_employees", "50 to 199 employees")).toBeGreaterThan(
      pts("company_size_employees", "fewer than 50 employees"),
    );
    // industry: software 0.4 > education -0.5 / government -0.4
    expect(pts("industry", "software")).toBeGreaterThan(pts("industry", "education or government"));
    // engagement: a demo request (1.3) is worth more per event than an email click (0.08), and both help
    expect(pts("demo_request", "per event")).toBeGreaterThan(pts("email_clicks", "per event"));
    expect(pts("demo_request", "per event")).toBeGreaterThan(0);
    expect(pts("pricing_page", "per event")).toBeGreaterThan(0);
    // negative signs: personal email -0.9, student -1.0/-1.8, unsubscribed -0.8, careers pages -1.2
    expect(pts("personal_email", "when it holds")).toBeLessThan(0);
    expect(pts("student", "when it holds")).toBeLessThan(0);
    expect(pts("unsubscribed", "when it holds")).toBeLessThan(0);
    expect(pts("job_seeker", "when it holds")).toBeLessThan(0);
  });

  it("comes within 0.01 of the AUC of the true probabilities when fitted on the truth model's population (--among mql)", async () => {
    // The truth model (SQL_MODEL) is P(SQL within 60 days | MQL) at the MQL moment: its population is
    // the holdout's MQLs (leads that never became an MQL cannot become an SQL in the demo). Both the
    // true probabilities and a calibrated draft's scores are ranked over those same leads.
    const amongPath = join(dir, "draft-among-mql.yaml");
    const among = await leadcal(["calibrate", "--db", dbPath, "--among", "mql", "--out", amongPath]);
    expect(among.code, among.stderr).toBe(0);
    expect(among.stdout).toMatch(/among leads that had reached mql/);
    expect(among.stdout).toMatch(/left out: had not reached mql by its scoring moment \(--among mql\)/);
    const db: Db = await openDb(dbPath);
    try {
      const def = loadDefinitionFile("data/definition.yaml").def;
      const pop = await buildPopulation(db.conn, def, { target: "sql", horizonDays: 90 });
      await assignHoldout(db.conn, pop, parseHoldout(undefined, true), { seed: 1, horizonDays: 90 });
      await db.conn.run(`create temp table truth_moments as
        select p.lead_id, p.as_of, p.y from cal_pop p
        where p.part = 'holdout' and p.lead_id in (select lead_id from lead_stage_changes where stage = 'mql')`);
      await db.conn.run(`create temp view truth_leads as
        select l.lead_id as lead_key, m.as_of as moment, l.* from truth_moments m join leads l using (lead_id)`);
      await db.conn.run(
        "create temp view truth_activities as select lead_id as lead_key, occurred_at, activity_type, detail from activities",
      );
      const aucOf = async (path: string) => {
        const draft = parseDefinition(readFileSync(path, "utf8"), path);
        const q = buildScoreQuery(draft.def, { scope: { kind: "table", table: "truth_moments" } });
        const rows = (
          await db.conn.runAndReadAll(
            `with f as (${featuresQuery("truth_leads", "truth_activities")}), s as (${q.sql})
             select m.y::integer as y, 1 / (1 + exp(-(${logOddsExpr(SQL_MODEL, "f")}))) as p, s.total
             from truth_moments m join f on f.lead_key = m.lead_id join s on s.lead_id = m.lead_id`,
            q.params,
          )
        ).getRowObjectsJson();
        const y = rows.map((r) => Number(r.y));
        return {
          n: rows.length,
          truth: auc(
            rows.map((r) => Number(r.p)),
            y,
          ),
          draft: auc(
            rows.map((r) => Number(r.total)),
            y,
          ),
        };
      };
      const fitted = await aucOf(amongPath);
      expect(fitted.n).toBeGreaterThan(500);
      // Measured on this demo (20,000 leads, end 2026-11-01): truth 0.8278, the --among mql draft
      // 0.8252, a gap of 0.0026 (the target: under 0.01).
      expect(fitted.draft).toBeGreaterThan(fitted.truth - 0.01);
      // The default draft is fitted on every lead (non-MQLs scored 14 days after creation), so its
      // points also separate MQLs from the rest; ranked within the MQLs it measured 0.8161, a gap of
      // 0.0117. Adding 30-day flat copies of the engagement criteria (the truth's windows) changed
      // it by 0.0001: the population, not the windows, is what costs it. This guards that figure.
      const general = await aucOf(draftPath);
      expect(general.draft).toBeGreaterThan(general.truth - 0.015);
    } finally {
      db.close();
    }
  }, 120_000);

  it("gives the same bytes for the same inputs", async () => {
    const again = join(dir, "draft-again.yaml");
    const second = await leadcal(["calibrate", "--db", dbPath, "--out", again]);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(again, "utf8")).toBe(readFileSync(draftPath, "utf8"));
  }, 120_000);

  it("thresholds --write puts the recommended thresholds into the draft, the old values in comments", async () => {
    const out = join(dir, "draft-thresholds.yaml");
    const r = await leadcal(["thresholds", "--db", dbPath, "--write", "--out", out, "--capacity-reps", "4"]);
    expect(r.code, r.stderr).toBe(0);
    const sql = /recommended sql\s+(-?\d+)/.exec(r.stdout)?.[1];
    const mql = /recommended mql\s+(-?\d+)/.exec(r.stdout)?.[1];
    expect(r.stdout).toMatch(/Binding constraint for the sql threshold: (capacity|conversion floor|none)\./);
    expect(r.stdout).toMatch(/Wrote the recommended thresholds into 2026\.2/);
    const def = parseDefinition(readFileSync(out, "utf8"), out).def;
    expect(def.version).toBe("2026.2");
    expect(def.thresholds.find((t) => t.stage === "sql")?.min_score).toBe(Number(sql));
    expect(def.thresholds.find((t) => t.stage === "mql")?.min_score).toBe(Number(mql));
    expect(readFileSync(out, "utf8")).toMatch(/recommended by leadcal thresholds \(run \d+\)/);
    const bad = await leadcal(["thresholds", "--db", dbPath, "--min-conversion", "2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-conversion: expected a number of 0 or more and at most 1; got 2/);
  }, 120_000);

  it("approves a version with who signed off, lists it, and scores another database with the draft", async () => {
    const current = join(dir, "definition.yaml");
    writeFileSync(current, readFileSync("data/definition.yaml", "utf8"));
    const ok = await leadcal([
      "approve",
      "2026.2",
      "--db",
      dbPath,
      "--definition",
      current,
      "--by",
      "Ana Diaz, VP Sales",
      "--by",
      "Li Wei, CMO",
      "--on",
      "2026-11-15",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const approved = parseDefinition(readFileSync(current, "utf8"), current).def;
    expect(approved.status).toBe("approved");
    expect(approved.approved).toEqual([
      { by: "Ana Diaz", role: "VP Sales", on: "2026-11-15" },
      { by: "Li Wei", role: "CMO", on: "2026-11-15" },
    ]);
    const models = await leadcal(["models", "--db", dbPath]);
    expect(models.code).toBe(0);
    expect(models.stdout).toMatch(/2026\.2\s+approved\s+calibrated/);
    expect(models.stdout).toMatch(/2026\.1\s+retired\s+file/);
    expect(models.stdout).toMatch(/Ana Diaz, VP Sales on 2026-11-15/);
    const again = await leadcal([
      "approve",
      "2026.2",
      "--db",
      dbPath,
      "--definition",
      current,
      "--by",
      "X, Y",
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already approved/);
    const unknown = await leadcal([
      "approve",
      "9.9",
      "--db",
      dbPath,
      "--definition",
      current,
      "--by",
      "X, Y",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no version 9\.9 in the model registry/);
    expect(unknown.stderr).not.toMatch(/at .*\.ts:\d+/);

    // Next quarter's leads, in another database with the same columns: the draft alone scores them.
    const other = join(dir, "next.duckdb");
    const demo2 = await leadcal([
      "demo",
      "--db",
      other,
      "--leads",
      "2000",
      "--seed",
      "7",
      "--end",
      "2026-11-01",
      "--out",
      join(dir, "files2"),
    ]);
    expect(demo2.code, demo2.stderr).toBe(0);
    const scored = await leadcal(["score", "--db", other, "--definition", draftPath]);
    expect(scored.code, scored.stderr).toBe(0);
    const csv = join(dir, "scores.csv");
    const exported = await leadcal(["export-scores", "--db", other, "--out", csv]);
    expect(exported.code, exported.stderr).toBe(0);
    // Read the export back with DuckDB's CSV reader (its reasons column holds quoted commas).
    const mem = await openDb(":memory:");
    try {
      const r = (
        await mem.conn.runAndReadAll(
          `select count(*)::integer as n, count(*) filter (where probability between 0 and 1)::integer as ok,
             count(distinct probability)::integer as distinct_p
           from read_csv($f, header = true)`,
          { f: csv },
        )
      ).getRowObjectsJson()[0];
      expect(Number(r?.n)).toBeGreaterThan(1000);
      expect(r?.ok).toBe(r?.n);
      expect(Number(r?.distinct_p)).toBeGreaterThan(10);
    } finally {
      mem.close();
    }
    expect(existsSync(csv)).toBe(true);
  }, 180_000);
});
