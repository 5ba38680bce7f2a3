import { type DuckDBConnection, quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { describeType, isOneOf } from "./columns.ts";
import type { PlannedColumn, TargetPlan } from "./plan.ts";
import type { StagedFile } from "./read.ts";
import { scalar } from "./sql.ts";

/** One per-row check: the condition a failing row meets, and its message ("column<TAB>reason"). */
export interface RowCheck {
  when: string;
  message: string;
}

/** The per-row checks of a target's columns. */
export function columnChecks(plan: TargetPlan): RowCheck[] {
  const checks: RowCheck[] = [];
  const label = (c: PlannedColumn) => c.sourceHeader ?? c.column;
  const shown = (t: string) => `left(regexp_replace(${t}, '[\\t\\n\\r]+', ' ', 'g'), 80)`;
  for (const c of plan.columns) {
    const v = qi(c.column);
    const t = qi(`t_${c.column}`);
    const at = qs(`${label(c)}\t`);
    if (c.type !== "VARCHAR") {
      checks.push({
        when: `${t} is not null and ${v} is null`,
        message: `${at} || 'cannot read ''' || ${shown(t)} || ''' as ' || ${qs(describeType(c.type, { formats: c.formats }))}`,
      });
    }
    if (plan.spec.required.includes(c.column)) {
      checks.push({
        when: `${t} is null and ${v} is null`,
        message: `${at} || ${qs(`missing required value for ${plan.spec.name}.${c.column}`)}`,
      });
    }
    const accepted = plan.spec.accepted[c.column];
    if (accepted) {
      checks.push({
        when: `${v} is not null and not ${isOneOf(v, accepted)}`,
        message: `${at} || 'unknown value ''' || ${shown(v)} || ''' (accepted: ${accepted.join(", ")}; map other names in the mapping''s map:)'`,
      });
    }
    if (plan.spec.nonNegative.includes(c.column)) {
      checks.push({
        when: `${v} < 0`,
        message: `${at} || 'negative value ' || ${v}::varchar || ' is not allowed'`,
      });
    }
    if (c.type === "TIMESTAMP" || c.type === "DATE") {
      checks.push({
        when: `${v} < date '1980-01-01' or ${v} > current_date + interval 1 year`,
        message: `${at} || 'implausible date ' || ${v}::varchar`,
      });
    }
  }
  const has = (name: string) => plan.columns.some((c) => c.column === name);
  if (plan.spec.name === "deals" && has("created_at") && has("closed_at")) {
    checks.push({
      when: `closed_at < created_at`,
      message: `'closed_at\tclosed before it was created (' || closed_at::varchar || ' < ' || created_at::varchar || ')'`,
    });
  }
  if (plan.spec.name === "costs" && has("period_start") && has("period_end")) {
    checks.push({ when: `period_end < period_start`, message: `'period_end\tperiod ends before it starts'` });
  }
  return checks;
}

/**
 * A check over one target's typed rows, written once and rendered two ways: `count`, the number of failures
 * in a table read without its row order (no `_row`: zero means nothing to report), and `rejects`, the failing
 * rows as (_row, column_name, reason) for the errs table.
 */
interface TargetCheck {
  count: string;
  rejects: string;
}

/**
 * Every check of target `i` (typed rows in `tgts[i]`): its rows' failed column checks (`_err`), duplicate
 * keys inside the file (the first occurrence wins), and rows pointing at unknown leads. A row that failed
 * a column check is only reported for that.
 */
function targetChecks(plans: TargetPlan[], tgts: string[], i: number): TargetCheck[] {
  const plan = plans[i] as TargetPlan;
  const t = qi(tgts[i] as string);
  const checks: TargetCheck[] = [
    {
      count: `select count(*) from ${t} where _err <> ''`,
      rejects: `select _row, nullif(split_part(e, chr(9), 1), ''), split_part(e, chr(9), 2)
     from (select _row, unnest(string_split(_err, chr(10))) as e from ${t} where _err <> '')`,
    },
  ];
  const key = checkedKey(plan);
  if (key) {
    const keyCols = key.map((k) => qi(k)).join(", ");
    const keyText = key.map((k) => `coalesce(t.${qi(k)}::varchar, '')`).join(` || ' / ' || `);
    // One key column: a distinct count is a little cheaper than grouping (measured ~8% at 20 M rows);
    // two missing keys count as a duplicate, as grouping would have it.
    const k = qi(key[0] as string);
    checks.push({
      count:
        key.length === 1
          ? `select (count(${k}) - count(distinct ${k})) + greatest(count(*) - count(${k}) - 1, 0) from ${t}`
          : `select count(*) from (select ${keyCols} from ${t} group by ${keyCols} having count(*) > 1)`,
      // Duplicates found by grouping (cheaper than a window over every row).
      rejects: `select t._row, ${qs(key.join(", "))},
              'duplicate of row ' || d.first_row || ' (same ${key.join(", ")}: ''' || ${keyText} || ''')'
       from ${t} t
       join (select ${keyCols}, min(_row) as first_row from ${t} where _err = ''
             group by ${keyCols} having count(*) > 1) d
         on ${key.map((k) => `t.${qi(k)} is not distinct from d.${qi(k)}`).join(" and ")}
       where t._err = '' and t._row <> d.first_row`,
    });
  }
  const lc = checkedLeadColumn(plan);
  if (lc) {
    const unknown = `x.${qi(lc)} is not null and not exists (select 1 from leads l where l.lead_id = x.${qi(lc)})`;
    // Leads loaded from the same file are known too.
    const leadsHere = plans.findIndex((p) => p.spec.name === "leads");
    const alsoHere =
      leadsHere >= 0 && leadsHere !== i
        ? `and x.${qi(lc)} not in (select lead_id from ${qi(tgts[leadsHere] as string)})`
        : "";
    checks.push({
      count: `select count(*) from ${t} x where ${unknown}`,
      rejects: `select _row, ${qs(lc)}, 'unknown lead ''' || x.${qi(lc)} || ''' (not in leads: load the leads file first)'
       from ${t} x
       where x._err = '' and ${unknown} ${alsoHere}`,
    });
  }
  return checks;
}

/** The target's key columns when the file fills all of them (else no duplicate check applies). */
export function checkedKey(plan: TargetPlan): string[] | null {
  const key = plan.spec.key.filter((k) => plan.columns.some((c) => c.column === k));
  return key.length === plan.spec.key.length ? key : null;
}

/** The lead column of a target whose rows must name a known lead, when the file fills it. */
function checkedLeadColumn(plan: TargetPlan): string | null {
  const lc = plan.spec.leadColumn;
  return lc && plan.columns.some((c) => c.column === lc) ? lc : null;
}

/**
 * Whether a file read without its row order (into one target, typed by `plan`) has nothing to report: no
 * unreadable line and every check counting zero.
 */
export async function isClean(
  conn: DuckDBConnection,
  staged: StagedFile,
  plans: TargetPlan[],
): Promise<boolean> {
  if (staged.readRejects.length > 0 || plans.length !== 1) return false;
  for (const check of targetChecks(plans, [staged.table], 0)) {
    if ((await scalar(conn, check.count)) > 0) return false;
  }
  return true;
}

/** Lists every check failure of every target (typed rows in `tgts`) in the temp table errs. */
export async function collectErrors(
  conn: DuckDBConnection,
  plans: TargetPlan[],
  tgts: string[],
): Promise<void> {
  for (const i of plans.keys()) {
    for (const check of targetChecks(plans, tgts, i)) await conn.run(`insert into errs ${check.rejects}`);
  }
}
