import { quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import {
  type CanonicalType,
  cleanedText,
  emailDomainKind,
  mappedText,
  normalisedWord,
  periodValue,
  typedValue,
} from "./columns.ts";
import { asList, columnEntry, type Mapping, type TargetSpec } from "./mapping.ts";
import { CANONICAL_TABLES, type CanonicalTable, TABLES, type TableSpec } from "./tables.ts";

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

/**
 * Load order that satisfies relationships: accounts, then leads before anything that points at them (the
 * tables' own order after that).
 */
const TARGET_ORDER: CanonicalTable[] = ["accounts", ...CANONICAL_TABLES.filter((t) => t !== "accounts")];

export interface Planned {
  plans: TargetPlan[];
  skippedNotes: string[];
}

/** Plans every target of the mapping against the file's headers, in load order. */
export function planAll(
  mapping: Mapping,
  headers: string[],
  types: Map<CanonicalTable, Map<string, CanonicalType>>,
  shown: string,
): Planned {
  const targets = [...mapping.targets].sort(
    (a, b) => TARGET_ORDER.indexOf(a.table) - TARGET_ORDER.indexOf(b.table),
  );
  const plans: TargetPlan[] = [];
  const skippedNotes: string[] = [];
  for (const t of targets) {
    const plan = planTarget(mapping, t, headers, types.get(t.table) ?? new Map(), shown);
    if (plan.skipped) skippedNotes.push(`no lifecycle-date columns in this file: nothing for ${t.table}`);
    else plans.push(plan);
  }
  return { plans: withExtraHeaders(plans, headers), skippedNotes };
}

/** Which source headers each target keeps as extra columns (decided once every target has been planned). */
function withExtraHeaders(plans: TargetPlan[], headers: string[]): TargetPlan[] {
  const used = new Set(plans.flatMap((p) => [...p.usedHeaders]));
  return plans.map((plan) => {
    const keep = plan.target.keep ?? "none";
    if (keep === "none") return { ...plan, extraHeaders: [] };
    if (keep === "all") return { ...plan, extraHeaders: headers.filter((h) => !used.has(h)) };
    const find = headerLookup(headers);
    return { ...plan, extraHeaders: keep.map((k) => find(k)).filter((h): h is string => h !== undefined) };
  });
}
