import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PointsRow } from "../../src/calibrate/report.ts";
import {
  chooseVersion,
  fromRegistry,
  type ModelReport,
  modelReport,
  NO_CALIBRATION,
  parseReport,
} from "../../src/report/model.ts";
import { metricRows } from "../../src/report/model-metrics.ts";
import { warnings } from "../../src/report/model-sentences.ts";
import { pointGroups } from "../../src/report/model-view.ts";
import { type Fixture, makeFixture } from "./fixture.ts";
import { calibrationReport, insertVersions, metrics, REGISTRY } from "./model-fixture.ts";

async function readModel(fx: Fixture): Promise<ModelReport> {
  const db = await fx.open();
  try {
    return await modelReport(db.conn);
  } finally {
    db.close();
  }
}

type Calibrated = Extract<ModelReport, { calibrated: true }>;

describe("the Model page's query", () => {
  let fx: Fixture;
  let empty: Fixture;
  beforeAll(async () => {
    fx = await makeFixture((conn) => insertVersions(conn, REGISTRY));
    empty = await makeFixture(async () => {});
  });
  afterAll(() => {
    fx.remove();
    empty.remove();
  });

  it("shows the draft newer than the approved version, as the challenger under review", async () => {
    const m = (await readModel(fx)) as Calibrated;
    expect(m.calibrated).toBe(true);
    expect(m.chosen).toEqual({
      version: "v3",
      status: "draft",
      role: "challenger under review",
      createdAt: "2026-11-30 10:00:00",
    });
    expect(m.champion).toEqual({ version: "v2", status: "approved" });
    // The report goes through as it was stored.
    expect(m.report).toEqual(calibrationReport());
  });

  it("lists every version newest first, with approvals and the holdout AUC its run measured", async () => {
    const m = await readModel(fx);
    expect(m.versions.map((v) => [v.version, v.status, v.origin, v.createdAt])).toEqual([
      ["v3", "draft", "calibrated", "2026-11-30 10:00:00"],
      ["v2", "approved", "calibrated", "2026-01-15 09:00:00"],
      ["v1", "retired", "file", "2025-06-01 09:00:00"],
    ]);
    const [v3, v2, v1] = m.versions;
    expect(v3).toMatchObject({ auc: 0.741, aucLow: 0.709, aucHigh: 0.772, measuredIn: "v3", approvals: [] });
    expect(v2).toMatchObject({ auc: 0.715, measuredIn: "v2", approvedAt: "2026-01-20 16:30:00" });
    expect(v2?.approvals).toEqual([
      { by: "Head of Marketing", role: "marketing", on: "2026-01-19" },
      { by: "Sales Director", role: "sales", on: "2026-01-20" },
    ]);
    // v1 has no report of its own: its AUC is the one v2's run measured for it as champion.
    expect(v1).toMatchObject({ auc: 0.702, aucLow: 0.668, aucHigh: 0.735, measuredIn: "v2" });
  });

  it("says no calibration was run when the registry is empty", async () => {
    expect(await readModel(empty)).toEqual({ calibrated: false, message: NO_CALIBRATION, versions: [] });
    expect(NO_CALIBRATION).toBe("No calibration has been run yet: run `npx leadcal calibrate`");
  });

  it("says no report is recorded when the registry holds only hand-set versions", () => {
    const m = fromRegistry([
      {
        version: "v1",
        status: "approved",
        origin: "file",
        parent_version: null,
        created_at: "2025-06-01 09:00:00",
        approved_at: null,
        approvals: null,
        report: null,
      },
    ]);
    expect(m.calibrated).toBe(false);
    expect(m.calibrated ? "" : m.message).toMatch(/No calibration report .* run `npx leadcal calibrate`/);
    expect(m.versions).toHaveLength(1);
  });
});

describe("which version the page shows", () => {
  const row = (version: string, status: string, created_at: string, origin = "calibrated") => ({
    version,
    status,
    origin,
    created_at,
  });

  it("prefers a draft newer than the approved version", () => {
    const rows = [
      row("a", "approved", "2026-01-01"),
      row("b", "draft", "2026-02-01"),
      row("c", "draft", "2026-03-01"),
    ];
    expect(chooseVersion(rows)).toMatchObject({ row: { version: "c" }, role: "challenger under review" });
  });

  it("shows the approved version when every draft is older than it", () => {
    const rows = [
      row("a", "draft", "2025-12-01"),
      row("b", "approved", "2026-01-01"),
      row("c", "retired", "2026-03-01"),
    ];
    expect(chooseVersion(rows)).toMatchObject({ row: { version: "b" }, role: "approved" });
  });

  it("shows the newest draft when nothing is approved yet", () => {
    const rows = [row("a", "draft", "2025-12-01"), row("b", "draft", "2026-01-01")];
    expect(chooseVersion(rows)).toMatchObject({ row: { version: "b" }, role: "challenger under review" });
  });

  it("ignores hand-set (file) versions and falls back to the newest run whatever its status", () => {
    const rows = [row("a", "retired", "2025-12-01"), row("b", "approved", "2026-05-01", "file")];
    expect(chooseVersion(rows)).toMatchObject({ row: { version: "a" }, role: "latest run" });
    expect(chooseVersion([row("b", "approved", "2026-05-01", "file")])).toBeNull();
    expect(chooseVersion([])).toBeNull();
  });
});

