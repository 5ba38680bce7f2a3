import type { Command } from "commander";
import { withDb } from "../../db/connection.ts";
import { UserError } from "../../errors.ts";
import { exportScores } from "../../scoring/index.ts";
import { dbPathOf, say } from "../context.ts";

export function registerExportScores(program: Command): void {
  program
    .command("export-scores")
    .description(
      "write the latest scores as a CSV for a CRM or a spreadsheet (lead id, score, fit, engagement, grade, stage, reasons)",
    )
    .requiredOption("--out <file>", "the CSV file to write")
    .option("--definition-version <version>", "scores of this definition version (default: the latest run)")
    .option("--run <id>", "scores of this scoring run")
    .option(
      "--no-bom",
      "leave out the UTF-8 byte-order mark (Excel needs it to read accents; some tools dislike it)",
    )
    .action(
      async (opts: { out: string; definitionVersion?: string; run?: string; bom: boolean }, cmd: Command) => {
        const runId = opts.run === undefined ? undefined : Number(opts.run);
        if (runId !== undefined && !Number.isInteger(runId))
          throw new UserError(`--run: expected a run number, got ${opts.run}`);
        await withDb(
          dbPathOf(cmd),
          async (db) => {
            const r = await exportScores(db.conn, {
              out: opts.out,
              runId,
              version: opts.definitionVersion,
              bom: opts.bom,
            });
            say(
              `Wrote ${r.rows.toLocaleString("en-US")} scores (version ${r.version}, run ${r.runId}${r.asOf ? `, as of ${r.asOf}` : ""}) to ${r.file}`,
            );
          },
          { readOnly: true },
        );
      },
    );
}
