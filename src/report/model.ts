import type { DuckDBConnection } from "@duckdb/node-api";
import type {
  CalibrationReport,
  DiscoveredRow,
  HoldoutMetrics,
  PointsRow,
  PsiRow,
  WindowInfo,
} from "../calibrate/report.ts";
import { queryRows } from "./query.ts";

/**
 * The Model page: which scoring version is under review, how it compares with the champion on the
 * holdout, and the history of versions. It reads the model registry (model_versions, written by
 * `leadcal calibrate`) and passes the chosen run's CalibrationReport through as it is (the report
 * holds aggregates only by construction), with a few tables derived from it for the page.
 */

/** Who signed a version off (role may be absent: `approve --by "NAME"`), and on which day. */
export interface Approval {
  by: string;
  role?: string;
  on: string;
}

/** One row of the version history: one row per model_versions row, newest first. */
export interface VersionRow {
  version: string;
  status: string;
  origin: string;
  parentVersion: string | null;
  createdAt: string;
  approvedAt: string | null;
  approvals: Approval[];
  /** Holdout AUC and its 95% interval, from the run that measured this version (null if none did). */
  auc: number | null;
  aucLow: number | null;
  aucHigh: number | null;
  /** The version whose calibration run measured that AUC (its own, or a later run where it was champion). */
  measuredIn: string | null;
}

/** Why the page shows the run it shows. */
export type ChosenRole = "challenger under review" | "approved" | "latest run";

export interface MetricRow {
  key: string;
  label: string;
  /** One line for a manager: what the metric says. */
  explain: string;
  /** How to print it: an AUC-like score, a share, a ratio ("2.1x"), a p-value, a plain number. */
  kind: "score" | "share" | "ratio" | "pvalue" | "number";
  champion: number | null;
  challenger: number | null;
  /** For AUC: the 95% intervals. */
  championLow?: number | null;
  championHigh?: number | null;
  challengerLow?: number | null;
  challengerHigh?: number | null;
  /** Which one the metric favours (null: a tie, not comparable, or a p-value). */
  better: "champion" | "challenger" | null;
}

export interface PointsGroup {
  criterion: string;
  label: string;
  section: PointsRow["section"];
  rows: (PointsRow & { change: number | null })[];
  flagged: number;
}

export interface WindowRow {
  name: string;
  from: string | null;
  to: string | null;
  /** "2025-01-01 to 2025-06-30", or "no dates". */
  span: string;
  leads: number;
  conversions: number;
  rate: number | null;
}

export interface ModelView {
  metrics: MetricRow[];
  windows: WindowRow[];
  /** Things a reader must see before trusting the figures (holdout not out of time, ...). */
  warnings: string[];
  pointGroups: PointsGroup[];
  psi: (PsiRow & { bandText: string })[];
  /** True when the champion's definition carries probabilities (it may carry only points). */
  championHasProbabilities: boolean;
  challengerHasProbabilities: boolean;
  takeaways: {
    reliability: string;
    roc: string;
    gains: string;
    points: string;
    discovered: string;
    psi: string;
  };
}

export type ModelReport =
  | { calibrated: false; message: string; versions: VersionRow[] }
  | {
      calibrated: true;
      /** createdAt: when the registry recorded the run (model_versions.created_at). */
      chosen: { version: string; status: string; role: ChosenRole; createdAt: string };
      champion: { version: string; status: string | null };
      versions: VersionRow[];
      report: CalibrationReport;
      view: ModelView;
    };

export const NO_CALIBRATION = "No calibration has been run yet: run `npx leadcal calibrate`";

/** A model_versions row as the query reads it (JSON columns as text). */
export interface RegistryRow {
  version: string;
  status: string;
  origin: string;
  parent_version: string | null;
  created_at: string;
  approved_at: string | null;
  approvals: string | null;
  report: string | null;
}

const VERSIONS_SQL = `
select version, status, origin, parent_version,
       cast(created_at as varchar) as created_at,
       cast(approved_at as varchar) as approved_at,
       cast(approvals as varchar) as approvals,
       cast(report as varchar) as report
from model_versions
order by created_at desc, version desc
`;

