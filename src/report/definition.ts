import type { DuckDBConnection } from "@duckdb/node-api";
import { addDays } from "../db/dates.ts";
import {
  type Contract,
  type CriterionCoverage,
  checkAgainstData,
  DEFAULT_DEFINITION,
  explainDefinition,
  latestMoment,
  loadDefinitionFile,
} from "../scoring/index.ts";
import { preflightOrThrow } from "../scoring/preflight.ts";
import { scoringNotes } from "../scoring/score.ts";
import { buildScoreQuery } from "../scoring/score-query.ts";
import type { ReportSettings } from "../settings.ts";
import { queryRows } from "./query.ts";

/**
 * The Definition page: the current qualified-lead contract in plain language, its version, and where
 * the current leads fall against it (score distribution with the thresholds marked, stages, grades,
 * how often each criterion applies). Aggregates only: no lead id, name or email leaves this module.
 *
 * Which scores: the latest stored run (`leadcal score`, or `npm start`) of this exact file (same
 * version and checksum) at a fixed moment; failing that, the scores are computed here, read-only, as
 * of the report's date (settings `report.as_of`, the day after it so the whole day counts) or
 * midnight after the newest timestamp in the data.
 */

/** The definition file the site describes: LEADCAL_DEFINITION, else data/definition.yaml. */
export function resolveDefinitionPath(): string {
  return process.env.LEADCAL_DEFINITION ?? DEFAULT_DEFINITION;
}

export interface HistogramRow {
  /** Lowest score of the bin (included); the bin ends before bin + binWidth. */
  bin: number;
  stage: string;
  leads: number;
}

export interface StageRow {
  stage: string;
  label: string;
  /** Points needed, null for the base stage and disqualified. */
  min_score: number | null;
  leads: number;
  share: number | null;
}

export interface PartRow {
  part: "total" | "fit" | "situational" | "engagement" | "negative";
  mean: number | null;
  p10: number | null;
  median: number | null;
  p90: number | null;
}

export interface DefinitionReport {
  definition: { file: string; version: string; name: string | null; status: string; sha256: string };
  contract: Contract;
  scores: {
    /** stored: a run saved by `leadcal score`; computed: scored for this page; none: no leads. */
    source: "stored" | "computed" | "none";
    runId: number | null;
    asOf: string | null;
    leads: number;
  };
  binWidth: number;
  histogram: HistogramRow[];
  stages: StageRow[];
  grades: { grade: string; leads: number; share: number | null }[];
  parts: PartRow[];
  /** Leads with the points for the handover stage but missing required fields. */
  heldBack: number;
  coverage: (CriterionCoverage & { share: number | null; valueShare: number | null })[];
  /** What the data says about the definition (from `definition check`): warnings and notes. */
  findings: { level: string; where: string; message: string }[];
  /** What the page cannot show from the loaded data. */
  missing: string[];
}

