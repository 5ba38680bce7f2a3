import type { Command } from "commander";
import { CHECKS, printCheckFailures, runChecks } from "../../db/checks.ts";
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
          const failures = await runChecks(db.conn);
          say(`${CHECKS.length} checks, ${CHECKS.length - failures.length} pass`);
          if (failures.length > 0) {
            printCheckFailures(failures, say);
            exitWith(1);
          }
        },
        { readOnly: true },
      );
    });
}
