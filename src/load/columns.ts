import { quotedIdentifier as qi, quotedString as qs } from "@duckdb/node-api";
import type { ColumnSpec } from "./mapping.ts";

/**
 * SQL expressions that turn a raw text value into a canonical typed value, and say why when they cannot.
 * Everything here is pure string building over quoted identifiers and literals; no user text is spliced raw.
 */

export type CanonicalType = "VARCHAR" | "TIMESTAMP" | "DATE" | "INTEGER" | "BIGINT" | "DOUBLE" | "BOOLEAN";

/** Values no column should keep: what CRMs write for "no value". The empty string always counts. */
export const DEFAULT_MISSING = ["", "null", "n/a", "(no value)", "000000000000000AAA"];

const TRUE_WORDS = ["true", "t", "yes", "y", "1", "1.0"];
const FALSE_WORDS = ["false", "f", "no", "n", "0", "0.0"];

const PERSONAL_DOMAINS = [
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "yahoo.co.uk",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "msn.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "web.de",
  "mail.com",
  "yandex.ru",
  "qq.com",
  "163.com",
  "uol.com.br",
  "bol.com.br",
];

function list(values: readonly string[]): string {
  return values.map((v) => qs(v)).join(", ");
}

/**
 * `expr` is one of `values`. Not `expr IN (...)`: DuckDB plans an IN over five or more constants as a join,
 * and a join does not keep the file's row order, which the loader's row numbers rely on (measured: most rows
 * of a 3-million-row file landed out of order).
 */
export function isOneOf(expr: string, values: readonly string[]): string {
  return `list_contains([${list(values)}], ${expr})`;
}

/**
 * Trimmed text, with the mapping's missing-value words and the default ones read as NULL.
 * Written so the common value costs two cheap tests: trimming copies the string, so only values that start
 * or end with a space are trimmed, and only values short enough to be a missing word are lower-cased.
 */
export function cleanedText(raw: string, missing: readonly string[]): string {
  const words = [...new Set([...DEFAULT_MISSING, ...missing].map((w) => w.trim().toLowerCase()))];
  const lengths = words.map((w) => Buffer.byteLength(w));
  const longest = Math.max(...lengths);
  const trimmed = `trim(${raw})`;
  // Only a value with the byte length of some missing word can be one: a bit mask of those lengths rules
  // out most values with integer arithmetic before any lower-casing. (Lengths past 63 skip the mask.)
  const lengthCheck =
    longest < 64
      ? ` and ((1::ubigint << strlen(${raw})::ubigint) & ${lengths.reduce((m, n) => m | (1n << BigInt(n)), 0n)}::ubigint) <> 0`
      : "";
  return `(case when starts_with(${raw}, ' ') or ends_with(${raw}, ' ') then (case when ${isOneOf(`lower(${trimmed})`, words)} then null else ${trimmed} end) when strlen(${raw}) <= ${longest}${lengthCheck} and ${isOneOf(`lower(${raw})`, words)} then null else ${raw} end)`;
}

/** The mapping's value map applied to cleaned text (keys matched case-insensitively). */
export function mappedText(cleaned: string, map: ColumnSpec["map"], other?: string | null): string {
  if (!map || Object.keys(map).length === 0) return cleaned;
  const lit = (v: string | null) => (v === null ? "null" : qs(v));
  const whens = Object.entries(map).map(
    ([from, to]) => `when ${qs(from.trim().toLowerCase())} then ${lit(to)}`,
  );
  const otherwise =
    other === undefined ? cleaned : `(case when ${cleaned} is null then null else ${lit(other)} end)`;
  return `(case lower(${cleaned}) ${whens.join(" ")} else ${otherwise} end)`;
}