export async function definitionReport(
  conn: DuckDBConnection,
  settings: ReportSettings,
  opts: { definitionFile?: string } = {},
): Promise<DefinitionReport> {
  const file = opts.definitionFile ?? resolveDefinitionPath();
  const loaded = loadDefinitionFile(file);
  const { def } = loaded;
  const contract = explainDefinition(def, { serviceLevels: settings.serviceLevels });
  // A definition that names columns the data lacks is the user's to fix: a message with lines, no trace.
  const pre = await preflightOrThrow(conn, loaded);
  const missing = scoringNotes(loaded, pre.activitiesLoaded).map(capitalise);

  // The scores to describe: a stored run of this exact file, or computed here.
  let source: DefinitionReport["scores"]["source"] = "computed";
  let runId: number | null = null;
  let asOf: string | null = null;
  const hasScores = await queryRows<{ ok: boolean }>(
    conn,
    "select count(*) = 2 as ok from information_schema.tables where table_name in ('lead_scores', 'score_runs')",
  );
  if (hasScores[0]?.ok) {
    const run = await queryRows<{ run_id: number; as_of: string }>(
      conn,
      `select run_id, cast(as_of as varchar) as as_of from score_runs
       where definition_version = $v and definition_sha256 = $sha and as_of_rule = 'fixed'
       order by run_id desc limit 1`,
      { v: def.version, sha: loaded.sha256 },
    );
    if (run[0]) {
      source = "stored";
      runId = Number(run[0].run_id);
      asOf = run[0].as_of;
    }
  }
  if (source === "computed") {
    asOf = settings.asOf ? `${addDays(settings.asOf, 1)} 00:00:00` : await latestMoment(conn);
  }
  let relation: string;
  let params: Record<string, string> = {};
  if (source === "stored") {
    relation = "(select * from lead_scores where run_id = $run_id::integer)";
    params = { run_id: String(runId) };
  } else {
    const q = buildScoreQuery(def, { scope: { kind: "fixed", at: asOf ?? "9999-12-31" } });
    relation = `(${q.sql})`;
    params = q.params;
  }

  // One pass for the distributions; all counts cast so BIGINT never reaches JSON.
  await conn.run(
    `create or replace temp table definition_page_scores as
    select total, fit, situational, engagement, negative, grade, stage, points_stage, is_complete from ${relation}`,
    params,
  );
  try {
    const [totals] = await queryRows<{ n: number; lo: number | null; hi: number | null }>(
      conn,
      "select cast(count(*) as integer) as n, min(total) as lo, max(total) as hi from definition_page_scores",
    );
    const leads = Number(totals?.n ?? 0);
    if (leads === 0) source = "none";
    const lo = Math.min(Number(totals?.lo ?? 0), ...def.thresholds.map((t) => t.min_score));
    const hi = Math.max(Number(totals?.hi ?? 0), ...def.thresholds.map((t) => t.min_score));
    const binWidth = niceBinWidth(hi - lo);
    const histogram = (
      await queryRows<HistogramRow>(
        conn,
        `select cast(floor(total / $w::double) * $w::integer as integer) as bin, stage, cast(count(*) as integer) as leads
         from definition_page_scores group by all order by bin, stage`,
        { w: String(binWidth) },
      )
    ).map((r) => ({ bin: Number(r.bin), stage: r.stage, leads: Number(r.leads) }));

    const stageCounts = await queryRows<{ stage: string; leads: number }>(
      conn,
      "select stage, cast(count(*) as integer) as leads from definition_page_scores group by stage",
    );
    const countOf = (stage: string) => Number(stageCounts.find((r) => r.stage === stage)?.leads ?? 0);
    const share = (n: number) => (leads ? n / leads : null);
    const stages: StageRow[] = [
      {
        stage: "lead",
        label: `Lead (below ${def.thresholds[0]?.min_score ?? 0} points)`,
        min_score: null,
        leads: countOf("lead"),
        share: share(countOf("lead")),
      },
      ...def.thresholds.map((t) => ({
        stage: t.stage,
        label: t.label ?? t.stage.toUpperCase(),
        min_score: t.min_score,
        leads: countOf(t.stage),
        share: share(countOf(t.stage)),
      })),
    ];
    if (def.negative.some((n) => n.disqualify)) {
      stages.push({
        stage: "disqualified",
        label: "Disqualified",
        min_score: null,
        leads: countOf("disqualified"),
        share: share(countOf("disqualified")),
      });
    }

    const grades = def.grades
      ? await Promise.all(
          def.grades.bands.map(async (b) => {
            const [r] = await queryRows<{ n: number }>(
              conn,
              "select cast(count(*) as integer) as n from definition_page_scores where grade = $g",
              { g: b.grade },
            );
            const n = Number(r?.n ?? 0);
            return { grade: b.grade, leads: n, share: share(n) };
          }),
        )
      : [];

    const parts: PartRow[] = [];
    for (const part of ["total", "fit", "situational", "engagement", "negative"] as const) {
      const [r] = await queryRows<{
        mean: number | null;
        p10: number | null;
        median: number | null;
        p90: number | null;
      }>(
        conn,
        `select avg(${part})::double as mean, quantile_cont(${part}, 0.1)::double as p10,
           quantile_cont(${part}, 0.5)::double as median, quantile_cont(${part}, 0.9)::double as p90
         from definition_page_scores`,
      );
      parts.push({
        part,
        mean: r?.mean ?? null,
        p10: r?.p10 ?? null,
        median: r?.median ?? null,
        p90: r?.p90 ?? null,
      });
    }
    const [held] = await queryRows<{ n: number }>(
      conn,
      "select cast(count(*) as integer) as n from definition_page_scores where stage <> points_stage and stage <> 'disqualified'",
    );

    // How far each criterion reaches, and what the data says about the definition.
    const check = leads > 0 && asOf ? await checkAgainstData(conn, loaded, { asOf }) : null;
    const coverage = (check?.coverage ?? []).map((c) => ({
      ...c,
      share: share(c.leadsAffected),
      valueShare: c.leadsWithValue === undefined ? null : share(c.leadsWithValue),
    }));
    const findings = (check?.findings ?? [])
      .filter((f) => f.level !== "info")
      .map((f) => ({
        level: f.level,
        where: f.line !== undefined ? `line ${f.line}` : "",
        message: f.message,
      }));
    for (const f of check?.findings ?? []) {
      const text = capitalise(f.message);
      if (f.level === "info" && !missing.includes(text)) missing.push(text);
    }
    if (leads === 0)
      missing.push(
        "No leads are loaded (or none existed at the moment scored): there is no score distribution to show.",
      );

    return {
      definition: {
        file,
        version: def.version,
        name: def.name ?? null,
        status: def.status ?? "unspecified",
        sha256: loaded.sha256,
      },
      contract,
      scores: { source, runId, asOf, leads },
      binWidth,
      histogram,
      stages,
      grades,
      parts,
      heldBack: Number(held?.n ?? 0),
      coverage,
      findings,
      missing,
    };
  } finally {
    await conn.run("drop table if exists definition_page_scores");
  }
}

/** A round bin width giving about 30 bins over the range: 1, 2, 5, 10, 20, ... */
export function niceBinWidth(range: number): number {
  const raw = Math.max(range, 1) / 30;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return Math.max(1, m * pow);
  return Math.max(1, 10 * pow);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
