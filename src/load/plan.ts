import { quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import {
  type CanonicalType,
  cleanedText,
  describeType,
  emailDomainKind,
  isOneOf,
  mappedText,
  normalisedWord,
  periodValue,
  typedValue,
} from "./columns.ts";
import { asList, columnEntry, type Mapping, type TargetSpec } from "./mapping.ts";
import { TABLES, type TableSpec } from "./tables.ts";

/** One canonical column a target fills, and the SQL that computes it from the staged text. */
export interface PlannedColumn {
  column: string;
  type: CanonicalType;
  /** Text expression over the staged row (after trimming, missing words and the value map). */
  text: string;
  /** The typed value, written over `text` referenced as the column t_<column>. */
  typed: string;
  sourceHeader: string | null;
  /** The date formats tried, for messages. */
  formats?: string[];
}

export interface TargetPlan {
  spec: TableSpec;
  target: TargetSpec;
  columns: PlannedColumn[];
  /** Rows per stage for lead_stage_changes targets built from lifecycle-date columns. */
  stageColumns: { stage: string; header: string }[];
  usedHeaders: Set<string>;
  /** Source headers kept as extra columns of this table (set once every target is planned). */
  extraHeaders: string[];
  /** True when the file has none of the lifecycle-date columns this target unpivots (and the mapping allows it). */
  skipped?: boolean;
}

/** Finds a header case-insensitively, ignoring surrounding spaces, a BOM and stray quotes. */
export function headerLookup(headers: string[]): (name: string) => string | undefined {
  const norm = (h: string) =>
    h
      .replace(/^\uFEFF/, "")
      .trim()
      .replace(/^"+|"+$/g, "")
      .trim()
      .toLowerCase();
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(norm(h))) byNorm.set(norm(h), h);
  return (name) => byNorm.get(norm(name));
}

export function planTarget(
  mapping: Mapping,
  target: TargetSpec,
  headers: string[],
  types: Map<string, CanonicalType>,
  file: string,
): TargetPlan {
  const spec = TABLES[target.table];
  const find = headerLookup(headers);
  const usedHeaders = new Set<string>();
  const columns: PlannedColumn[] = [];
  const strict = mapping.allow_missing_columns !== true;

  for (const [column, entry] of Object.entries(target.columns)) {
    const type = types.get(column);
    if (!type) {
      throw new UserError(
        `the mapping names column '${column}', which table ${target.table} does not have ` +
          `(its columns: ${[...types.keys()].join(", ")})`,
        { file: mapping.origin },
      );
    }
    const c = columnEntry(entry);
    const names = asList(c.from);
    const header = names.map(find).find((h) => h !== undefined);
    let text: string;
    if (c.value !== undefined) {
      text = qs(String(c.value));
    } else if (header !== undefined) {
      usedHeaders.add(header);
      const cleaned = cleanedText(`${qi(header)}::varchar`, [
        ...(mapping.missing ?? []),
        ...(c.missing ?? []),
      ]);
      // A derived column carries the cleaned source text; the typed layer derives from it (once per row).
      text = c.derive ? cleaned : mappedText(cleaned, c.map, c.other);
    } else if (names.length === 0) {
      throw new UserError(`column '${column}' of ${target.table} needs 'from' or 'value'`, {
        file: mapping.origin,
      });
    } else if (spec.required.includes(column) && c.default === undefined) {
      throw new UserError(
        `required column ${names.map((n) => `'${n}'`).join(" or ")} (for ${target.table}.${column}) not found; ` +
          `the file's columns are: ${describeHeaders(headers)}`,
        { file },
      );
    } else if (strict) {
      throw new UserError(
        `the mapping reads column ${names.map((n) => `'${n}'`).join(" or ")} (for ${target.table}.${column}), ` +
          `which the file does not have; its columns are: ${describeHeaders(headers)}`,
        { file, column: names[0] },
      );
    } else {
      continue;
    }
    if (c.default !== undefined) text = `coalesce(${text}, ${qs(String(c.default))})`;
    const t = `t_${column}`;
    // Derived and normalised values are computed over the cleaned column, so its cleaning runs once.
    let word = qi(t);
    if (c.derive === "email_domain_kind") word = emailDomainKind(word);
    else if (spec.accepted[column] || column === "activity_type")
      word = normalisedWord(word, spec.accepted[column]);
    let typed = typedValue(word, type, c);
    if (c.period) typed = periodValue(qi(t), typed, c.period);
    columns.push({ column, type, text, typed, sourceHeader: header ?? null, formats: c.formats });
  }

  const stageColumns: { stage: string; header: string }[] = [];
  for (const [stage, names] of Object.entries(target.stages ?? {})) {
    const header = asList(names)
      .map(find)
      .find((h) => h !== undefined);
    if (header === undefined) continue;
    usedHeaders.add(header);
    stageColumns.push({ stage, header });
  }
  if (target.stages && stageColumns.length === 0 && !columns.some((c) => c.column === "stage")) {
    if (!strict)
      return { spec, target, columns: [], stageColumns, usedHeaders, extraHeaders: [], skipped: true };
    throw new UserError(
      `none of the lifecycle-date columns the mapping lists for ${target.table} is in the file; ` +
        `its columns are: ${describeHeaders(headers)}`,
      { file },
    );
  }
  if (spec.hashedId && !columns.some((c) => c.column === spec.hashedId?.column)) {
    // filled from the natural key in the typed layer
  }
  for (const req of spec.required) {
    const has = columns.some((c) => c.column === req) || (req === "stage" && stageColumns.length > 0);
    if (!has) {
      throw new UserError(`the mapping gives no value for required column ${target.table}.${req}`, {
        file: mapping.origin,
      });
    }
  }
  return { spec, target, columns, stageColumns, usedHeaders, extraHeaders: [] };
}

function describeHeaders(headers: string[]): string {
  const shown = headers.slice(0, 25).map((h) => `'${h}'`);
  let s = shown.join(", ") + (headers.length > 25 ? `, ... (${headers.length} in all)` : "");
  if (headers.length === 1 && /[;\t|,]/.test(headers[0] ?? "")) {
    s += ". The whole header landed in one column: is the delimiter right? (csv: { delimiter: ... })";
  }
  return s;
}

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
