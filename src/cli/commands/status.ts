import type { Command } from "commander";
import { withDb } from "../../db/connection.ts";
import { formatStatus, readStatus } from "../../db/status.ts";
import { dbPathOf, say } from "../context.ts";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("show what is loaded: rows and date range per table, batches, rejected rows, freshness")
    .option("--all", "list every batch, not just the last ten")
    .option("--json", "print the status as JSON")
    .action(async (opts: { all?: boolean; json?: boolean }, cmd: Command) => {
      const path = dbPathOf(cmd);
      await withDb(
        path,
        async (db) => {
          const s = await readStatus(db.conn);
          if (opts.json) say(JSON.stringify(s, null, 2));
          else {
            say(`Database: ${path}`);
            say();
            for (const line of formatStatus(s, { allBatches: opts.all })) say(line);
          }
        },
        { readOnly: true },
      );
    });
}
