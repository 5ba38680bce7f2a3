import type { DuckDBConnection } from "@duckdb/node-api";
import type { LoadedDefinition } from "./load-definition.ts";
import { buildScoreQuery } from "./score-query.ts";

/**
 * Every lead scored with its criteria at one fixed moment, kept for the rest of the process in a temp
 * table, so the checks of the same definition at the same moment (`checkAgainstData`: how many leads each
 * criterion reaches, for the Definition page that `leadcal score` stores right after scoring) read those
 * rows instead of scoring every lead a second time. Keyed by the definition file's sha256 and the moment,
 * on the connection that scored: another definition, another moment or another connection scores afresh.
 */
const kept = new WeakMap<DuckDBConnection, Map<string, string>>();
let counter = 0;

/** The moment as one text, whatever form it came in ('2026-11-02', '2026-11-02 00:00:00'). */
async function momentKey(conn: DuckDBConnection, at: string): Promise<string> {
  const r = await conn.runAndReadAll("select strftime($at::timestamp, '%Y-%m-%d %H:%M:%S.%f') as k", { at });
  return String(r.getRowObjectsJS()[0]?.k);
}

/**
 * Scores every lead with its criteria at `at` into a temp table and remembers it; returns the table's
 * name. The rows are the score query's own (buildScoreQuery with its criteria columns).
 */
export async function keepScoresAt(
  conn: DuckDBConnection,
  loaded: LoadedDefinition,
  at: string,
): Promise<string> {
  const query = buildScoreQuery(loaded.def, { scope: { kind: "fixed", at }, withCriteria: true });
  const table = `kept_scores_${++counter}`;
  await conn.run(`create or replace temp table ${table} as ${query.sql}`, query.params);
  const byKey = kept.get(conn) ?? new Map<string, string>();
  byKey.set(`${loaded.sha256}\t${await momentKey(conn, at)}`, table);
  kept.set(conn, byKey);
  return table;
}

/** The temp table of this definition scored at `at` on this connection, if one is kept. */
export async function keptScoresAt(
  conn: DuckDBConnection,
  loaded: LoadedDefinition,
  at: string,
): Promise<string | null> {
  const byKey = kept.get(conn);
  if (!byKey) return null;
  const table = byKey.get(`${loaded.sha256}\t${await momentKey(conn, at)}`);
  if (!table) return null;
  const exists = await conn.runAndReadAll(
    "select 1 from duckdb_tables() where temporary and table_name = $t",
    { t: table },
  );
  return exists.getRows().length > 0 ? table : null;
}

/** Drops the kept scores of this connection (once what needed them has read them). */
export async function forgetKeptScores(conn: DuckDBConnection): Promise<void> {
  for (const table of kept.get(conn)?.values() ?? []) await conn.run(`drop table if exists temp.${table}`);
  kept.delete(conn);
}
