import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with leadcal: `NNN_name.sql` files, applied in order of NNN. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: readFileSync(join(dir, f), "utf8"),
    }));
}

/** Applies every migration the database has not seen yet, each in its own transaction. */
export async function migrate(conn: DuckDBConnection, migrations = listMigrations()): Promise<number[]> {
  await conn.run(
    "create table if not exists schema_migrations (version integer primary key, name varchar not null, applied_at timestamp not null)",
  );
  const done = new Set(
    (await conn.runAndReadAll("select version from schema_migrations"))
      .getRowObjectsJS()
      .map((r) => Number(r.version)),
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await conn.run("begin transaction");
    try {
      await conn.run(m.sql);
      const stmt = await conn.prepare("insert into schema_migrations values ($1, $2, now()::timestamp)");
      stmt.bindInteger(1, m.version);
      stmt.bindVarchar(2, m.name);
      await stmt.run();
      await conn.run("commit");
      applied.push(m.version);
    } catch (e) {
      await conn.run("rollback");
      throw e;
    }
  }
  return applied;
}
