import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { parseDocument } from "yaml";
import { UserError } from "../errors.ts";
import { naiveUtc } from "../scoring/as-of.ts";
import type { LoadedDefinition } from "../scoring/load-definition.ts";
import { parseDefinition } from "../scoring/load-definition.ts";
import type { CalibrationReport } from "./report.ts";

/**
 * The model registry (table model_versions): every definition version calibration wrote or measured,
 * with the data it saw, its settings and metrics, and who approved it. Exactly one version is
 * approved (current) once any has been; approving another retires it.
 */

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** sha256 over the load batches (file checksum, rows loaded, mapping), in batch order. */
export async function dataFingerprint(conn: DuckDBConnection): Promise<string> {
  const rows = (
    await conn.runAndReadAll(
      "select batch_id, checksum_sha256, rows_loaded::varchar as rows_loaded, mapping from load_batches order by batch_id",
    )
  ).getRowObjectsJson();
  const h = createHash("sha256");
  for (const r of rows) h.update(`${r.batch_id}\t${r.checksum_sha256}\t${r.rows_loaded}\t${r.mapping}\n`);
  return h.digest("hex");
}

/** leadcal's version, and the git commit of its source when it runs from a checkout. */
export function codeVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string };
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    // not a git checkout (an installed package): the package version alone
  }
  return commit ? `${pkg.version}+${commit}` : pkg.version;
}

export interface ModelRow {
  version: string;
  status: string;
  origin: string;
  parent_version: string | null;
  definition_file: string | null;
  created_at: string;
  approved_at: string | null;
  approvals: { by: string; role?: string; on: string }[];
  report: CalibrationReport | null;
}

export async function listModels(conn: DuckDBConnection): Promise<ModelRow[]> {
  const rows = (
    await conn.runAndReadAll(
      `select version, status, origin, parent_version, definition_file, created_at::varchar as created_at,
         approved_at::varchar as approved_at, approvals::varchar as approvals, report::varchar as report
       from model_versions order by created_at, version`,
    )
  ).getRowObjectsJson();
  return rows.map((r) => ({
    version: String(r.version),
    status: String(r.status),
    origin: String(r.origin),
    parent_version: r.parent_version === null ? null : String(r.parent_version),
    definition_file: r.definition_file === null ? null : String(r.definition_file),
    created_at: String(r.created_at),
    approved_at: r.approved_at === null ? null : String(r.approved_at),
    approvals: r.approvals ? (JSON.parse(String(r.approvals)) as ModelRow["approvals"]) : [],
    report: r.report ? (JSON.parse(String(r.report)) as CalibrationReport) : null,
  }));
}

async function statusOf(conn: DuckDBConnection, version: string): Promise<string | null> {
  const r = (
    await conn.runAndReadAll("select status from model_versions where version = $v", { v: version })
  ).getRowObjectsJson();
  return r[0] ? String(r[0].status) : null;
}

/**
 * The version a calibration of `champion` writes: its trailing number raised by one (2026.1 ->
 * 2026.2, 2026-Q3 -> 2026-Q4 is not attempted: -> 2026-Q3.1), skipping versions already approved or
 * retired. A draft of the same version is replaced, so re-running a calibration gives the same file.
 */
export async function nextVersion(conn: DuckDBConnection, champion: string): Promise<string> {
  const m = /^(.*?[.\-_])(\d+)$/.exec(champion);
  const make = (k: number) => (m ? `${m[1]}${Number(m[2]) + k}` : `${champion}.${k}`);
  for (let k = 1; k < 1000; k++) {
    const v = make(k);
    const s = await statusOf(conn, v);
    if (s === null || s === "draft") return v;
  }
  throw new UserError(`no free version after ${champion}: set a new version in the definition`);
}

export interface RegisterInput {
  version: string;
  status: "draft" | "approved" | "retired";
  origin: "calibrated" | "file";
  parent: string | null;
  file: string | null;
  yaml: string;
  target?: string;
  horizonDays?: number;
  holdoutRule?: string;
  seed?: number;
  fingerprint?: string;
  settings?: Record<string, unknown>;
  report?: CalibrationReport | null;
  approvals?: { by: string; role?: string; on: string }[];
}

