/**
 * One-off comparison (not part of npm test): leadcal's calibrated integer points against scikit-learn
 * on the same split and the same columns.
 *
 *   LEADCAL_DB=scratch/demo.duckdb npx tsx scripts/compare-sklearn.ts [--version V] [--extra col,col] [--keep DIR]
 *   (or: npm run compare:sklearn -- ...)
 *
 * It reads a calibrated draft from the model registry (default: the newest one), rebuilds the exact
 * population and holdout that calibration used (buildPopulation and assignHoldout with the draft's
 * own settings: champion, target, horizon, holdout rule, seed), and exports for every training and
 * holdout lead:
 * - the raw lead columns the champion's fit and situational criteria read (numbers for band criteria,
 *   text otherwise), and the low-cardinality columns its negative criteria read;
 * - per engagement criterion, the events it counts in its window before the scoring moment (n_), and
 *   the same events decay-weighted (w_, leadcal's own feature; used only by the "+ decayed" rows);
 * - per negative criterion, whether it holds (the scorer's hit_: activity-based warnings need it);
 * - y, the part (train/holdout), the draft's integer points (scored by the real scorer) and the
 *   champion's.
 * Then scripts/compare_sklearn.py (Debian's /usr/bin/python3 with scikit-learn) fits
 * LogisticRegressionCV on quantile-binned numerics + one-hot categoricals and
 * HistGradientBoostingClassifier on the raw columns, on the training part, and prints the holdout AUCs.
 * Only temp tables are written; the registry is read, not changed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { DuckDBConnection } from "@duckdb/node-api";
import { assignHoldout, parseHoldout } from "../src/calibrate/holdout.ts";
import { buildPopulation, type Target } from "../src/calibrate/population.ts";
import { resolveDbPath, withDb } from "../src/db/connection.ts";
import { parseDefinition } from "../src/scoring/load-definition.ts";
import type { Definition } from "../src/scoring/schema.ts";
import { buildScoreQuery } from "../src/scoring/score-query.ts";
import { ident, str } from "../src/scoring/sql-fragments.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.LEADCAL_PYTHON ?? "/usr/bin/python3";
/** Text columns of negative criteria with more distinct values than this (email, job title) are left out. */
const MAX_LEVELS = 100;

interface DraftRow {
  version: string;
  parent: string;
  yaml: string;
  target: Target;
  horizonDays: number;
  holdout: string | undefined;
  seed: number;
  reportAuc: number | null;
  holdoutDescription: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: "string" },
      version: { type: "string" },
      extra: { type: "string" },
      keep: { type: "string" },
    },
  });
  const dbPath = resolveDbPath(values.db);
  const outDir = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), "leadcal-sklearn-"));
  mkdirSync(outDir, { recursive: true });
  const csv = join(outDir, "features.csv");
  const metaFile = join(outDir, "meta.json");
  try {
    const meta = await withDb(dbPath, async (db) => {
      const conn = db.conn;
      const draft = await readDraft(conn, values.version);
      const champion = parseDefinition(await yamlOf(conn, draft.parent), `registry ${draft.parent}`).def;
      const draftDef = parseDefinition(draft.yaml, `registry ${draft.version}`).def;
      const pop = await buildPopulation(conn, champion, {
        target: draft.target,
        horizonDays: draft.horizonDays,
      });
      const hold = await assignHoldout(conn, pop, parseHoldout(draft.holdout, pop.dated), {
        seed: draft.seed,
        horizonDays: draft.horizonDays,
      });
      await conn.run(
        "create or replace temp table cmp_scope as select lead_id, as_of from cal_pop where part in ('train', 'holdout')",
      );
      const champQ = buildScoreQuery(champion, {
        scope: { kind: "table", table: "cmp_scope" },
        withCriteria: true,
      });
      await conn.run(`create or replace temp table cmp_champ as ${champQ.sql}`, champQ.params);
      const draftQ = buildScoreQuery(draftDef, { scope: { kind: "table", table: "cmp_scope" } });
      await conn.run(`create or replace temp table cmp_draft as ${draftQ.sql}`, draftQ.params);

      const cols = featureColumns(champion, values.extra);
      const kept: typeof cols = [];
      for (const c of cols) {
        if (c.kind !== "cat" || !c.checkLevels) {
          kept.push(c);
          continue;
        }
        const n = Number(
          (
            await conn.runAndReadAll(
              `select count(distinct lower(trim(cast(l.${ident(c.column ?? c.name)} as varchar))))::integer as n
               from leads as l join cmp_scope as s using (lead_id)`,
            )
          ).getRowObjectsJson()[0]?.n ?? 0,
        );
        if (n <= MAX_LEVELS) kept.push(c);
        else process.stderr.write(`compare: left out ${c.column} (${n} distinct values)\n`);
      }
      const selects = [
        "p.lead_id",
        "p.part",
        "p.y::integer as y",
        "d.total as leadcal_points",
        "c.total as champion_points",
        ...kept.map((c) => `${c.sql} as ${ident(`${c.kind}__${c.name}`)}`),
      ];
      await conn.run(
        `copy (
           select ${selects.join(",\n  ")}
           from cal_pop as p
           join leads as l on l.lead_id = p.lead_id
           join cmp_champ as c on c.lead_id = p.lead_id
           join cmp_draft as d on d.lead_id = p.lead_id
           where p.part in ('train', 'holdout')
           order by p.part desc, p.lead_id
         ) to ${str(csv)} (header, delimiter ',')`,
      );
      const split = (
        await conn.runAndReadAll(
          "select part, count(*)::integer as n, count(*) filter (where y)::integer as c from cal_pop where part in ('train','holdout') group by part",
        )
      ).getRowObjectsJson();
      await conn.run("drop table cmp_draft; drop table cmp_champ; drop table cmp_scope; drop table cal_pop;");
      return {
        db: dbPath,
        version: draft.version,
        champion: draft.parent,
        target: draft.target,
        horizonDays: draft.horizonDays,
        holdout: hold.description,
        registryAuc: draft.reportAuc,
        registryHoldout: draft.holdoutDescription,
        split,
        columns: kept.map((c) => `${c.kind}__${c.name}`),
      };
    });
    writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    const r = spawnSync(PYTHON, [join(HERE, "compare_sklearn.py"), "compare", csv, metaFile], {
      stdio: "inherit",
    });
    if (r.status !== 0) throw new Error(`compare_sklearn.py exited with status ${r.status}`);
  } finally {
    if (!values.keep) rmSync(outDir, { recursive: true, force: true });
  }
}

