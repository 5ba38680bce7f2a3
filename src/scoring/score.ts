import type { Db } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import type { OnProgress } from "../progress.ts";
import { type AsOfChoice, latestMoment, naiveUtc, parseAsOf } from "./as-of.ts";
import { keepScoresAt } from "./kept-scores.ts";
import { DEFAULT_DEFINITION, type LoadedDefinition, loadDefinitionFile } from "./load-definition.ts";
import { preflightOrThrow } from "./preflight.ts";
import { type AsOfScope, buildScoreQuery } from "./score-query.ts";

export interface ScoreOptions {
  /** The definition file (default data/definition.yaml); ignored when `definition` is given. */
  definitionFile?: string;
  definition?: LoadedDefinition;
  /** latest (default), now, per-lead, a date or time text, or a Date. See ./as-of.ts. */
  asOf?: string | Date;
  /** Moments chosen by the caller: a table or view with lead_id and as_of (overrides asOf). */
  asOfTable?: string;
  /** The steps as they start: checking, scoring, storing, counting. */
  onProgress?: OnProgress;
}

export interface ScoreResult {
  runId: number;
  version: string;
  definitionFile: string;
  asOfRule: "fixed" | "per-lead" | "table";
  /** The moment of a fixed run, as naive UTC text; null for per-lead and table runs. */
  asOf: string | null;
  /** How the moment was chosen, in words ("the newest timestamp in the data"). */
  asOfSource: string;
  leadsScored: number;
  /** Leads per stage, in funnel order (lead, thresholds..., disqualified). */
  byStage: { stage: string; leads: number }[];
  notes: string[];
  seconds: number;
}

/**
 * Applies a scoring definition to every lead, as of a moment, in one set-based DuckDB statement, and
 * stores the scores in lead_scores (replacing an earlier run of the same version at the same moment).
 * Returns what was scored; nothing is printed.
 */
