import type { Command } from "commander";
import { ALL_CHECKS, runAllChecks } from "../../checks.ts";
import { printCheckFailures } from "../../db/checks.ts";
import { withDb } from "../../db/connection.ts";
import { DATA_PAGES } from "../../report/cache.ts";
import { dbPathOf, exitWith, say } from "../context.ts";
import { refreshReports } from "../refresh.ts";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run the table checks: unique keys, accepted values, relationships, invariants")
    .action(async (_opts: unknown, cmd: Command) => {
      // The pages that read only the loaded tables are stored for the site while the tables are at hand.
      await withDb(dbPathOf(cmd), async (db) => {
        const failures = await runAllChecks(db.conn);
        say(`${ALL_CHECKS.length} checks, ${ALL_CHECKS.length - failures.length} pass`);
        await refreshReports(db, DATA_PAGES);
        if (failures.length > 0) {
          printCheckFailures(failures, say);
          exitWith(1);
        }
      });
    });
}
