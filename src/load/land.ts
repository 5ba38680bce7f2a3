import { type DuckDBConnection, quotedIdentifier as qi } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { planExtras } from "./extras.ts";
import type { Mapping } from "./mapping.ts";
import type { Planned, TargetPlan } from "./plan.ts";
import type { StagedFile } from "./read.ts";
import { summariseRejects, writeRejects } from "./rejects.ts";
import type { LoadResult, TableCounts } from "./result.ts";
import { collectErrors } from "./row-checks.ts";
import { typedPlan, typedSelect } from "./typed.ts";
import { upsert } from "./upsert.ts";

/**
 * Lands a staged file as batch `batchId` (inside the load's transaction): types it target by target, lists
 * and writes its rejects, writes the good rows, and sums it up.
 */
export async function landStaged(
  conn: DuckDBConnection,
  staged: StagedFile,
  { plans, skippedNotes }: Planned,
  mapping: Mapping,
  batchId: number,
  shown: string,
  progress: (m: string) => void,
): Promise<Omit<LoadResult, "batchId">> {
  const rowsRead = staged.rowsParsed + staged.readRejects.length;
  if (rowsRead === 0) {
    throw new UserError("the file has a header but no data rows: nothing to load", { file: shown });
  }
  await conn.run("create temp table errs (_row bigint, column_name varchar, reason varchar)");
  progress(`${shown}: checking ${staged.rowsParsed} rows`);
  // Direct reads already hold the typed rows; staged text is typed here, target by target.
  const tgts = plans.map((_, i) => (staged.stageRaw ? staged.table : `tgt_${i}`));
  const typed = plans.map(typedPlan);
  if (!staged.stageRaw) {
    for (const [i, plan] of plans.entries()) {
      const { sql } = typedSelect(plan, qi(staged.table), { withRow: true, missing: mapping.missing ?? [] });
      await conn.run(`create temp table ${qi(tgts[i] as string)} as ${sql}`);
    }
  }
  // (an unordered read was found clean by isClean: nothing to collect)
  if (!staged.unordered) await collectErrors(conn, typed, tgts);
  const rejectRows = await writeRejects(conn, staged, batchId);
  const rowsRejected = rejectRows + staged.readRejects.length;

  progress(`${shown}: writing`);
  const tables: TableCounts[] = [];
  const notes = [...staged.notes, ...skippedNotes];
  for (const [i, plan] of typed.entries()) {
    const tgt = tgts[i] as string;
    const extras = await planExtras(conn, plan, tgt, batchId, rejectRows > 0);
    tables.push(await upsert(conn, plan, tgt, extras, batchId, rejectRows > 0));
    if (extras.length > 0)
      notes.push(
        `kept ${extras.length} extra column(s) on ${plan.spec.name}: ${extras.map((x) => x.column).join(", ")}`,
      );
  }
  const missing = missingColumnsNote(typed);
  if (missing) notes.push(missing);
  return {
    file: shown,
    mapping: mapping.name,
    status: "loaded",
    rowsRead,
    rowsLoaded: rowsRead - rowsRejected,
    rowsRejected,
    tables,
    rejects: await summariseRejects(conn, staged.readRejects),
    notes,
  };
}

/** The note naming the mapped columns the file does not have, if any. */
export function missingColumnsNote(plans: TargetPlan[]): string | null {
  const missing = plans.flatMap((p) =>
    Object.keys(p.target.columns)
      .filter((c) => !p.columns.some((pc) => pc.column === c))
      .map((c) => `${p.spec.name}.${c}`),
  );
  if (missing.length === 0) return null;
  const shown =
    missing.slice(0, 6).join(", ") + (missing.length > 6 ? `, ... (${missing.length} in all)` : "");
  return `mapped columns not in this file (existing values left as they were): ${shown}`;
}
