import type { DuckDBConnection } from "@duckdb/node-api";
import { DEAL_OUTCOMES, EMAIL_DOMAIN_KINDS, PARTIES, STAGES, TEAMS, TOUCH_KINDS } from "../vocabulary.ts";

/**
 * The table checks (dbt-style): keys unique and not null, accepted values, relationships, invariants.
 * Each check is a query returning the failing rows as (example) text; zero rows means it passes.
 * Loads refuse rows that break row-level rules, so a failure here is a cross-table or cross-batch finding.
 */
export interface Check {
  name: string;
  table: string;
  kind: "unique" | "not_null" | "accepted_values" | "relationship" | "invariant";
  /** Select one text column `example` per failing row. */
  failing: string;
}

export interface CheckFailure {
  check: Check;
  count: number;
  examples: string[];
}

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

function uniqueKey(table: string, cols: string[]): Check {
  const key = cols.join(", ");
  return {
    name: `${table} key (${key}) is unique`,
    table,
    kind: "unique",
    failing: `select concat_ws(' / ', ${cols.map((c) => `${c}::varchar`).join(", ")}) || ' appears ' || count(*) || ' times' as example
              from ${table} group by ${key} having count(*) > 1`,
  };
}

function notNull(table: string, col: string): Check {
  return {
    name: `${table}.${col} is not null`,
    table,
    kind: "not_null",
    failing: `select 'batch ' || batch_id as example from ${table} where ${col} is null`,
  };
}

function accepted(table: string, col: string, values: readonly string[]): Check {
  return {
    name: `${table}.${col} in (${values.join(", ")})`,
    table,
    kind: "accepted_values",
    failing: `select ${col} as example from ${table} where ${col} is not null and ${col} not in (${inList(values)})`,
  };
}

function toLeads(table: string): Check {
  return {
    name: `${table}.lead_id refers to a lead`,
    table,
    kind: "relationship",
    failing: `select t.lead_id as example from ${table} t anti join leads l on l.lead_id = t.lead_id where t.lead_id is not null`,
  };
}

/** Checks of the canonical tables; src/checks.ts adds those of the modules that own other tables. */
export const TABLE_CHECKS: Check[] = [
  uniqueKey("leads", ["lead_id"]),
  notNull("leads", "lead_id"),
  accepted("leads", "email_domain_kind", EMAIL_DOMAIN_KINDS),
  accepted("leads", "lifecycle_stage", STAGES),
  uniqueKey("lead_stage_changes", ["lead_id", "stage", "entered_at"]),
  accepted("lead_stage_changes", "stage", STAGES),
  toLeads("lead_stage_changes"),
  uniqueKey("activities", ["activity_id"]),
  accepted("activities", "party", PARTIES),
  toLeads("activities"),
  uniqueKey("sales_touches", ["touch_id"]),
  accepted("sales_touches", "kind", TOUCH_KINDS),
  toLeads("sales_touches"),
  uniqueKey("deals", ["deal_id"]),
  accepted("deals", "outcome", DEAL_OUTCOMES),
  toLeads("deals"),
  uniqueKey("costs", ["period_start", "period_end", "channel", "team"]),
  accepted("costs", "team", TEAMS),
  uniqueKey("accounts", ["account_id"]),
  {
    name: "deals.closed_at >= deals.created_at",
    table: "deals",
    kind: "invariant",
    failing: `select deal_id || ': closed ' || closed_at || ', created ' || created_at as example from deals where closed_at < created_at`,
  },
  {
    name: "won and lost deals have a close date",
    table: "deals",
    kind: "invariant",
    failing: `select deal_id || ' (' || outcome || ')' as example from deals where outcome in ('won', 'lost') and closed_at is null`,
  },
  {
    name: "deals close on or after their lead was created",
    table: "deals",
    kind: "invariant",
    failing: `select d.deal_id || ': closed ' || d.closed_at || ', lead created ' || l.created_at as example
              from deals d join leads l using (lead_id) where d.closed_at < l.created_at`,
  },
  {
    name: "stage changes happen on or after the lead was created",
    table: "lead_stage_changes",
    kind: "invariant",
    failing: `select s.lead_id || ': ' || s.stage || ' at ' || s.entered_at || ', created ' || l.created_at as example
              from lead_stage_changes s join leads l using (lead_id) where s.entered_at < l.created_at - interval 1 day`,
  },
  {
    name: "activities happen on or after the lead was created (within a day)",
    table: "activities",
    kind: "invariant",
    failing: `select count(*)::varchar || ' activities of lead ' || a.lead_id as example
              from activities a join leads l using (lead_id) where a.occurred_at < l.created_at - interval 1 day
              group by a.lead_id`,
  },
  {
    name: "cost periods end on or after they start",
    table: "costs",
    kind: "invariant",
    failing: `select period_start || '..' || period_end || ' ' || channel as example from costs where period_end < period_start`,
  },
];

/** Runs every check; returns the failing ones with a count and up to three examples each. */
export async function runChecks(conn: DuckDBConnection, checks: readonly Check[]): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  for (const check of checks) {
    const rows = (
      await conn.runAndReadAll(
        `with f as (${check.failing}) select (select count(*) from f)::bigint as n, list(example)[1:3] as ex from (select example::varchar as example from f limit 3)`,
      )
    ).getRowObjectsJS()[0] as { n: bigint; ex: string[] | null } | undefined;
    const count = Number(rows?.n ?? 0);
    if (count > 0) failures.push({ check, count, examples: (rows?.ex ?? []).map(String) });
  }
  return failures;
}

export function printCheckFailures(failures: CheckFailure[], print: (line: string) => void): void {
  print(`checks: ${failures.length} failing`);
  for (const f of failures) {
    print(`  FAIL ${f.check.name}: ${f.count} row(s), e.g. ${f.examples.join("; ")}`);
  }
}
