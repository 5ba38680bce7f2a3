import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * docs/mapping.md documents every table the migrations create, column by column with its type:
 * this test fails when a migration adds, drops or retypes a column and the page is not updated.
 */
const ROOT = join(import.meta.dirname, "../..");
const MIGRATIONS = join(ROOT, "src/db/migrations");

type Columns = Map<string, Map<string, string>>;

/** Tables and their columns from `create table name (...)` blocks (constraint lines skipped). */
function fromMigrations(): Columns {
  const tables: Columns = new Map();
  for (const f of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const sql = readFileSync(join(MIGRATIONS, f), "utf8").replace(/--[^\n]*/g, "");
    for (const m of sql.matchAll(/create table (\w+) \(([\s\S]*?)\n\);/g)) {
      const cols = new Map<string, string>();
      for (const line of (m[2] ?? "").split("\n")) {
        const c = /^\s*(\w+)\s+([a-z]+(?:\[\])?)/.exec(line);
        if (c && c[1] !== "primary") cols.set(c[1] as string, c[2] as string);
      }
      tables.set(m[1] as string, cols);
    }
  }
  return tables;
}

/** Tables and their columns from the "### table" sections of docs/mapping.md. */
function fromDocs(): Columns {
  const doc = readFileSync(join(ROOT, "docs/mapping.md"), "utf8");
  const section = doc.split("## The tables and their columns")[1]?.split(/\n## /)[0] ?? "";
  const tables: Columns = new Map();
  for (const part of section.split("\n### ").slice(1)) {
    const cols = new Map<string, string>();
    for (const row of part.matchAll(/^\| (\w+) \| ([a-z]+(?:\[\])?) \| (.+) \| (.+) \|$/gm)) {
      if (row[1] !== "column") cols.set(row[1] as string, row[2] as string);
    }
    tables.set(part.split("\n")[0]?.trim() ?? "", cols);
  }
  return tables;
}

describe("docs/mapping.md and the migrations", () => {
  it("document the same tables, with the same columns and types, meaning and accepted values", () => {
    const migrations = fromMigrations();
    const docs = fromDocs();
    expect([...migrations.keys()]).toEqual(
      expect.arrayContaining(["leads", "lead_scores", "score_runs", "model_versions"]),
    );
    expect([...docs.keys()].sort()).toEqual([...migrations.keys()].sort());
    for (const [table, cols] of migrations) {
      expect(Object.fromEntries(docs.get(table) ?? []), table).toEqual(Object.fromEntries(cols));
    }
  });
});