/** snake_case for values of closed lists: "Decision Maker" -> decision_maker. */
export function normalisedWord(text: string, accepted?: readonly string[]): string {
  // Values already in snake_case (nearly all, in practice) skip the rewrite, which would leave them as they are;
  // for a closed list, a value on the list is the cheapest such test.
  const listed = accepted ? `when ${isOneOf(text, accepted)} then ${text} ` : "";
  return `(case ${listed}when regexp_full_match(${text}, '[a-z0-9_.]*') then ${text} else lower(regexp_replace(trim(${text}), '[\\s\\-/]+', '_', 'g')) end)`;
}

/** Text to the column's type. NULL where the text does not parse; the caller turns that into a reject. */
export function typedValue(text: string, type: CanonicalType, spec: ColumnSpec): string {
  switch (type) {
    case "VARCHAR":
      return text;
    case "BOOLEAN":
      return `(case when ${isOneOf(`lower(${text})`, TRUE_WORDS)} then true when ${isOneOf(`lower(${text})`, FALSE_WORDS)} then false end)`;
    case "INTEGER":
    case "BIGINT":
    case "DOUBLE": {
      let t = text;
      if (spec.thousands) t = `replace(${t}, ${qs(spec.thousands)}, '')`;
      if (spec.decimal && spec.decimal !== ".") t = `replace(${t}, ${qs(spec.decimal)}, '.')`;
      // currency signs and spaces around numbers ("$ 1200", "1200 USD") are common in exports; the regular
      // expression runs only for values that do not read as a number as they are (coalesce is lazy)
      const bare = `regexp_replace(${t}, '^[\\s$€£]+|[\\s]*(USD|EUR|GBP|BRL)?$', '', 'g')`;
      let asDouble = `coalesce(try_cast(${t} as double), try_cast(${bare} as double))`;
      if (spec.multiply !== undefined) asDouble = `(${asDouble} * ${Number(spec.multiply)})`;
      return type === "DOUBLE" ? asDouble : `try_cast(round(${asDouble}) as ${type})`;
    }
    case "TIMESTAMP":
    case "DATE": {
      const tries = (spec.formats ?? []).map((f) => `try_strptime(${text}, ${qs(f)})`);
      tries.push(`try_cast(${text} as timestamp)`);
      // ISO 8601 with an offset or Z (Salesforce Data Loader, APIs): converted to UTC.
      tries.push(`try_cast(try_cast(${text} as timestamptz) at time zone 'UTC' as timestamp)`);
      const ts = `coalesce(${tries.join(", ")})`;
      return type === "DATE" ? `cast(${ts} as date)` : ts;
    }
  }
}

/** For cost periods: "2024-03" given as the period means the whole month. */
export function periodValue(text: string, typed: string, which: "start" | "end"): string {
  if (which === "start") return typed;
  return `(case when regexp_full_match(${text}, '\\d{4}-\\d{1,2}') then last_day(${typed}) else ${typed} end)`;
}

/** The kind of an email's domain: personal webmail, student (.edu/.ac.*), business, or unknown. */
export function emailDomainKind(emailText: string): string {
  const domain = `lower(split_part(${emailText}, '@', 2))`;
  return `(case
    when ${emailText} is null or position('@' in ${emailText}) = 0 then null
    when ${isOneOf(domain, PERSONAL_DOMAINS)} then 'personal'
    when (contains(${domain}, '.edu') or contains(${domain}, '.ac.') or starts_with(${domain}, 'student.'))
      and regexp_matches(${domain}, '(\\.edu$|\\.edu\\.|\\.ac\\.[a-z]+$|^student\\.)') then 'student'
    else 'business' end)`;
}

export function describeType(type: CanonicalType, spec: ColumnSpec): string {
  switch (type) {
    case "BOOLEAN":
      return "true/false (or yes/no, 1/0)";
    case "INTEGER":
    case "BIGINT":
      return "a whole number";
    case "DOUBLE":
      return "a number";
    case "TIMESTAMP":
    case "DATE":
      return `a ${type === "DATE" ? "date" : "date-time"} (${[...(spec.formats ?? []), "ISO 8601"].join(" or ")})`;
    default:
      return "text";
  }
}

export { qi };
