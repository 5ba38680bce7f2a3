import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, tmpdir, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { UserError } from "../errors.ts";
import { migrate } from "./migrations.ts";
import {
  type DbResources,
  dbResources,
  duckdbOptions,
  type Machine,
  parseCgroupMemory,
  type ResourceEnv,
} from "./resources.ts";

/** Where the database lives: --db, then LEADCAL_DB, then data/leadcal.duckdb under the working directory. */
export function resolveDbPath(flag?: string): string {
  return resolve(flag ?? process.env.LEADCAL_DB ?? "data/leadcal.duckdb");
}

export interface Db {
  path: string;
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  /** The memory limit, threads and temporary folder DuckDB was opened with, and where each came from. */
  resources: DbResources;
  close(): void;
}

/**
 * Opens (creating if needed) the leadcal database and brings its schema up to date, with DuckDB's
 * memory limit, threads and temporary folder set from this machine and `env` (./resources.ts).
 * A database held by another process is a user-facing condition, not a crash.
 */
export async function openDb(
  path: string,
  opts: { readOnly?: boolean; migrate?: boolean; env?: ResourceEnv } = {},
): Promise<Db> {
  const resources = dbResources(path, readMachine(), opts.env ?? process.env);
  if (resources.tempBase !== null) ensureTempBase(resources.tempBase);
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
    instance = await DuckDBInstance.create(path, {
      ...duckdbOptions(resources),
      ...(opts.readOnly ? { access_mode: "READ_ONLY" } : {}),
    });
  } catch (e) {
    throw translateOpenError(path, e);
  }
  const conn = await instance.connect();
  if (opts.migrate !== false && !opts.readOnly) await migrate(conn);
  return {
    path,
    instance,
    conn,
    resources,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** DuckDB instances opened by this process so far: each gets a temporary folder of its own. */
let instances = 0;

/** This machine as ./resources.ts needs it. */
export function readMachine(): Machine {
  instances++;
  return {
    totalMemory: totalmem(),
    cgroupMemory: cgroupMemory(),
    cores: availableParallelism(),
    tmpdir: tmpdir(),
    instance: `${process.pid}-${instances}`,
  };
}

/** The memory limit of the cgroup this process runs in: cgroup v2's file, else v1's; null without one. */
function cgroupMemory(): number | null {
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    try {
      return parseCgroupMemory(readFileSync(file, "utf8"));
    } catch {
      // not this cgroup version, or no cgroup at all
    }
  }
  return null;
}

/**
 * LEADCAL_TEMP_DIR must be a folder this process can write to, or one it can create (one level: its
 * parent must exist). Checked here, when the database opens, rather than found out by DuckDB when a
 * query first spills, perhaps an hour into a run.
 */
function ensureTempBase(base: string): void {
  const refuse = (why: string) =>
    new UserError(`LEADCAL_TEMP_DIR: ${base} ${why}: set it to a folder you can write to`);
  if (!existsSync(base)) {
    try {
      mkdirSync(base);
    } catch (e) {
      throw refuse(`does not exist and cannot be created (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  }
  if (!statSync(base).isDirectory()) throw refuse("is a file, not a folder");
  try {
    accessSync(base, constants.W_OK);
  } catch {
    throw refuse("cannot be written to");
  }
}

/** What DuckDB says it is using: the settings as applied, in DuckDB's words ("16.4 GiB"). */
export async function appliedSettings(
  conn: DuckDBConnection,
): Promise<{ memoryLimit: string; threads: number; tempDirectory: string }> {
  const row = (
    await conn.runAndReadAll(
      `select current_setting('memory_limit') as memory_limit, current_setting('threads')::integer as threads,
              current_setting('temp_directory') as temp_directory`,
    )
  ).getRowObjectsJson()[0];
  return {
    memoryLimit: String(row?.memory_limit),
    threads: Number(row?.threads),
    tempDirectory: String(row?.temp_directory),
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
