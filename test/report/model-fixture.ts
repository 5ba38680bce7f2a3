import type { DuckDBConnection } from "@duckdb/node-api";
import type { CalibrationReport, HoldoutMetrics } from "../../src/calibrate/report.ts";

/**
 * A hand-made CalibrationReport, as `leadcal calibrate` would record it: challenger v3 against
 * champion v2 on a holdout of 2,000 leads (240 conversions). The curves are smooth shapes with the
 * stated AUCs (ROC tpr = fpr^k has AUC 1 / (1 + k)), not measured ones: the page only draws them.
 */
export function calibrationReport(overrides: Partial<CalibrationReport> = {}): CalibrationReport {
  const champion = metrics({ auc: 0.702, low: 0.668, high: 0.735, ks: 0.31, probabilities: false });
  const challenger = metrics({ auc: 0.741, low: 0.709, high: 0.772, ks: 0.37, probabilities: true });
  return {
    version: "v3",
    championVersion: "v2",
    createdAt: "2026-11-30T10:00:00Z",
    target: { stage: "sql", horizonDays: 60 },
    holdout: {
      rule: "latest",
      outOfTime: true,
      description: "the newest complete quarter of MQLs, 2026 Q1",
    },
    pointInTimeChecked: true,
    training: { from: "2024-04-01", to: "2025-12-31", leads: 8000, conversions: 880 },
    holdoutWindow: { from: "2026-01-01", to: "2026-03-31", leads: 2000, conversions: 240 },
    recent: {
      from: "2026-04-01",
      to: "2026-06-30",
      leads: 1500,
      conversions: 0,
      description: "MQLs of 2026 Q2, whose outcome is not known yet",
    },
    population: [
      { reason: "outcome not known yet (younger than the 60-day horizon)", leads: 1500 },
      { reason: "disqualified before the scoring moment", leads: 120 },
    ],
    champion,
    challenger,
    challengerUnroundedAuc: 0.7436,
    comparison: {
      aucChampion: 0.702,
      aucChallenger: 0.741,
      difference: 0.039,
      low: 0.012,
      high: 0.066,
      z: 2.83,
      pValue: 0.0047,
      verdict: "better",
      sentence:
        "The challenger v3 ranks the holdout's leads better than the champion v2: AUC 0.741 against 0.702 (DeLong p = 0.005).",
    },
    scaling: { base_score: 50, base_odds: 0.1, points_to_double_odds: 10 },
    penalty: {
      chosen: 1,
      folds: 5,
      grid: [
        { l2: 0.1, cvLogLoss: 0.352 },
        { l2: 1, cvLogLoss: 0.348 },
        { l2: 10, cvLogLoss: 0.351 },
      ],
    },
    points: [
      pts("employees", "Company size", "fit", "1 to 49 employees", 0, 2, 2600, 0.07),
      pts("employees", "Company size", "fit", "50 to 999 employees", 10, 12, 3400, 0.12),
      pts("employees", "Company size", "fit", "1,000 employees or more", 20, 18, 1500, 0.16),
      pts("employees", "Company size", "fit", "missing", 0, -3, 500, 0.05),
      pts("industry", "Industry", "fit", "Software", 15, 15, 3100, 0.14),
      {
        ...pts("industry", "Industry", "fit", "Retail", 5, 9, 2200, 0.06),
        flag: "more points than before, but its leads convert below the average (6.0% against 11.0%)",
      },
      pts("industry", "Industry", "fit", "other", 0, 1, 2700, 0.11),
      pts("demo_request", "Demo requests", "engagement", "per event", 10, 16, 900, 0.31),
      pts("webinar", "Webinar attended", "engagement", "per event", 5, 4, 1800, 0.13),
      pts("personal_email", "Personal e-mail address", "negative", "when it holds", -10, -14, 700, 0.03),
      pts("job_title", "Job title", "fit", "director or above", null, 6, 1900, 0.17),
    ],
    discovered: [
      {
        name: "job_title",
        kind: "categorical",
        informationValue: 0.21,
        singleAuc: 0.58,
        bands: 3,
        decision: "kept",
        reason: "improved the cross-validated log loss by 0.004",
      },
      {
        name: "pricing_page_view",
        kind: "activity",
        informationValue: 0.06,
        singleAuc: 0.54,
        bands: 2,
        decision: "not kept",
        reason: "did not improve the cross-validated fit",
      },
      {
        name: "deal_amount",
        kind: "numeric",
        informationValue: 1.9,
        singleAuc: 0.93,
        bands: 5,
        decision: "left out",
        reason: "leak guard: known only after the outcome",
      },
    ],
    leftOut: [
      { name: "deal_amount", reason: "leak guard: set after the scoring moment" },
      { name: "partner_code", reason: "excluded by --exclude" },
    ],
    psi: [
      { name: "score", label: "Total score", psi: 0.04, band: "stable" },
      { name: "employees", label: "Company size", psi: 0.02, band: "stable" },
      { name: "industry", label: "Industry", psi: 0.13, band: "look" },
      { name: "demo_request", label: "Demo requests", psi: 0.31, band: "shifted" },
    ],
    notes: [
      "12 leads had an activity dated before their creation; those activities were ignored.",
      "The champion carries no probabilities: its calibration cannot be measured.",
    ],
    ...overrides,
  };
}

