import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { str } from "./sql-fragments.ts";

/**
 * Writes the scores of one run as a CSV a CRM or a spreadsheet imports as it is:
 * - one row per lead: lead_id, score, fit, situational, engagement, negative, grade, stage,
 *   complete (yes/no), missing_fields, reasons, [probability,] as_of, definition_version;
 * - comma-separated, double quotes around fields that need them (RFC 4180), a header row;
 * - UTF-8 with a byte-order mark by default, so Excel reads accents right (turn it off with bom: false
 *   for programs that choke on it);
 * - whole numbers for points; lists (reasons, missing fields) joined with "; " in one cell;
 * - text cells that a spreadsheet would run as a formula (starting with = + - @) get a leading
 *   apostrophe. lead_id is never changed, so imports still match records.
 */
export interface ExportOptions {
  out: string;
  /** A run id; default the latest run (of `version`, when given). */
  runId?: number;
  version?: string;
  bom?: boolean;
}

export interface ExportResult {
  file: string;
  rows: number;
  runId: number;
  version: string;
  asOf: string | null;
}

export async function exportScores(conn: DuckDBConnection, opts: ExportOptions): Promise<ExportResult> {
  const params: Record<string, string> = {};
  let where = "true";
  if (opts.runId !== undefined) {
    where = "run_id = $run_id::integer";
    params.run_id = String(opts.runId);
  } else if (opts.version !== undefined) {
    where = "definition_version = $version";
    params.version = opts.version;
  }
  const hasRuns = (
    await conn.runAndReadAll(
      "select count(*) > 0 as ok from information_schema.tables where table_name = 'score_runs'",
    )
  ).getRowObjectsJson()[0];
  if (hasRuns?.ok !== true) throw new UserError("no scores stored yet: run `npx leadcal score` first");
  const run = (
    await conn.runAndReadAll(
      `select run_id, definition_version, cast(as_of as varchar) as as_of, definition_json->>'$.calibration' is not null as calibrated
       from score_runs where ${where} order by run_id desc limit 1`,
      params,
    )
  ).getRowObjectsJson()[0];
  if (!run) {
    const what =
      opts.runId !== undefined
        ? `run ${opts.runId}`
        : opts.version !== undefined
          ? `version ${opts.version}`
          : "any definition";
    throw new UserError(`no scores stored for ${what}: run \`npx leadcal score\` first`);
  }
  const runId = Number(run.run_id);
  const file = resolve(opts.out);
  mkdirSync(dirname(file), { recursive: true });
  const safe = (expr: string) =>
    `case when regexp_matches(${expr}, '^[=+\\-@\\t\\r]') then '''' || ${expr} else ${expr} end`;
  const cols = [
    "lead_id",
    "total as score",
    "fit",
    "situational",
    "engagement",
    "negative",
    `${safe("coalesce(grade, '')")} as grade`,
    `${safe("stage")} as stage`,
    "case when is_complete then 'yes' else 'no' end as complete",
    `${safe("array_to_string(missing_fields, '; ')")} as missing_fields`,
    `${safe("array_to_string(reasons, '; ')")} as reasons`,
    ...(run.calibrated === true ? ["round(probability, 4) as probability"] : []),
    "strftime(as_of, '%Y-%m-%d %H:%M:%S') as as_of",
    "definition_version",
  ];
  const tmp = `${file}.part`;
  try {
    await conn.run(
      `copy (select ${cols.join(", ")} from lead_scores where run_id = ${Number(runId)} order by lead_id)
       to ${str(tmp)} (format csv, header true, delimiter ',', quote '"')`,
    );
    const out = createWriteStream(file);
    if (opts.bom !== false) out.write("\uFEFF");
    await pipeline(createReadStream(tmp), out);
  } finally {
    if (existsSync(tmp)) rmSync(tmp);
  }
  const n = (
    await conn.runAndReadAll(
      `select cast(count(*) as integer) as n from lead_scores where run_id = ${Number(runId)}`,
    )
  ).getRowObjectsJson()[0];
  return {
    file,
    rows: Number(n?.n ?? 0),
    runId,
    version: String(run.definition_version),
    asOf: typeof run.as_of === "string" ? run.as_of : null,
  };
}
