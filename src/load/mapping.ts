import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UserError } from "../errors.ts";
import { CANONICAL_TABLES } from "./tables.ts";

/**
 * A mapping says how one source file becomes rows of one or more canonical tables.
 * The format is documented in docs/mapping.md; presets in ./presets are mappings too.
 */

const sourceNames = z.union(
  [z.string(), z.array(z.string()).min(1, "expected at least one source column name")],
  {
    error: "expected a source column name or a list of names",
  },
);
const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: "expected text, a number or true/false",
});

const columnSpec = z
  .object({
    /** Source header(s) to read, first one present wins; matched case-insensitively. */
    from: sourceNames.optional(),
    /** A constant for every row instead of a source column. */
    value: scalar.optional(),
    /** strptime formats tried in order for timestamp/date columns (ISO 8601 is always tried last). */
    formats: z.array(z.string()).optional(),
    /** Raw value (case-insensitive, trimmed) -> canonical value; null makes it missing. */
    map: z
      .record(
        z.string(),
        z.union([z.string(), z.null()], {
          error:
            "map values are text or null (null makes the value missing); a converted flag (is_converted) reads yes/no/true/false/1/0 as they are and needs no map",
        }),
      )
      .optional(),
    /** With `map`: the value for any raw value the map does not list (null: missing). Without it, such values stay as written. */
    other: z.union([z.string(), z.null()], { error: "expected text, or null for missing" }).optional(),
    /** Extra values read as missing in this column, on top of the mapping-wide list. */
    missing: z.array(z.string()).optional(),
    /** Thousands separator to strip from numbers, e.g. "," in 1,234.50. */
    thousands: z.string().max(1, 'expected a single character, such as ","').optional(),
    /** Decimal separator when it is not ".", e.g. "," in 1234,50. */
    decimal: z.string().max(1, 'expected a single character, such as ","').optional(),
    /** Multiply a number by this factor, e.g. 1000000 for revenue given in millions. */
    multiply: z.number().optional(),
    /** Derive the value instead of reading it: the kind of the email's domain. */
    derive: z.enum(["email_domain_kind"]).optional(),
    /** Value used when the source value is missing (after the missing-value lists). */
    default: scalar.optional(),
    /** Cost periods given as a month ("2024-03") or a day fill period_start and period_end from one column. */
    period: z.enum(["start", "end"]).optional(),
  })
  .strict();

export type ColumnSpec = z.infer<typeof columnSpec>;

const targetSpec = z
  .object({
    table: z.enum(CANONICAL_TABLES),
    columns: z.record(
      z.string(),
      z.union([sourceNames, columnSpec], {
        error: "expected a source column name, a list of names, or { from: ..., ... } (see docs/mapping.md)",
      }),
    ),
    /**
     * Lifecycle-date columns unpivoted into lead_stage_changes: stage -> header(s) holding the date the lead
     * entered it. Only for table lead_stage_changes; `columns` then gives lead_id.
     */
    stages: z.record(z.string(), sourceNames).optional(),
    /** Source columns kept as extra columns of this table: "all" (every unmapped one), a list, or none. */
    keep: z
      .union([z.literal("all"), z.literal("none"), z.array(z.string())], {
        error: 'expected "all", "none" or a list of source column names',
      })
      .optional(),
  })
  .strict();

export type TargetSpec = z.infer<typeof targetSpec>;

const mappingSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    format: z.enum(["csv", "parquet", "ndjson"]).optional(),
    csv: z
      .object({
        delimiter: z.string().optional(),
        encoding: z.enum(["auto", "utf-8", "latin-1"]).optional(),
        skip: z.number().int().min(0).optional(),
        quote: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Values read as missing in every column (case-insensitive, after trimming). "" always is. */
    missing: z.array(z.string()).optional(),
    /** When false (the default for user mappings), a mapped source column absent from the file refuses the file. */
    allow_missing_columns: z.boolean().optional(),
    targets: z.array(targetSpec).min(1, "expected at least one target table"),
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema> & { name: string; origin: string };

const PRESET_DIR = join(dirname(fileURLToPath(import.meta.url)), "presets");

export function listPresets(): { name: string; description: string }[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const m = loadMappingFile(join(PRESET_DIR, f));
      return { name: m.name, description: m.description ?? "" };
    });
}

