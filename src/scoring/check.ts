import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { latestMoment, naiveUtc, parseAsOf } from "./as-of.ts";
import { closest } from "./closest.ts";
import { activityTypesUsed } from "./definition-walkers.ts";
import { keptScoresAt } from "./kept-scores.ts";
import { labelOf, ruleLabel } from "./labels.ts";
import type { LoadedDefinition } from "./load-definition.ts";
import { preflight } from "./preflight.ts";
import { scoringNotes } from "./score.ts";
import { buildScoreQuery } from "./score-query.ts";
import { asList, directRef, ident, missingExpr, str } from "./sql-fragments.ts";

/**
 * `definition check` against the loaded data: what the schema cannot know. Columns that do not exist
 * (errors), activity types never seen, columns nobody filled in, rules and criteria that match no
 * lead, numbers that are not numbers (warnings), and how far each criterion reaches (coverage).
 */
export interface Finding {
  level: "error" | "warning" | "info";
  path: (string | number)[];
  line?: number;
  message: string;
}

export interface CriterionCoverage {
  section: "fit" | "situational" | "engagement" | "negative";
  name: string;
  label: string;
  /** What it reads: a column, or activity types. */
  reads: string;
  /** Leads the criterion gave non-zero points to (or, for negative ones, that meet the condition). */
  leadsAffected: number;
  /** Column criteria: leads with a value in the column. */
  leadsWithValue?: number;
  /** Does it give different leads different points? (false: it cannot help rank these leads) */
  varies?: boolean;
}

export interface DataCheck {
  findings: Finding[];
  asOf: string | null;
  leads: number;
  activities: number;
  coverage: CriterionCoverage[];
  byStage: { stage: string; leads: number }[];
}

interface Row {
  [k: string]: unknown;
}

async function rows(conn: DuckDBConnection, sql: string, params?: Record<string, string>): Promise<Row[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJson() as Row[];
}

