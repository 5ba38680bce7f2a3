import type { Db } from "../db/connection.ts";
import { type PageName, refreshPages } from "../report/cache.ts";
import { forgetKeptScores } from "../scoring/kept-scores.ts";
import { loadSettings } from "../settings.ts";
import { note } from "./context.ts";
import { progressMode } from "./progress.ts";

/**
 * Stores the site's pages whose inputs the command just changed (src/report/cache.ts), so that
 * `leadcal build` reads them instead of computing them; says which on stderr where progress is shown
 * (a terminal, or LEADCAL_PROGRESS=1), like the steps' progress: piped, the command prints only its output.
 */
export async function refreshReports(db: Db, pages: PageName[]): Promise<void> {
  const done = await refreshPages(db.conn, pages, loadSettings());
  // The scores `score` kept for the Definition page's check have served (src/scoring/kept-scores.ts).
  await forgetKeptScores(db.conn);
  if (done.length && progressMode(Boolean(process.stderr.isTTY), process.env.LEADCAL_PROGRESS) !== "off")
    note(`stored the site's ${done.join(", ")} page${done.length === 1 ? "" : "s"} for leadcal build`);
}
