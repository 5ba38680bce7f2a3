import {
  CANONICAL_TABLES,
  type CanonicalTable,
  DEAL_OUTCOMES,
  EMAIL_DOMAIN_KINDS,
  PARTIES,
  STAGES,
  TEAMS,
  TOUCH_KINDS,
} from "../vocabulary.ts";

export { CANONICAL_TABLES, type CanonicalTable };

/**
 * What the loader knows about each canonical table: its key (for upserts and duplicate checks),
 * the columns a row cannot do without, and the values some columns accept.
 * Column types come from the database itself (information_schema), so migrations stay the one truth.
 */
export interface TableSpec {
  name: CanonicalTable;
  /** Columns that identify a row. A row whose key is already present updates it (or is skipped). */
  key: string[];
  /** How a key collision with an existing row is handled: update the mapped columns, or keep the old row. */
  onConflict: "update" | "ignore";
  /** Columns that must be present (after mapping) for a row to load. */
  required: string[];
  /** Columns whose values must come from a closed list (after the mapping's value map). */
  accepted: Record<string, readonly string[]>;
  /** Numeric columns that may not be negative. */
  nonNegative: string[];
  /** A hashed id column filled from the natural key when the source has no id. */
  hashedId?: { column: string; from: string[] };
  /** Does each row name a lead that must exist in `leads`? */
  leadColumn?: string;
}

export const TABLES: Record<CanonicalTable, TableSpec> = {
  leads: {
    name: "leads",
    key: ["lead_id"],
    onConflict: "update",
    required: ["lead_id"],
    accepted: { email_domain_kind: EMAIL_DOMAIN_KINDS, lifecycle_stage: STAGES },
    nonNegative: ["employees", "annual_revenue"],
  },
  lead_stage_changes: {
    name: "lead_stage_changes",
    key: ["lead_id", "stage", "entered_at"],
    onConflict: "ignore",
    required: ["lead_id", "stage"],
    accepted: { stage: STAGES },
    nonNegative: [],
    leadColumn: "lead_id",
  },
  activities: {
    name: "activities",
    key: ["activity_id"],
    onConflict: "ignore",
    required: ["lead_id", "occurred_at", "activity_type"],
    accepted: { party: PARTIES },
    nonNegative: [],
    hashedId: { column: "activity_id", from: ["lead_id", "occurred_at", "activity_type", "detail"] },
    leadColumn: "lead_id",
  },
  sales_touches: {
    name: "sales_touches",
    key: ["touch_id"],
    onConflict: "ignore",
    required: ["lead_id", "occurred_at", "kind"],
    accepted: { kind: TOUCH_KINDS },
    nonNegative: [],
    hashedId: { column: "touch_id", from: ["lead_id", "occurred_at", "kind", "rep"] },
    leadColumn: "lead_id",
  },
  deals: {
    name: "deals",
    key: ["deal_id"],
    onConflict: "update",
    required: ["deal_id", "outcome"],
    accepted: { outcome: DEAL_OUTCOMES },
    nonNegative: ["amount"],
    leadColumn: "lead_id",
  },
  costs: {
    name: "costs",
    key: ["period_start", "period_end", "channel", "team"],
    onConflict: "update",
    required: ["period_start", "period_end", "channel", "team", "amount"],
    accepted: { team: TEAMS },
    nonNegative: ["amount"],
  },
  accounts: {
    name: "accounts",
    key: ["account_id"],
    onConflict: "update",
    required: ["account_id"],
    accepted: {},
    nonNegative: ["employees", "annual_revenue"],
  },
};

/** Columns the loader fills itself; a mapping may not set them. */
export const SYSTEM_COLUMNS = ["batch_id"] as const;
