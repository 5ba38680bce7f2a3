import type { Command } from "commander";
import { formatModels, listModels } from "../../calibrate/index.ts";
import { withDb } from "../../db/connection.ts";
import { dbPathOf, say } from "../context.ts";

export function registerModels(program: Command): void {
  program
    .command("models")
    .description(
      "list the definition versions in the model registry, with status, approvals and holdout metrics",
    )
    .option("--json", "print the list as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withDb(dbPathOf(cmd), async (db) => {
        const models = await listModels(db.conn);
        if (opts.json) {
          say(
            JSON.stringify(
              models.map(({ report, ...m }) => ({ ...m, holdout_auc: report?.challenger.auc ?? null })),
              null,
              2,
            ),
          );
          return;
        }
        for (const line of formatModels(models)) say(line);
      });
    });
}