describe("the page's tables from a report", () => {
  it("puts every metric side by side and says which version it favours", () => {
    const r = calibrationReport();
    const rows = metricRows(r.champion, r.challenger);
    expect(rows.map((m) => m.key)).toEqual([
      "auc",
      "gini",
      "ks",
      "brier",
      "logLoss",
      "ece",
      "hlStatistic",
      "hlPValue",
      "lift10%",
      "capture10%",
      "lift20%",
      "capture20%",
      "lift30%",
      "capture30%",
    ]);
    const auc = rows[0];
    expect(auc).toMatchObject({
      champion: 0.702,
      challenger: 0.741,
      championLow: 0.668,
      challengerHigh: 0.772,
    });
    expect(auc?.better).toBe("challenger");
    // Gini = 2 AUC - 1.
    expect(rows[1]?.challenger).toBeCloseTo(0.482, 10);
    // The champion has no probabilities: nothing to compare, no winner.
    expect(rows.find((m) => m.key === "brier")).toMatchObject({
      champion: null,
      challenger: 0.094,
      better: null,
    });
    expect(rows.find((m) => m.key === "hlPValue")?.better).toBeNull();
    for (const m of rows) expect(m.explain.length).toBeGreaterThan(20);
  });

  it("favours the lower value for the error metrics", () => {
    const a = metrics({ auc: 0.7, low: 0.6, high: 0.8, ks: 0.3, probabilities: true });
    const b = { ...a, brier: 0.08 };
    expect(metricRows(a, b).find((m) => m.key === "brier")?.better).toBe("challenger");
    expect(metricRows(b, a).find((m) => m.key === "brier")?.better).toBe("champion");
  });

  it("warns when the holdout is not out of time, point-in-time is unchecked, or the champion has no probabilities", () => {
    expect(warnings(calibrationReport())).toEqual([
      expect.stringMatching(/^The champion \(v2\) carries points but no probabilities/),
    ]);
    const w = warnings(
      calibrationReport({
        holdout: { rule: "stratified:0.2", outOfTime: false, description: "a stratified 20% sample" },
        pointInTimeChecked: false,
        champion: metrics({ auc: 0.7, low: 0.6, high: 0.8, ks: 0.3, probabilities: true }),
      }),
    );
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^The holdout is NOT out of time/);
    expect(w[1]).toMatch(/^Point-in-time could not be checked/);
  });

  it("groups the points by criterion in report order, with the change and the flagged count", () => {
    const groups = pointGroups(calibrationReport().points);
    expect(groups.map((g) => [g.criterion, g.rows.length, g.flagged])).toEqual([
      ["employees", 4, 0],
      ["industry", 3, 1],
      ["demo_request", 1, 0],
      ["webinar", 1, 0],
      ["personal_email", 1, 0],
      ["job_title", 1, 0],
    ]);
    expect(groups[0]?.rows.map((r) => r.change)).toEqual([2, 2, -2, -3]);
    expect(groups[1]?.rows.map((r) => r.change)).toEqual([0, 4, 1]);
    // Points per event may carry decimals: the change carries no float noise (15.7 - 5.0 = 10.7).
    const decimals = pointGroups([
      { ...(calibrationReport().points[7] as PointsRow), oldPoints: 5, newPoints: 15.7 },
    ]);
    expect(decimals[0]?.rows[0]?.change).toBe(10.7);
    // A new criterion had no old points: no change to show.
    expect(groups.at(-1)?.rows[0]?.change).toBeNull();
  });

  it("refuses a stored report that lacks the parts the page reads, naming the version", () => {
    expect(() => parseReport("v9", "{not json")).toThrow(/version v9 is not JSON/);
    expect(() => parseReport("v9", JSON.stringify({ version: "v9" }))).toThrow(
      /version v9 is not a calibration report: no championVersion, holdout/,
    );
    const { psi: _psi, notes: _notes, ...older } = calibrationReport();
    expect(parseReport("v3", JSON.stringify(older))).toMatchObject({ psi: [], notes: [] });
  });

  it("writes the takeaways from the figures", () => {
    const m = fromRegistry([
      {
        version: "v3",
        status: "draft",
        origin: "calibrated",
        parent_version: "v2",
        created_at: "2026-11-30 10:00:00",
        approved_at: null,
        approvals: null,
        report: JSON.stringify(calibrationReport()),
      },
    ]) as Calibrated;
    expect(m.champion).toEqual({ version: "v2", status: null });
    const t = m.view.takeaways;
    expect(t.roc).toBe(
      "On the holdout the challenger's AUC is 0.741 against the champion's 0.702 (difference +0.039, 95% interval 0.012 to 0.066): better.",
    );
    expect(t.points).toMatch(/^10 of 11 cases get different points; 1 is flagged/);
    expect(t.psi).toBe(
      "The score distribution is stable (PSI 0.040); Industry is worth a look, Demo requests has shifted.",
    );
    expect(t.discovered).toBe("3 candidates were looked at; job_title was added to the draft.");
    expect(m.view.windows.map((w) => w.span)).toEqual([
      "2024-04-01 to 2025-12-31",
      "2026-01-01 to 2026-03-31",
      "2026-04-01 to 2026-06-30",
    ]);
  });
});