/** The Model page's data: see the module comment. */
export async function modelReport(conn: DuckDBConnection): Promise<ModelReport> {
  return fromRegistry(await queryRows<RegistryRow>(conn, VERSIONS_SQL));
}

/** The page's data from the registry rows, newest first. Pure: the tests call it directly too. */
export function fromRegistry(rows: RegistryRow[]): ModelReport {
  const reports = new Map<string, CalibrationReport>();
  for (const r of rows) if (r.report) reports.set(r.version, parseReport(r.version, r.report));
  const versions = rows.map((r) => versionRow(r, rows, reports));
  if (rows.length === 0) return { calibrated: false, message: NO_CALIBRATION, versions };
  const chosen = chooseVersion(rows.filter((r) => reports.has(r.version)));
  if (!chosen) {
    return {
      calibrated: false,
      message: `No calibration report is recorded in the model registry (${rows.length} version${rows.length === 1 ? "" : "s"}, none calibrated): run \`npx leadcal calibrate\``,
      versions,
    };
  }
  const report = reports.get(chosen.row.version) as CalibrationReport;
  const championRow = rows.find((r) => r.version === report.championVersion);
  return {
    calibrated: true,
    chosen: {
      version: chosen.row.version,
      status: chosen.row.status,
      role: chosen.role,
      createdAt: chosen.row.created_at,
    },
    champion: { version: report.championVersion, status: championRow?.status ?? null },
    versions,
    report,
    view: modelView(report),
  };
}

/**
 * The run the page shows, among the calibrated rows with a report (newest first): a draft newer
 * than the approved version (the challenger under review), else the approved version, else the
 * newest run whatever its status.
 */
export function chooseVersion(
  rows: Pick<RegistryRow, "version" | "status" | "origin" | "created_at">[],
): { row: (typeof rows)[number]; role: ChosenRole } | null {
  const calibrated = rows
    .filter((r) => r.origin === "calibrated")
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.version.localeCompare(a.version));
  const approved = calibrated.find((r) => r.status === "approved");
  const draft = calibrated.find(
    (r) => r.status === "draft" && (!approved || r.created_at > approved.created_at),
  );
  if (draft) return { row: draft, role: "challenger under review" };
  if (approved) return { row: approved, role: "approved" };
  const newest = calibrated[0];
  return newest ? { row: newest, role: "latest run" } : null;
}

const REQUIRED: (keyof CalibrationReport)[] = [
  "version",
  "championVersion",
  "holdout",
  "training",
  "holdoutWindow",
  "champion",
  "challenger",
  "comparison",
  "points",
];

/** Parses a stored report; a report without the parts the page reads fails the build, naming the version. */
export function parseReport(version: string, text: string): CalibrationReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`model_versions.report of version ${version} is not JSON: ${(e as Error).message}`);
  }
  const missing = REQUIRED.filter((k) => value === null || typeof value !== "object" || !(k in value));
  if (missing.length) {
    throw new Error(
      `model_versions.report of version ${version} is not a calibration report: no ${missing.join(", ")}`,
    );
  }
  const report = value as CalibrationReport;
  // Arrays the page maps over: an older report may lack some of them.
  return {
    ...report,
    population: report.population ?? [],
    discovered: report.discovered ?? [],
    leftOut: report.leftOut ?? [],
    psi: report.psi ?? [],
    notes: report.notes ?? [],
  };
}

function versionRow(
  r: RegistryRow,
  rows: RegistryRow[],
  reports: Map<string, CalibrationReport>,
): VersionRow {
  // Its own run measured it as the challenger; failing that, the newest run where it was champion.
  const own = reports.get(r.version);
  const asChampion = rows
    .map((o) => reports.get(o.version))
    .find((rep) => rep && rep.version !== r.version && rep.championVersion === r.version);
  const ownRun = own?.version === r.version ? own : undefined;
  const run = ownRun ?? asChampion;
  const measured = ownRun ? ownRun.challenger : asChampion?.champion;
  return {
    version: r.version,
    status: r.status,
    origin: r.origin,
    parentVersion: r.parent_version,
    createdAt: r.created_at,
    approvedAt: r.approved_at,
    approvals: parseApprovals(r.approvals),
    auc: measured?.auc ?? null,
    aucLow: measured?.aucLow ?? null,
    aucHigh: measured?.aucHigh ?? null,
    measuredIn: run?.version ?? null,
  };
}

