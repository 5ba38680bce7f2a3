import type { Command } from "commander";
import { ALL_CHECKS, runAllChecks } from "../../checks.ts";
import { printCheckFailures } from "../../db/checks.ts";
import { withDb } from "../../db/connection.ts";
import { dbPathOf, exitWith, say } from "../context.ts";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run the table checks: unique keys, accepted values, relationships, invariants")
    .action(async (_opts: unknown, cmd: Command) => {
      await withDb(
        dbPathOf(cmd),
        async (db) => {
          const failures = await runAllChecks(db.conn);
          say(`${ALL_CHECKS.length} checks, ${ALL_CHECKS.length - failures.length} pass`);
          if (failures.length > 0) {
            printCheckFailures(failures, say);
            exitWith(1);
          }
        },
        { readOnly: true },
      );
    });
}