export function loadPreset(name: string): Mapping {
  const file = join(PRESET_DIR, `${name}.yaml`);
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) {
    const names = listPresets().map((p) => p.name);
    throw new UserError(`unknown preset '${name}'; the presets are: ${names.join(", ")}`);
  }
  return loadMappingFile(file);
}

export function loadMappingFile(file: string): Mapping {
  if (!existsSync(file)) throw new UserError("mapping file not found", { file });
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new UserError(`not valid YAML: ${(e as Error).message.split("\n")[0]}`, { file, row: line });
  }
  return parseMapping(doc, file);
}

export function parseMapping(doc: unknown, origin: string): Mapping {
  const parsed = mappingSchema.safeParse(doc);
  if (!parsed.success) {
    const lines = parsed.error.issues.flatMap((i) => describeIssue(i, doc, []));
    throw new UserError(`mapping is not valid:\n${lines.join("\n")}`, { file: origin });
  }
  const m = parsed.data;
  for (const [i, t] of m.targets.entries()) {
    if (t.stages && t.table !== "lead_stage_changes") {
      throw new UserError(`targets.${i}.stages is only allowed for table lead_stage_changes`, {
        file: origin,
      });
    }
  }
  return { ...m, name: m.name ?? basename(origin).replace(/\.ya?ml$/, ""), origin };
}

/**
 * "  at targets.0.columns.is_converted.map.Yes: map values are text or null ...; got true": one line per
 * problem. A union whose input is an object reports the problems inside it, not the union itself.
 */
function describeIssue(issue: z.core.$ZodIssue, doc: unknown, base: PropertyKey[]): string[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union") {
    const value = valueAt(doc, path);
    const inner = issue.errors.find((branch) => !branch.every(isTypeMismatch));
    if (value !== null && typeof value === "object" && inner)
      return inner.flatMap((e) => describeIssue(e, doc, path));
    return [`  at ${formatIssuePath(path)}: ${issue.message}; got ${JSON.stringify(value)}`];
  }
  if (issue.code === "invalid_type") {
    const value = valueAt(doc, path);
    const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
    const what =
      value === undefined
        ? `is required (${expected})`
        : `expected ${expected}, got ${JSON.stringify(value)}`;
    return [`  at ${formatIssuePath(path)}: ${what}`];
  }
  if (issue.code === "invalid_value") {
    const options = issue.values.map((v) => JSON.stringify(v)).join(", ");
    const expected = issue.values.length === 1 ? options : `one of ${options}`;
    return [`  at ${formatIssuePath(path)}: expected ${expected}, got ${JSON.stringify(valueAt(doc, path))}`];
  }
  return [`  at ${formatIssuePath(path)}: ${issue.message}`];
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of names to values",
  record: "a mapping of names to values",
};

/** The input is not of the schema's type at all (so that branch of a union is not what was meant). */
function isTypeMismatch(e: z.core.$ZodIssue): boolean {
  if (e.path.length > 0) return false;
  if (e.code === "invalid_type" || e.code === "invalid_value") return true;
  return e.code === "invalid_union" && e.errors.every((branch) => branch.every(isTypeMismatch));
}

function formatIssuePath(path: PropertyKey[]): string {
  return path.map(String).join(".") || "(top)";
}

function valueAt(doc: unknown, path: PropertyKey[]): unknown {
  let v = doc;
  for (const k of path)
    v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A column entry in its long form. */
export function columnEntry(entry: TargetSpec["columns"][string]): ColumnSpec {
  return typeof entry === "string" || Array.isArray(entry) ? { from: entry } : entry;
}

export function asList(names: string | string[] | undefined): string[] {
  return names === undefined ? [] : Array.isArray(names) ? names : [names];
}