function parseApprovals(text: string | null): Approval[] {
  if (!text) return [];
  const list = JSON.parse(text) as Partial<Approval>[] | null;
  return (list ?? []).map((a) => ({
    by: String(a.by ?? ""),
    ...(a.role ? { role: String(a.role) } : {}),
    on: String(a.on ?? ""),
  }));
}

/** The tables and sentences the page shows, derived from one report. */
export function modelView(report: CalibrationReport): ModelView {
  return {
    metrics: metricRows(report.champion, report.challenger),
    windows: windowRows(report),
    warnings: warnings(report),
    pointGroups: pointGroups(report.points),
    psi: report.psi.map((p) => ({ ...p, bandText: psiBandText(p.band) })),
    championHasProbabilities: hasProbabilities(report.champion),
    challengerHasProbabilities: hasProbabilities(report.challenger),
    takeaways: {
      reliability: reliabilityTakeaway(report),
      roc: rocTakeaway(report),
      gains: gainsTakeaway(report),
      points: pointsTakeaway(report.points),
      discovered: discoveredTakeaway(report.discovered, report.leftOut.length),
      psi: psiTakeaway(report.psi),
    },
  };
}

export function hasProbabilities(m: HoldoutMetrics): boolean {
  return m.brier !== null && m.reliability.length > 0;
}

interface MetricSpec {
  key: string;
  label: string;
  explain: string;
  kind: MetricRow["kind"];
  higherIsBetter: boolean | null;
  get: (m: HoldoutMetrics) => number | null;
}

const LIFT_SHARES = [0.1, 0.2, 0.3];
const liftAt = (m: HoldoutMetrics, f: number) => m.lift.find((l) => Math.abs(l.fraction - f) < 1e-9) ?? null;

const METRICS: MetricSpec[] = [
  {
    key: "auc",
    label: "AUC (95% interval)",
    explain:
      "The chance a lead that converted scores above one that did not: 0.5 is a coin toss, 1 is a perfect ranking.",
    kind: "score",
    higherIsBetter: true,
    get: (m) => m.auc,
  },
  {
    key: "gini",
    label: "Gini",
    explain: "2 × AUC − 1: the same ranking power on a scale from 0 (none) to 1 (perfect).",
    kind: "score",
    higherIsBetter: true,
    get: (m) => m.gini,
  },
  {
    key: "ks",
    label: "KS",
    explain:
      "The widest gap between the score distributions of leads that converted and leads that did not; higher separates them better.",
    kind: "score",
    higherIsBetter: true,
    get: (m) => m.ks,
  },
  {
    key: "brier",
    label: "Brier score",
    explain: "The mean squared gap between the predicted chance and what happened; lower is better.",
    kind: "number",
    higherIsBetter: false,
    get: (m) => m.brier,
  },
  {
    key: "logLoss",
    label: "Log loss",
    explain: "Like the Brier score, but punishes confident wrong predictions harder; lower is better.",
    kind: "number",
    higherIsBetter: false,
    get: (m) => m.logLoss,
  },
  {
    key: "ece",
    label: "Expected calibration error",
    explain:
      "How far, on average over the ten bins, the predicted conversion rate is from the rate observed; lower is better.",
    kind: "share",
    higherIsBetter: false,
    get: (m) => m.ece,
  },
  {
    key: "hlStatistic",
    label: "Hosmer-Lemeshow statistic",
    explain: "Sums the gaps between predicted and observed conversions per bin; lower is better.",
    kind: "number",
    higherIsBetter: false,
    get: (m) => m.hosmerLemeshow?.statistic ?? null,
  },
  {
    key: "hlPValue",
    label: "Hosmer-Lemeshow p-value",
    explain:
      "Below 0.05 the predicted chances are measurably off the observed ones; above it they cannot be told apart.",
    kind: "pvalue",
    higherIsBetter: null,
    get: (m) => m.hosmerLemeshow?.pValue ?? null,
  },
  ...LIFT_SHARES.flatMap((f): MetricSpec[] => {
    const pct = `${Math.round(f * 100)}%`;
    return [
      {
        key: `lift${pct}`,
        label: `Lift, top ${pct}`,
        explain: `How many times the average conversion rate the ${pct} best-scored leads reach.`,
        kind: "ratio",
        higherIsBetter: true,
        get: (m) => liftAt(m, f)?.lift ?? null,
      },
      {
        key: `capture${pct}`,
        label: `Capture, top ${pct}`,
        explain: `The share of all conversions found among the ${pct} best-scored leads.`,
        kind: "share",
        higherIsBetter: true,
        get: (m) => liftAt(m, f)?.capture ?? null,
      },
    ];
  }),
];