export async function registerVersion(conn: DuckDBConnection, r: RegisterInput): Promise<void> {
  const existing = await statusOf(conn, r.version);
  if (existing !== null && existing !== "draft" && r.origin === "calibrated") {
    throw new UserError(`version ${r.version} is already ${existing} in the registry: it cannot be replaced`);
  }
  await conn.run("delete from model_versions where version = $v", { v: r.version });
  await conn.run(
    `insert into model_versions (version, status, origin, parent_version, definition_file, definition_sha256,
       definition_yaml, created_at, target_stage, horizon_days, holdout_rule, seed, code_version, data_fingerprint,
       settings, report, approved_at, approvals)
     values ($version, $status, $origin, $parent, $file, $sha, $yaml, $created::timestamp, $target, $horizon::integer,
       $holdout, $seed::integer, $code, $fp, $settings::json, $report::json, $approved_at::timestamp, $approvals::json)`,
    {
      version: r.version,
      status: r.status,
      origin: r.origin,
      parent: r.parent,
      file: r.file,
      sha: createHash("sha256").update(r.yaml).digest("hex"),
      yaml: r.yaml,
      created: naiveUtc(new Date()),
      target: r.target ?? null,
      horizon: r.horizonDays === undefined ? null : String(r.horizonDays),
      holdout: r.holdoutRule ?? null,
      seed: r.seed === undefined ? null : String(r.seed),
      code: codeVersion(),
      fp: r.fingerprint ?? null,
      settings: r.settings ? JSON.stringify(r.settings) : null,
      report: r.report ? JSON.stringify(r.report) : null,
      approved_at: r.approvals?.length ? naiveUtc(new Date()) : null,
      approvals: r.approvals?.length ? JSON.stringify(r.approvals) : null,
    } as Record<string, string>,
  );
}

/** Records the definition in use as the champion, unless the registry already has its version. */
export async function ensureChampion(conn: DuckDBConnection, loaded: LoadedDefinition): Promise<void> {
  if ((await statusOf(conn, loaded.def.version)) !== null) return;
  const anyApproved = (
    await conn.runAndReadAll("select count(*)::integer as n from model_versions where status = 'approved'")
  ).getRowObjectsJson()[0];
  await registerVersion(conn, {
    version: loaded.def.version,
    status: Number(anyApproved?.n ?? 0) === 0 ? "approved" : (loaded.def.status ?? "approved"),
    origin: "file",
    parent: null,
    file: loaded.origin,
    yaml: loaded.text,
    approvals: loaded.def.approved,
  });
}

/** "Ana Diaz, VP Sales" -> { by: "Ana Diaz", role: "VP Sales" }. */
export function parseApprover(text: string, on: string): { by: string; role?: string; on: string } {
  const i = text.indexOf(",");
  const by = (i < 0 ? text : text.slice(0, i)).trim();
  const role = i < 0 ? "" : text.slice(i + 1).trim();
  if (!by)
    throw new UserError(
      `--by: expected "NAME, ROLE" (such as "Ana Diaz, VP Sales"); got ${JSON.stringify(text)}`,
    );
  return role ? { by, role, on } : { by, on };
}

/**
 * Makes `version` current: status approved with who signed off and when, the version approved before
 * it retired, and its YAML (status approved, the approvals listed) written to `definitionFile`, the
 * file scoring reads by default. Returns the file's new text and the version it replaced.
 */
export async function approveVersion(
  conn: DuckDBConnection,
  version: string,
  approvers: { by: string; role?: string; on: string }[],
): Promise<{ yaml: string; retired: string[] }> {
  if (approvers.length === 0) throw new UserError('approve needs at least one --by "NAME, ROLE"');
  const rows = (
    await conn.runAndReadAll("select status, definition_yaml from model_versions where version = $v", {
      v: version,
    })
  ).getRowObjectsJson();
  const row = rows[0];
  if (!row) {
    const known = (await listModels(conn)).map((m) => m.version);
    throw new UserError(
      `no version ${version} in the model registry${known.length ? ` (known: ${known.join(", ")})` : ": run `npx leadcal calibrate` first"}`,
    );
  }
  if (row.status === "approved") throw new UserError(`version ${version} is already approved`);
  const doc = parseDocument(String(row.definition_yaml));
  doc.set("status", "approved");
  doc.set(
    "approved",
    doc.createNode(
      approvers.map((a) => (a.role ? { by: a.by, role: a.role, on: a.on } : { by: a.by, on: a.on })),
    ),
  );
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  parseDefinition(yaml, `registry version ${version}`);
  const retired = (await conn.runAndReadAll("select version from model_versions where status = 'approved'"))
    .getRowObjectsJson()
    .map((r) => String(r.version));
  await conn.run("begin transaction");
  try {
    await conn.run("update model_versions set status = 'retired' where status = 'approved'");
    await conn.run(
      `update model_versions set status = 'approved', approved_at = $at::timestamp, approvals = $a::json,
         definition_yaml = $yaml, definition_sha256 = $sha where version = $v`,
      {
        v: version,
        at: naiveUtc(new Date()),
        a: JSON.stringify(approvers),
        yaml,
        sha: createHash("sha256").update(yaml).digest("hex"),
      },
    );
    await conn.run("commit");
  } catch (e) {
    await conn.run("rollback");
    throw e;
  }
  return { yaml, retired };
}
