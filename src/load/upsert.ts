import { type DuckDBConnection, quotedIdentifier as qi } from "@duckdb/node-api";
import { type ExtraColumn, extraValue } from "./extras.ts";
import type { TargetPlan } from "./plan.ts";
import type { TableCounts } from "./result.ts";
import { scalar } from "./sql.ts";

/**
 * Writes the good rows of one target (typed rows in `tgt`; with `anyErrors`, those not in errs): updates rows
 * whose key exists (where they differ), inserts the rest.
 */
export async function upsert(
  conn: DuckDBConnection,
  plan: TargetPlan,
  tgt: string,
  extras: ExtraColumn[],
  batchId: number,
  anyErrors: boolean,
): Promise<TableCounts> {
  const table = plan.spec.name;
  const extraSelect = extras.map((x) => `, ${extraValue(x.source, x.type, "t")} as ${qi(x.column)}`).join("");
  const source = `(select t.* exclude (_err${extras.map((x) => `, ${qi(x.source)}`).join("")})${extraSelect}
     from ${qi(tgt)} t
     ${anyErrors ? "where t._row not in (select _row from errs)" : ""})`;
  const cols = [...plan.columns.map((c) => c.column), ...extras.map((x) => x.column)];
  const key = plan.spec.key;
  const match = keyMatch(key);
  const nonKey = cols.filter((c) => !key.includes(c));
  const changed = nonKey.length
    ? nonKey.map((c) => `e.${qi(c)} is distinct from s.${qi(c)}`).join(" or ")
    : "false";
  const total = await scalar(conn, `select count(*) from ${source}`);
  let updated = 0;
  if (plan.spec.onConflict === "update" && nonKey.length > 0) {
    const u = await conn.run(
      `update ${qi(table)} e set ${nonKey.map((c) => `${qi(c)} = s.${qi(c)}`).join(", ")}, batch_id = ${batchId}
       from ${source} s where ${match} and (${changed})`,
    );
    updated = u.rowsChanged;
  }
  const ins = await conn.run(
    `insert into ${qi(table)} (${cols.map((c) => qi(c)).join(", ")}, batch_id)
     select ${cols.map((c) => `s.${qi(c)}`).join(", ")}, ${batchId} from ${source} s
     where not exists (select 1 from ${qi(table)} e where ${match})`,
  );
  const inserted = ins.rowsChanged;
  return { table, inserted, updated, unchanged: total - inserted - updated };
}

/** Rows `e` and `s` have the same key. Keys that may be null (a stage change without a date) need null-safe
 * equality; the rest hash-join on =. */
export function keyMatch(key: readonly string[]): string {
  const nullable = new Set(["entered_at"]);
  return key
    .map((k) => (nullable.has(k) ? `e.${qi(k)} is not distinct from s.${qi(k)}` : `e.${qi(k)} = s.${qi(k)}`))
    .join(" and ");
}