/** The metrics table: every metric for both versions side by side, with which one it favours. */
export function metricRows(champion: HoldoutMetrics, challenger: HoldoutMetrics): MetricRow[] {
  return METRICS.map((s) => {
    const a = s.get(champion);
    const b = s.get(challenger);
    const better =
      a === null || b === null || s.higherIsBetter === null || a === b
        ? null
        : b > a === s.higherIsBetter
          ? "challenger"
          : "champion";
    return {
      key: s.key,
      label: s.label,
      explain: s.explain,
      kind: s.kind,
      champion: a,
      challenger: b,
      ...(s.key === "auc"
        ? {
            championLow: champion.aucLow,
            championHigh: champion.aucHigh,
            challengerLow: challenger.aucLow,
            challengerHigh: challenger.aucHigh,
          }
        : {}),
      better,
    };
  });
}

export function windowSpan(w: Pick<WindowInfo, "from" | "to">): string {
  if (!w.from && !w.to) return "no dates";
  return w.from === w.to ? String(w.from) : `${w.from ?? "?"} to ${w.to ?? "?"}`;
}

function windowRows(r: CalibrationReport): WindowRow[] {
  const row = (name: string, w: WindowInfo): WindowRow => ({
    name,
    from: w.from,
    to: w.to,
    span: windowSpan(w),
    leads: w.leads,
    conversions: w.conversions,
    rate: w.leads ? w.conversions / w.leads : null,
  });
  return [
    row("Training", r.training),
    row("Holdout", r.holdoutWindow),
    ...(r.recent ? [row("Recent (for PSI)", r.recent)] : []),
  ];
}

/** What a reader must know before trusting the comparison. */
export function warnings(r: CalibrationReport): string[] {
  const out: string[] = [];
  if (!r.holdout.outOfTime) {
    out.push(
      `The holdout is NOT out of time: it was drawn from the same period as the training leads (${r.holdout.description}), so it cannot show how the scoring holds up on newer leads.`,
    );
  }
  if (!r.pointInTimeChecked) {
    out.push(
      "Point-in-time could not be checked: the data lacks the dates to score each lead as it was at its own moment, so later information may have leaked into the scores.",
    );
  }
  if (!hasProbabilities(r.champion)) {
    out.push(
      `The champion (${r.championVersion}) carries points but no probabilities, so its Brier score, log loss, calibration error and reliability cannot be measured.`,
    );
  }
  return out;
}

export function pointGroups(points: PointsRow[]): PointsGroup[] {
  const groups = new Map<string, PointsGroup>();
  for (const p of points) {
    let g = groups.get(p.criterion);
    if (!g) {
      g = { criterion: p.criterion, label: p.criterionLabel, section: p.section, rows: [], flagged: 0 };
      groups.set(p.criterion, g);
    }
    // Points may carry decimals (engagement per event): round the difference's float noise away.
    const change = p.oldPoints === null ? null : Math.round((p.newPoints - p.oldPoints) * 1e6) / 1e6;
    g.rows.push({ ...p, change });
    if (p.flag) g.flagged++;
  }
  return [...groups.values()];
}

const PSI_BANDS: Record<PsiRow["band"], [string, string]> = {
  stable: ["stable", "under 0.10"],
  look: ["worth a look", "0.10 to 0.25"],
  shifted: ["shifted", "over 0.25"],
};

/** The PSI band in words, with its limits: "worth a look (0.10 to 0.25)". */
export function psiBandText(band: PsiRow["band"]): string {
  const b = PSI_BANDS[band];
  return b ? `${b[0]} (${b[1]})` : band;
}

