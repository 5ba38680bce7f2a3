import { resolveDbPath, withDb } from "../db/connection.ts";
import { isUserError } from "../errors.ts";
import { loadSettings, type ReportSettings } from "../settings.ts";
import { cachedPage, PAGES, type PageName, pageFingerprint } from "./cache.ts";

/** A report query: a read-only connection and the settings in, a small JSON-able object out. */
export type ReportQuery<T> = (
  conn: import("@duckdb/node-api").DuckDBConnection,
  settings: ReportSettings,
) => Promise<T>;

/**
 * The body of every data loader in reports/data: open the database named by LEADCAL_DB read-only and
 * print the page's JSON on stdout: the JSON stored ahead (src/report/cache.ts) when its inputs have not
 * changed since, else the page's report query run now (and a note on stderr naming the command that
 * would have computed it ahead). Anything else goes to stderr, and a failure exits non-zero so the site
 * build fails instead of publishing a page without data.
 */
export async function runLoader(page: PageName): Promise<void> {
  try {
    const settings = loadSettings();
    const json = await withDb(resolveDbPath(), (db) => pageJson(db.conn, page, settings), { readOnly: true });
    process.stdout.write(json);
  } catch (e) {
    process.stderr.write(
      `leadcal report loader: ${isUserError(e) ? e.message : ((e as Error).stack ?? e)}\n`,
    );
    process.exitCode = 1;
  }
}

/** The page's JSON as its loader prints it: stored when fresh, computed otherwise. */
export async function pageJson(
  conn: import("@duckdb/node-api").DuckDBConnection,
  page: PageName,
  settings: ReportSettings,
): Promise<string> {
  const fp = await pageFingerprint(conn, page, settings);
  const stored = fp === null ? null : await cachedPage(conn, page, fp);
  if (stored !== null) return stored;
  process.stderr.write(
    `leadcal: the ${page} page was computed at build time (its inputs changed since it was stored); \`${PAGES[page].by}\` computes it ahead\n`,
  );
  return JSON.stringify(await PAGES[page].query(conn, settings));
}
