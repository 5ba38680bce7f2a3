import { resolveDbPath, withDb } from "../db/connection.ts";
import { isUserError } from "../errors.ts";
import { loadSettings, type ReportSettings } from "../settings.ts";

/** A report query: a read-only connection and the settings in, a small JSON-able object out. */
export type ReportQuery<T> = (
  conn: import("@duckdb/node-api").DuckDBConnection,
  settings: ReportSettings,
) => Promise<T>;

/**
 * The body of every data loader in reports/data: open the database named by LEADCAL_DB read-only,
 * run one report query, print its result as JSON on stdout. Anything else goes to stderr, and a
 * failure exits non-zero so the site build fails instead of publishing a page without data.
 */
export async function runLoader<T>(query: ReportQuery<T>): Promise<void> {
  try {
    const settings = loadSettings();
    const result = await withDb(resolveDbPath(), (db) => query(db.conn, settings), { readOnly: true });
    process.stdout.write(JSON.stringify(result));
  } catch (e) {
    process.stderr.write(
      `leadcal report loader: ${isUserError(e) ? e.message : ((e as Error).stack ?? e)}\n`,
    );
    process.exitCode = 1;
  }
}