function pts(
  criterion: string,
  criterionLabel: string,
  section: CalibrationReport["points"][number]["section"],
  label: string,
  oldPoints: number | null,
  newPoints: number,
  leads: number,
  rate: number,
): CalibrationReport["points"][number] {
  return { criterion, criterionLabel, section, case: label, oldPoints, newPoints, leads, rate };
}

/** Holdout metrics with the given AUC, interval and KS; without probabilities, the calibration figures are null. */
export function metrics(o: {
  auc: number;
  low: number;
  high: number;
  ks: number;
  probabilities: boolean;
}): HoldoutMetrics {
  const leads = 2000;
  const conversions = 240;
  const k = 1 / o.auc - 1;
  const grid = Array.from({ length: 21 }, (_, i) => i / 20);
  const rate = conversions / leads;
  const capture = (s: number) => s ** k;
  const reliability = Array.from({ length: 10 }, (_, i) => {
    const meanPredicted = 0.02 + i * 0.025;
    return {
      bin: i + 1,
      leads: 200,
      conversions: Math.round(200 * (meanPredicted + (i % 2 ? 0.01 : -0.008))),
      meanPredicted,
      observedRate: Math.round(200 * (meanPredicted + (i % 2 ? 0.01 : -0.008))) / 200,
    };
  });
  return {
    leads,
    conversions,
    auc: o.auc,
    aucLow: o.low,
    aucHigh: o.high,
    gini: 2 * o.auc - 1,
    ks: o.ks,
    brier: o.probabilities ? 0.094 : null,
    logLoss: o.probabilities ? 0.331 : null,
    ece: o.probabilities ? 0.009 : null,
    hosmerLemeshow: o.probabilities ? { statistic: 9.8, df: 8, pValue: 0.279 } : null,
    reliability: o.probabilities ? reliability : [],
    lift: [0.1, 0.2, 0.3].map((fraction) => {
      const found = Math.round(conversions * capture(fraction));
      return {
        fraction,
        leads: leads * fraction,
        conversions: found,
        rate: found / (leads * fraction),
        lift: found / (leads * fraction) / rate,
        capture: found / conversions,
      };
    }),
    roc: grid.map((fpr) => ({ fpr, tpr: fpr ** k })),
    gains: grid.map((share) => ({ share, capture: capture(share) })),
  };
}

export interface VersionFixture {
  version: string;
  status: "draft" | "approved" | "retired";
  origin: "calibrated" | "file";
  createdAt: string;
  parentVersion?: string;
  report?: CalibrationReport | null;
  approvedAt?: string;
  approvals?: { by: string; role: string; on: string }[];
}

/** Inserts model_versions rows as the calibration registry writes them (the YAML is a stand-in). */
export async function insertVersions(conn: DuckDBConnection, rows: VersionFixture[]): Promise<void> {
  for (const r of rows) {
    const params: Record<string, string | null> = {
      version: r.version,
      status: r.status,
      origin: r.origin,
      parent: r.parentVersion ?? null,
      sha: "0".repeat(64),
      yaml: `version: ${r.version}\n`,
      created: r.createdAt,
      report: r.report ? JSON.stringify(r.report) : null,
      approvedAt: r.approvedAt ?? null,
      approvals: r.approvals ? JSON.stringify(r.approvals) : null,
    };
    await conn.run(
      `insert into model_versions (version, status, origin, parent_version, definition_sha256, definition_yaml,
         created_at, target_stage, horizon_days, holdout_rule, report, approved_at, approvals)
       values ($version, $status, $origin, $parent, $sha, $yaml, $created::timestamp, 'sql', 60, 'latest',
         $report::json, $approvedAt::timestamp, $approvals::json)`,
      params as Record<string, never>,
    );
  }
}

/** The registry of the fixture: v1 retired (a hand-set file), v2 approved, v3 the draft challenger under review. */
export const REGISTRY: VersionFixture[] = [
  {
    version: "v1",
    status: "retired",
    origin: "file",
    createdAt: "2025-06-01 09:00:00",
    approvedAt: "2025-06-02 10:00:00",
    approvals: [{ by: "Head of Marketing", role: "marketing", on: "2025-06-02" }],
  },
  {
    version: "v2",
    status: "approved",
    origin: "calibrated",
    parentVersion: "v1",
    createdAt: "2026-01-15 09:00:00",
    report: calibrationReport({
      version: "v2",
      championVersion: "v1",
      challenger: metrics({ auc: 0.715, low: 0.68, high: 0.75, ks: 0.33, probabilities: true }),
    }),
    approvedAt: "2026-01-20 16:30:00",
    approvals: [
      { by: "Head of Marketing", role: "marketing", on: "2026-01-19" },
      { by: "Sales Director", role: "sales", on: "2026-01-20" },
    ],
  },
  {
    version: "v3",
    status: "draft",
    origin: "calibrated",
    parentVersion: "v2",
    createdAt: "2026-11-30 10:00:00",
    report: calibrationReport(),
  },
];