export async function checkAgainstData(
  conn: DuckDBConnection,
  loaded: LoadedDefinition,
  opts: { asOf?: string } = {},
): Promise<DataCheck> {
  const { def } = loaded;
  const choice = parseAsOf(opts.asOf);
  if (choice.kind === "per-lead") {
    throw new UserError(
      "--as-of per-lead: a check tests the criteria at one moment; give latest, now or a date",
    );
  }
  const findings: Finding[] = [];
  const at = (path: (string | number)[]) => ({ path, line: loaded.lineOf(path) });
  const pre = await preflight(conn, loaded);
  for (const p of pre.problems)
    findings.push({ level: "error", path: p.path, line: p.line, message: p.message });

  const counts = (
    await rows(
      conn,
      "select cast(count(*) as integer) as n, cast((select count(*) from activities) as integer) as a from leads",
    )
  )[0];
  const leads = Number(counts?.n ?? 0);
  const activities = Number(counts?.a ?? 0);
  for (const note of scoringNotes(loaded, pre.activitiesLoaded))
    findings.push({ level: "info", path: [], message: note });
  if (leads === 0)
    findings.push({
      level: "warning",
      path: [],
      message: "no leads are loaded: nothing to check the criteria against",
    });

  // Activity types the definition counts but the data never had.
  const unseenPaths = new Set<string>();
  if (activities > 0) {
    const seen = (await rows(conn, "select distinct activity_type as t from activities order by 1")).map(
      (r) => String(r.t),
    );
    const seenSet = new Set(seen);
    for (const { type, path } of activityTypesUsed(def)) {
      if (seenSet.has(type)) continue;
      unseenPaths.add(JSON.stringify(path.slice(0, -1)));
      const guess = closest(type, seen);
      findings.push({
        level: "warning",
        ...at(path),
        message: `activity type ${type} never occurs in the loaded activities${guess ? ` (did you mean ${guess}?)` : ""}; the types are: ${seen.join(", ")}`,
      });
    }
  }
  if (findings.some((f) => f.level === "error") || leads === 0) {
    return { findings, asOf: null, leads, activities, coverage: [], byStage: [] };
  }

  // Columns: filled in at all? numbers where bands expect numbers?
  const columnSections = (["fit", "situational"] as const).flatMap((section) =>
    def[section].map((c, i) => ({ section, i, c })),
  );
  const colStats: string[] = [];
  columnSections.forEach(({ c }, k) => {
    colStats.push(
      `cast(count(*) filter (where not ${missingExpr(directRef("l", c.column), c.treat_as_missing)}) as integer) as v${k}`,
    );
    if (c.bands) {
      colStats.push(
        `cast(count(*) filter (where not ${missingExpr(directRef("l", c.column), c.treat_as_missing)} and try_cast(l.${ident(c.column)} as double) is null) as integer) as nn${k}`,
      );
    }
  });
  const stats = colStats.length
    ? ((await rows(conn, `select ${colStats.join(", ")} from leads as l`))[0] ?? {})
    : {};
  columnSections.forEach(({ section, i, c }, k) => {
    const withValue = Number(stats[`v${k}`] ?? 0);
    if (withValue === 0) {
      findings.push({
        level: "warning",
        ...at([section, i, "column"]),
        message: `${c.name}: no lead has a value in ${c.column}, so every lead gets its missing points (${c.missing})`,
      });
    }
    const notNumbers = Number(stats[`nn${k}`] ?? 0);
    if (notNumbers > 0) {
      findings.push({
        level: "warning",
        ...at([section, i, "bands"]),
        message: `${c.name}: ${notNumbers.toLocaleString("en-US")} leads have a value in ${c.column} that is not a number; they get the otherwise points (${c.otherwise})`,
      });
    }
  });

  // Rules and criteria that match no lead, from the scoring query itself (same semantics as scoring).
  const asOf =
    choice.kind === "fixed"
      ? choice.at
      : choice.kind === "now"
        ? naiveUtc(new Date())
        : ((await latestMoment(conn)) ?? naiveUtc(new Date()));
  const query = buildScoreQuery(def, {
    scope: { kind: "fixed", at: asOf },
    withCriteria: true,
  });
  const aggs: string[] = ["cast(count(*) as integer) as scored"];
  columnSections.forEach(({ c }, k) => {
    const rules = c.bands ?? c.values ?? [];
    const rule = ident(`rule_${c.name}`);
    const countsCol = ident(`counts_${c.name}`);
    rules.forEach((_, j) => {
      aggs.push(`cast(count(*) filter (where ${rule} = ${j + 1} and ${countsCol}) as integer) as r${k}_${j}`);
    });
    aggs.push(`cast(count(*) filter (where ${ident(`pts_${c.name}`)} <> 0) as integer) as a${k}`);
  });
  def.engagement.criteria.forEach((c, k) => {
    aggs.push(`cast(count(*) filter (where ${ident(`n_${c.name}`)} > 0) as integer) as e${k}`);
  });
  def.negative.forEach((c, k) => {
    aggs.push(`cast(count(*) filter (where ${ident(`hit_${c.name}`)}) as integer) as n${k}`);
  });
  const allNames = [
    ...columnSections.map(({ c }) => c.name),
    ...def.engagement.criteria.map((c) => c.name),
    ...def.negative.map((c) => c.name),
  ];
  // Negative criteria may disqualify without points: what varies is whether they hold.
  allNames.forEach((name, k) => {
    const col = k >= allNames.length - def.negative.length ? `hit_${name}` : `pts_${name}`;
    aggs.push(`cast(count(distinct ${ident(col)}) as integer) as d${k}`);
  });
  const order = ["lead", ...def.thresholds.map((t) => t.stage), "disqualified"];
  order.forEach((stage, k) => {
    aggs.push(`cast(count(*) filter (where stage = ${str(stage)}) as integer) as st${k}`);
  });
  // The leads as `leadcal score` just scored them at this moment, when it kept them (./kept-scores.ts).
  const kept = await keptScoresAt(conn, loaded, asOf);
  const agg =
    (kept
      ? await rows(conn, `select ${aggs.join(", ")} from ${kept} as s`)
      : await rows(conn, `select ${aggs.join(", ")} from (${query.sql}) as s`, query.params))[0] ?? {};
  const coverage: CriterionCoverage[] = [];
  columnSections.forEach(({ section, i, c }, k) => {
    const rules = c.bands ?? c.values ?? [];
    const kind = c.bands ? "bands" : "values";
    const withValue = Number(stats[`v${k}`] ?? 0);
    rules.forEach((r, j) => {
      if (withValue > 0 && Number(agg[`r${k}_${j}`] ?? 0) === 0) {
        findings.push({
          level: "warning",
          ...at([section, i, kind, j]),
          message: `${c.name}: no lead is in "${ruleLabel(r)}"${c.group ? ` (among the leads it applies to in group ${c.group})` : ""}`,
        });
      }
    });
    coverage.push({
      section,
      name: c.name,
      label: labelOf(c),
      reads: `column ${c.column}`,
      leadsWithValue: withValue,
      leadsAffected: Number(agg[`a${k}`] ?? 0),
    });
  });
  def.engagement.criteria.forEach((c, k) => {
    const n = Number(agg[`e${k}`] ?? 0);
    const allUnseen =
      asList(c.activity).length === 1 && unseenPaths.has(JSON.stringify(["engagement", "criteria", k]));
    if (n === 0 && activities > 0 && !allUnseen) {
      findings.push({
        level: "warning",
        ...at(["engagement", "criteria", k]),
        message: `${c.name}: no lead has a matching event in the ${c.window_days ?? def.engagement.window_days} days before ${asOf}`,
      });
    }
    coverage.push({
      section: "engagement",
      name: c.name,
      label: labelOf(c),
      reads: asList(c.activity).join(", "),
      leadsAffected: n,
    });
  });
  def.negative.forEach((c, k) => {
    const n = Number(agg[`n${k}`] ?? 0);
    const conds = c.any_of ?? [c];
    const needsActivities = conds.every((x) => x.activity !== undefined || x.inactive_days !== undefined);
    if (n === 0 && !(needsActivities && activities === 0)) {
      findings.push({
        level: "warning",
        ...at(["negative", k]),
        message: `${c.name}: no lead meets this condition`,
      });
    }
    const reads = conds
      .map((x) =>
        x.column
          ? `column ${x.column}`
          : x.inactive_days !== undefined
            ? "inactivity"
            : asList(x.activity).join(", "),
      )
      .join("; ");
    coverage.push({ section: "negative", name: c.name, label: labelOf(c), reads, leadsAffected: n });
  });

  coverage.forEach((c, k) => {
    c.varies = Number(agg[`d${k}`] ?? 0) > 1;
  });
  const varying = coverage.filter((c) => c.varies).map((c) => c.name);
  const flat = coverage.filter((c) => !c.varies).map((c) => c.name);
  if (flat.length > 0) {
    findings.push({
      level: "info",
      path: [],
      message:
        varying.length * 2 < coverage.length
          ? `only ${varying.length} of ${coverage.length} criteria tell leads apart in this data${varying.length ? ` (${varying.join(", ")})` : ""}; the others give every lead the same points`
          : `${flat.length} of ${coverage.length} criteria give every lead the same points in this data, so they cannot help rank these leads: ${flat.join(", ")}`,
    });
  }

  const byStage = order.map((stage, k) => ({ stage, leads: Number(agg[`st${k}`] ?? 0) }));
  return { findings, asOf, leads, activities, coverage, byStage };
}