/** A number for a sentence; a figure the run could not compute (null) reads as a dash. */
const fixed = (x: number | null | undefined, digits: number) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`;
const signedFixed = (x: number | null | undefined, digits: number) =>
  `${x !== null && x !== undefined && x > 0 ? "+" : ""}${fixed(x, digits)}`;

function reliabilityTakeaway(r: CalibrationReport): string {
  const m = r.challenger;
  if (!hasProbabilities(m)) return `The challenger (${r.version}) carries no probabilities to check.`;
  const worst = m.reliability.reduce((a, b) =>
    Math.abs(b.observedRate - b.meanPredicted) > Math.abs(a.observedRate - a.meanPredicted) ? b : a,
  );
  const hl = m.hosmerLemeshow;
  return (
    `The challenger's predicted chances are ${fixed(m.ece === null ? null : m.ece * 100, 1)} percentage points off the observed rates on average; ` +
    `the widest gap is in bin ${worst.bin} (predicted ${pct(worst.meanPredicted)}, observed ${pct(worst.observedRate)}, ${worst.leads.toLocaleString("en-US")} leads)` +
    (hl
      ? hl.pValue < 0.05
        ? `, and Hosmer-Lemeshow finds the gaps larger than chance (p = ${fixed(hl.pValue, 3)}).`
        : `, within what chance allows (Hosmer-Lemeshow p = ${fixed(hl.pValue, 3)}).`
      : ".")
  );
}

function rocTakeaway(r: CalibrationReport): string {
  const c = r.comparison;
  return `On the holdout the challenger's AUC is ${fixed(c.aucChallenger, 3)} against the champion's ${fixed(c.aucChampion, 3)} (difference ${signedFixed(c.difference, 3)}, 95% interval ${fixed(c.low, 3)} to ${fixed(c.high, 3)}): ${c.verdict}.`;
}

function gainsTakeaway(r: CalibrationReport): string {
  const a = liftAt(r.champion, 0.2);
  const b = liftAt(r.challenger, 0.2);
  if (!a || !b) return "";
  return `The top 20% of leads by the challenger's score hold ${pct(b.capture, 0)} of the conversions (lift ${fixed(b.lift, 1)}×), against ${pct(a.capture, 0)} (lift ${fixed(a.lift, 1)}×) by the champion's.`;
}

function pointsTakeaway(points: PointsRow[]): string {
  const changed = points.filter((p) => p.oldPoints !== p.newPoints).length;
  const flagged = points.filter((p) => p.flag).length;
  return (
    `${changed} of ${points.length} cases get different points` +
    (flagged
      ? `; ${flagged} ${flagged === 1 ? "is" : "are"} flagged because the new points run against the case's own conversion rate: read ${flagged === 1 ? "it" : "them"} before approving.`
      : "; none runs against its own conversion rate.")
  );
}

function discoveredTakeaway(rows: DiscoveredRow[], leftOut: number): string {
  if (!rows.length)
    return leftOut
      ? `No new candidates were looked at (calibrate ran without --discover); ${leftOut} column${leftOut === 1 ? " was" : "s were"} left out.`
      : "No new candidates were looked at (calibrate ran without --discover).";
  const kept = rows.filter((d) => d.decision === "kept");
  return `${rows.length} candidate${rows.length === 1 ? " was" : "s were"} looked at; ${kept.length ? `${kept.map((d) => d.name).join(", ")} ${kept.length === 1 ? "was" : "were"} added to the draft` : "none was added to the draft"}.`;
}

function psiTakeaway(rows: PsiRow[]): string {
  const score = rows.find((p) => p.name === "score");
  const moved = rows.filter((p) => p.name !== "score" && p.band !== "stable");
  if (!rows.length) return "No stability figures were recorded.";
  return (
    (score
      ? `The score distribution is ${PSI_BANDS[score.band]?.[0] ?? score.band} (PSI ${fixed(score.psi, 3)})`
      : "") +
    (moved.length
      ? `${score ? "; " : ""}${moved.map((p) => `${p.label} ${p.band === "shifted" ? "has shifted" : "is worth a look"}`).join(", ")}.`
      : `${score ? ", and " : ""}every criterion is stable.`)
  );
}
