import type { DuckDBConnection } from "@duckdb/node-api";
import type { CalibrationReport } from "../calibrate/report.ts";
import { type ModelView, modelView } from "./model-view.ts";
import { queryRows } from "./query.ts";

/**
 * The Model page: which scoring version is under review, how it compares with the champion on the
 * holdout, and the history of versions. It reads the model registry (model_versions, written by
 * `leadcal calibrate`) and passes the chosen run's CalibrationReport through as it is (the report
 * holds aggregates only by construction), with a few tables derived from it for the page
 * (model-view.ts).
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
