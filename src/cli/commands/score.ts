import type { Command } from "commander";
import { withDb } from "../../db/connection.ts";
import { DEFAULT_DEFINITION, scoreLeads } from "../../scoring/index.ts";
import { dbPathOf, note, say } from "../context.ts";
import { withProgress } from "../progress.ts";
import { refreshReports } from "../refresh.ts";

export function registerScore(program: Command): void {
  program
    .command("score")
    .description("score every lead with a definition, as of a moment, and store the scores (lead_scores)")
    .option("--definition <file>", "the scoring definition", DEFAULT_DEFINITION)
    .option(
      "--as-of <when>",
      "latest (midnight after the newest timestamp in the data; the default), now, per-lead (each lead when it became an MQL), or a date/time such as 2025-06-30 or '2025-06-30 17:00' (UTC)",
      "latest",
    )
    .action(async (opts: { definition: string; asOf: string }, cmd: Command) => {
      const r = await withProgress("score", (p) =>
        withDb(dbPathOf(cmd), async (db) => {
          const scored = await scoreLeads(db, {
            definitionFile: opts.definition,
            asOf: opts.asOf,
            onProgress: p.onProgress,
          });
          await refreshReports(db, ["definition"]);
          return scored;
        }),
      );
      for (const n of r.notes) note(`note: ${n}`);
      const when = r.asOf ? `as of ${r.asOf} UTC (${r.asOfSource})` : `as of ${r.asOfSource}`;
      say(
        `Scored ${r.leadsScored.toLocaleString("en-US")} leads with ${r.definitionFile} version ${r.version}, ${when}.`,
      );
      const width = Math.max(...r.byStage.map((s) => s.stage.length));
      for (const s of r.byStage) {
        const share = r.leadsScored ? ` (${((100 * s.leads) / r.leadsScored).toFixed(1)}%)` : "";
        say(`  ${s.stage.padEnd(width)}  ${s.leads.toLocaleString("en-US").padStart(10)}${share}`);
      }
      say(
        `Run ${r.runId}, ${r.seconds.toFixed(1)} s. Export with: npx leadcal export-scores --out scores.csv`,
      );
    });
}
