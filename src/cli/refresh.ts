import type { Db } from "../db/connection.ts";
import { type PageName, refreshPages } from "../report/cache.ts";
import { loadSettings } from "../settings.ts";
import { note } from "./context.ts";

/**
 * Stores the site's pages whose inputs the command just changed (src/report/cache.ts), so that
 * `leadcal build` reads them instead of computing them; says which on stderr.
 */
export async function refreshReports(db: Db, pages: PageName[]): Promise<void> {
  const done = await refreshPages(db.conn, pages, loadSettings());
  if (done.length)
    note(`stored the site's ${done.join(", ")} page${done.length === 1 ? "" : "s"} for leadcal build`);
}