export async function scoreLeads(db: Db, opts: ScoreOptions = {}): Promise<ScoreResult> {
  const started = performance.now();
  const loaded = opts.definition ?? loadDefinitionFile(opts.definitionFile ?? DEFAULT_DEFINITION);
  const { def } = loaded;
  const conn = db.conn;
  const step: OnProgress = opts.onProgress ?? (() => {});
  step("checking the definition against the data");
  const pre = await preflightOrThrow(conn, loaded);
  const notes = scoringNotes(loaded, pre.activitiesLoaded);

  const choice: AsOfChoice = opts.asOfTable ? { kind: "fixed", at: "" } : parseAsOf(opts.asOf);
  let scope: AsOfScope;
  let asOf: string | null = null;
  let asOfSource: string;
  if (opts.asOfTable) {
    scope = { kind: "table", table: opts.asOfTable };
    asOfSource = `each lead's moment from ${opts.asOfTable}`;
  } else if (choice.kind === "per-lead") {
    scope = { kind: "per-lead" };
    const pit = def.point_in_time;
    asOfSource = `each lead when it became ${pit.stage} (or later), else ${pit.days_after_created} days after it was created`;
  } else if (choice.kind === "latest") {
    const latest = await latestMoment(conn);
    asOf = latest ?? naiveUtc(new Date());
    asOfSource = latest
      ? "midnight after the newest timestamp in the loaded data"
      : "now (the loaded data has no timestamps)";
    scope = { kind: "fixed", at: asOf };
  } else if (choice.kind === "now") {
    asOf = naiveUtc(new Date());
    asOfSource = "now";
    scope = { kind: "fixed", at: asOf };
  } else {
    asOf = choice.at;
    asOfSource = "as given";
    scope = { kind: "fixed", at: asOf };
  }

  const query = buildScoreQuery(def, { scope });
  const version = def.version;
  const startedAt = naiveUtc(new Date());
  await conn.run("begin transaction");
  try {
    const next = (
      await conn.runAndReadAll("select coalesce(max(run_id), 0) + 1 as id from score_runs")
    ).getRowObjectsJson();
    const runId = Number(next[0]?.id ?? 1);
    const cols = `lead_id, definition_version, as_of, run_id, total, fit, situational, engagement, negative, probability,
      grade, stage, points_stage, is_disqualified, is_complete, completeness, missing_fields, reasons`;
    const select = `select lead_id, $version, as_of, $run_id::integer, total, fit, situational, engagement, negative,
      probability, grade, stage, points_stage, is_disqualified, is_complete, completeness, missing_fields, reasons`;
    const params = { ...query.params, version, run_id: String(runId) };
    if (scope.kind === "fixed") {
      step("scoring every lead and storing the scores");
      await conn.run(
        "delete from lead_scores where definition_version = $version and as_of = $as_of::timestamp",
        {
          version,
          as_of: scope.at,
        },
      );
      // Scored once with the criteria and kept: the Definition page's check of this moment reads them
      // (./kept-scores.ts) instead of scoring every lead again.
      const scored = await keepScoresAt(conn, loaded, scope.at);
      await conn.run(`insert into lead_scores (${cols}) ${select} from ${scored}`, {
        version,
        run_id: String(runId),
      });
    } else {
      step("scoring every lead");
      await conn.run(`create or replace temp table scoring_new as ${query.sql}`, query.params);
      step("storing the scores");
      await conn.run(
        `delete from lead_scores as s using scoring_new as n
         where s.lead_id = n.lead_id and s.as_of = n.as_of and s.definition_version = $version`,
        { version },
      );
      await conn.run(`insert into lead_scores (${cols}) ${select} from scoring_new`, params);
      await conn.run("drop table scoring_new");
    }
    step("counting the leads by stage");
    const counts = (
      await conn.runAndReadAll(
        "select stage, cast(count(*) as integer) as leads from lead_scores where run_id = $run_id::integer group by stage",
        { run_id: String(runId) },
      )
    ).getRowObjectsJson();
    const leadsScored = counts.reduce((n, r) => n + Number(r.leads), 0);
    const order = ["lead", ...def.thresholds.map((t) => t.stage), "disqualified"];
    const byStage = order.map((stage) => ({
      stage,
      leads: Number(counts.find((r) => r.stage === stage)?.leads ?? 0),
    }));
    if (leadsScored === 0) notes.push("no lead existed at that moment: nothing was scored");
    await conn.run(
      `insert into score_runs values ($run_id::integer, $version, $name, $file, $sha, $json::json, $rule, $as_of::timestamp,
        $started::timestamp, $finished::timestamp, $n::bigint, cast(from_json($notes, '["VARCHAR"]') as varchar[]))`,
      {
        run_id: String(runId),
        version,
        name: def.name ?? null,
        file: loaded.origin,
        sha: loaded.sha256,
        json: JSON.stringify(def),
        rule: scope.kind,
        as_of: asOf,
        started: startedAt,
        finished: naiveUtc(new Date()),
        n: String(leadsScored),
        notes: JSON.stringify(notes),
      },
    );
    await conn.run("commit");
    return {
      runId,
      version,
      definitionFile: loaded.origin,
      asOfRule: scope.kind,
      asOf,
      asOfSource,
      leadsScored,
      byStage,
      notes,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (e) {
    await conn.run("rollback");
    if (e instanceof UserError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/Catalog Error: Table with name .* does not exist/.test(msg) && opts.asOfTable) {
      throw new UserError(`the table of scoring moments ${opts.asOfTable} does not exist`);
    }
    throw e;
  }
}

/** What a user should know about how far the definition can apply to this data. */
export function scoringNotes(loaded: LoadedDefinition, activitiesLoaded: boolean): string[] {
  const { def } = loaded;
  const notes: string[] = [];
  const activityNegatives = def.negative.filter((n) =>
    (n.any_of ?? [n]).some((c) => c.activity !== undefined || c.inactive_days !== undefined),
  );
  if (!activitiesLoaded && (def.engagement.criteria.length > 0 || activityNegatives.length > 0)) {
    notes.push(
      `no activities are loaded: the ${def.engagement.criteria.length} engagement criteria give 0 points` +
        (activityNegatives.length
          ? ` and the ${activityNegatives.length} negative criteria on activities (${activityNegatives.map((n) => n.name).join(", ")}) do not apply`
          : ""),
    );
  }
  return notes;
}
