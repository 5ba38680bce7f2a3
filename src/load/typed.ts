import { quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { cleanedText } from "./columns.ts";
import type { PlannedColumn, TargetPlan } from "./plan.ts";
import { columnChecks } from "./row-checks.ts";

export interface TypedSelectOptions {
  /** Carry the source's `_row` through. */
  withRow: boolean;
  /** The mapping's missing-value words (for the kept extra columns). */
  missing: readonly string[];
  /** `_err` only non-empty when some check failed, instead of the list of failures. */
  onlyFlag?: boolean;
}

/**
 * The select that turns text rows (`from`: a staged table, or the CSV reader itself) into one target's typed
 * rows: the canonical columns, the kept extra columns as cleaned text (`__x0`, `__x1`, ...), and `_err`, the
 * failed checks ("column<TAB>reason" lines; with `onlyFlag`, just non-empty when some check failed).
 * Also returns the plan of those typed rows: the input plan with the columns they hold (the unpivoted stage
 * and date, the hashed id). The input plan is not changed.
 */
export function typedSelect(
  plan: TargetPlan,
  from: string,
  { withRow, missing, onlyFlag = false }: TypedSelectOptions,
): { sql: string; plan: TargetPlan } {
  const row = withRow ? "_row, " : "";
  const cols = plan.columns.filter((c) => c.text !== "");
  const extras = plan.extraHeaders.map(
    (h, k) => `, ${cleanedText(`${qi(h)}::varchar`, missing)} as ${qi(`__x${k}`)}`,
  );
  const passExtras = plan.extraHeaders.map((_, k) => `, ${qi(`__x${k}`)}`).join("");
  const { inner, typedCols } =
    plan.stageColumns.length > 0
      ? unpivoted(plan, cols, from, row, extras.join(""))
      : {
          inner: `select ${row}${cols.map((c) => `${c.text} as ${qi(`t_${c.column}`)}`).join(", ")}${extras.join("")} from ${from}`,
          typedCols: cols,
        };
  const middle = `select ${row}${typedCols.map((c) => `${qi(`t_${c.column}`)}, ${c.typed} as ${qi(c.column)}`).join(", ")}${passExtras} from (${inner})`;
  const { outCols, columns } = withHashedId(plan, typedCols);
  const typed: TargetPlan = { ...plan, columns };
  const checks = columnChecks(typed);
  // Read out of order, a row's failures are only counted (the file is read again in order to report them):
  // the conditions alone are cheaper than building every row's message list.
  const err =
    checks.length === 0
      ? "''"
      : onlyFlag
        ? `(case when ${checks.map((c) => `(${c.when})`).join(" or ")} then 'x' else '' end)`
        : `concat_ws(chr(10), ${checks.map((c) => `case when ${c.when} then ${c.message} end`).join(", ")})`;
  const sql = `select ${row}${outCols.join(", ")}${passExtras},
       ${err} as _err
     from (${middle})`;
  return { sql, plan: typed };
}

/** The plan of a target's typed rows (see typedSelect). */
export function typedPlan(plan: TargetPlan): TargetPlan {
  return typedSelect(plan, "", { withRow: false, missing: [] }).plan;
}

/** One row per lifecycle-date column that has a date: the stage named by the column, entered at that date. */
function unpivoted(
  plan: TargetPlan,
  cols: PlannedColumn[],
  from: string,
  row: string,
  extras: string,
): { inner: string; typedCols: PlannedColumn[] } {
  const others = cols.filter((c) => c.column !== "stage" && c.column !== "entered_at");
  const enteredSpec = cols.find((c) => c.column === "entered_at");
  const branches = plan.stageColumns.map(({ stage, header }) => {
    const date = `nullif(trim(${qi(header)}::varchar), '')`;
    return `select ${row}${others.map((c) => `${c.text} as ${qi(`t_${c.column}`)}`).join(", ")},
              ${qs(stage)} as t_stage, ${date} as t_entered_at${extras}
              from ${from} where ${date} is not null`;
  });
  const typedCols: PlannedColumn[] = [
    ...others,
    { column: "stage", type: "VARCHAR", text: "", typed: "t_stage", sourceHeader: null },
    {
      column: "entered_at",
      type: "TIMESTAMP",
      text: "",
      typed:
        enteredSpec?.typed ??
        "coalesce(try_cast(t_entered_at as timestamp), try_cast(try_cast(t_entered_at as timestamptz) at time zone 'UTC' as timestamp))",
      sourceHeader: null,
    },
  ];
  return { inner: branches.join(" union all "), typedCols };
}

/**
 * The output columns, with the id of a target that has none in the source filled from a hash of the natural
 * key, so a re-exported event is recognised as the same one; and the columns the typed rows then hold.
 */
function withHashedId(
  plan: TargetPlan,
  typedCols: PlannedColumn[],
): { outCols: string[]; columns: PlannedColumn[] } {
  const outCols = typedCols.map((c) => qi(c.column));
  const hashed = plan.spec.hashedId;
  if (!hashed) return { outCols, columns: typedCols };
  const have = new Set(typedCols.map((c) => c.column));
  const parts = hashed.from.filter((c) => have.has(c)).map((c) => `coalesce(${qi(c)}::varchar, '')`);
  const natural = `md5(concat_ws('|', ${parts.join(", ")}))`;
  if (have.has(hashed.column)) {
    const k = outCols.indexOf(qi(hashed.column));
    outCols[k] = `coalesce(${qi(hashed.column)}, ${natural}) as ${qi(hashed.column)}`;
    return { outCols, columns: typedCols };
  }
  return {
    outCols: [`${natural} as ${qi(hashed.column)}`, ...outCols],
    columns: [
      ...typedCols,
      { column: hashed.column, type: "VARCHAR", text: "", typed: "", sourceHeader: null },
    ],
  };
}
