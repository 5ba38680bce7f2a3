import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { migrate } from "./migrations.ts";

/** Where the database lives: --db, then LEADCAL_DB, then data/leadcal.duckdb under the working directory. */
export function resolveDbPath(flag?: string): string {
  return resolve(flag ?? process.env.LEADCAL_DB ?? "data/leadcal.duckdb");
}

export interface Db {
  path: string;
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

/**
 * Opens (creating if needed) the leadcal database and brings its schema up to date.
 * A database held by another process is a user-facing condition, not a crash.
 */
export async function openDb(
  path: string,
  opts: { readOnly?: boolean; migrate?: boolean } = {},
): Promise<Db> {
  if (path !== ":memory:") {
    if (opts.readOnly && !existsSync(path)) {
      throw new UserError(
        `no leadcal database at ${path}: run \`npx leadcal demo\` or \`npx leadcal load\` first`,
      );
    }
    mkdirSync(dirname(path), { recursive: true });
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, opts.readOnly ? { access_mode: "READ_ONLY" } : {});
  } catch (e) {
    throw translateOpenError(path, e);
  }
  const conn = await instance.connect();
  if (opts.migrate !== false && !opts.readOnly) await migrate(conn);
  return {
    path,
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

function translateOpenError(path: string, e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Could not set lock|Conflicting lock/i.test(msg)) {
    const pid = /PID (\d+)/.exec(msg)?.[1];
    return new UserError(
      `the database ${path} is in use by another process${pid ? ` (PID ${pid})` : ""}; ` +
        "wait for it to finish (a load or a site build) and try again",
      { exitCode: 3 },
    );
  }
  if (/not a valid DuckDB database|Unable to open database/i.test(msg)) {
    return new UserError(`${path} is not a DuckDB database leadcal can open: ${firstLine(msg)}`);
  }
  return e instanceof Error ? e : new Error(msg);
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

/** Runs `fn` with a database that is closed afterwards, whatever happens. */
export async function withDb<T>(
  path: string,
  fn: (db: Db) => Promise<T>,
  opts: { readOnly?: boolean } = {},
): Promise<T> {
  const db = await openDb(path, opts);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}