async function readDraft(conn: DuckDBConnection, version?: string): Promise<DraftRow> {
  const rows = (
    await conn.runAndReadAll(
      `select version, parent_version, definition_yaml, target_stage, horizon_days, seed,
         settings::varchar as settings, report::varchar as report
       from model_versions where origin = 'calibrated' ${version ? "and version = $v" : ""}
       order by created_at desc limit 1`,
      version ? { v: version } : undefined,
    )
  ).getRowObjectsJson();
  const r = rows[0];
  if (!r)
    throw new Error(
      `no calibrated ${version ? `version ${version}` : "draft"} in the registry: run leadcal calibrate first`,
    );
  const settings = JSON.parse(String(r.settings ?? "{}")) as { holdout?: string | null };
  const report = r.report
    ? (JSON.parse(String(r.report)) as { challenger?: { auc?: number }; holdout?: { description?: string } })
    : null;
  return {
    version: String(r.version),
    parent: String(r.parent_version),
    yaml: String(r.definition_yaml),
    target: String(r.target_stage) as Target,
    horizonDays: Number(r.horizon_days),
    holdout: settings.holdout ?? undefined,
    seed: Number(r.seed ?? 1),
    reportAuc: report?.challenger?.auc ?? null,
    holdoutDescription: report?.holdout?.description ?? "",
  };
}

async function yamlOf(conn: DuckDBConnection, version: string): Promise<string> {
  const r = (
    await conn.runAndReadAll("select definition_yaml from model_versions where version = $v", { v: version })
  ).getRowObjectsJson()[0];
  if (!r) throw new Error(`the champion ${version} is not in the registry`);
  return String(r.definition_yaml);
}

interface FeatureColumn {
  kind: "num" | "cat" | "cnt" | "dec" | "flag";
  name: string;
  sql: string;
  column?: string;
  checkLevels?: boolean;
}

/** The columns the definition reads, raw: see the header. */
function featureColumns(def: Definition, extra: string | undefined): FeatureColumn[] {
  const out: FeatureColumn[] = [];
  const seen = new Set<string>();
  const text = (col: string) => `nullif(lower(trim(cast(l.${ident(col)} as varchar))), '')`;
  for (const section of ["fit", "situational"] as const) {
    for (const c of def[section]) {
      if (seen.has(c.column)) continue;
      seen.add(c.column);
      out.push(
        c.bands
          ? { kind: "num", name: c.column, sql: `try_cast(l.${ident(c.column)} as double)` }
          : { kind: "cat", name: c.column, sql: text(c.column) },
      );
    }
  }
  for (const n of def.negative) {
    const conds = n.any_of ?? [n];
    for (const c of conds) {
      const col = (c as { column?: string }).column;
      if (!col || seen.has(col)) continue;
      seen.add(col);
      out.push({ kind: "cat", name: col, sql: text(col), column: col, checkLevels: true });
    }
  }
  for (const col of (extra ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (seen.has(col)) continue;
    seen.add(col);
    out.push({ kind: "cat", name: `extra_${col}`, sql: text(col) });
  }
  for (const e of def.engagement.criteria) {
    out.push({ kind: "cnt", name: e.name, sql: `c.${ident(`n_${e.name}`)}` });
    out.push({ kind: "dec", name: e.name, sql: `round(c.${ident(`w_${e.name}`)}, 6)` });
  }
  for (const n of def.negative)
    out.push({ kind: "flag", name: n.name, sql: `coalesce(c.${ident(`hit_${n.name}`)}, false)::integer` });
  return out;
}

try {
  await main();
} catch (e) {
  process.stderr.write(`compare: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
