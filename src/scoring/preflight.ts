import type { DuckDBConnection } from "@duckdb/node-api";
import { tableColumns } from "../db/table-columns.ts";
import { UserError } from "../errors.ts";
import { closest } from "./closest.ts";
import { columnsUsed, patternsUsed } from "./definition-walkers.ts";
import { type DefinitionProblem, formatProblems, type LoadedDefinition } from "./load-definition.ts";

/**
 * What must hold between a definition and a database before scoring: every column it reads exists
 * in leads, every regular expression compiles in DuckDB's engine (RE2, which is not JavaScript's).
 */
export interface Preflight {
  /** leads column -> DuckDB type. */
  leadColumns: Map<string, string>;
  /** False when no activity is loaded: engagement scores 0 and inactivity cannot be judged. */
  activitiesLoaded: boolean;
  problems: DefinitionProblem[];
}

export async function preflight(conn: DuckDBConnection, loaded: LoadedDefinition): Promise<Preflight> {
  const leadColumns = await tableColumns(conn, "leads");
  const problems: DefinitionProblem[] = [];
  const names = [...leadColumns.keys()];
  for (const { column, path } of columnsUsed(loaded.def)) {
    if (leadColumns.has(column)) continue;
    const guess = closest(column, names);
    problems.push({
      path,
      line: loaded.lineOf(path),
      message: `leads has no column ${column}${guess ? ` (did you mean ${guess}?)` : ""}; its columns are: ${names.join(", ")}`,
    });
  }
  for (const { pattern, path } of patternsUsed(loaded.def)) {
    try {
      await conn.runAndReadAll("select regexp_matches('', $p)", { p: pattern });
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split("\n")[0]?.replace(/^.*Error: /, "");
      problems.push({ path, line: loaded.lineOf(path), message: `not a valid regular expression: ${why}` });
    }
  }
  const present = (
    await conn.runAndReadAll("select exists (select 1 from activities) as present")
  ).getRowObjectsJson();
  return { leadColumns, activitiesLoaded: present[0]?.present === true, problems };
}

/** preflight, throwing a UserError that lists every problem with its line. */
export async function preflightOrThrow(conn: DuckDBConnection, loaded: LoadedDefinition): Promise<Preflight> {
  const p = await preflight(conn, loaded);
  if (p.problems.length > 0) throw new UserError(formatProblems(p.problems), { file: loaded.origin });
  return p;
}
