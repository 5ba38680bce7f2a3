import type { Command } from "commander";
import { appliedSettings, withDb } from "../../db/connection.ts";
import { formatResources } from "../../db/resources.ts";
import { formatStatus, readStatus } from "../../db/status.ts";
import { dbPathOf, say } from "../context.ts";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description(
      "show what is loaded: rows and date range per table, batches, rejected rows, freshness; and DuckDB's memory, threads and temporary folder",
    )
    .option("--all", "list every batch, not just the last ten")
    .option("--json", "print the status as JSON")
    .action(async (opts: { all?: boolean; json?: boolean }, cmd: Command) => {
      const path = dbPathOf(cmd);
      await withDb(
        path,
        async (db) => {
          const s = await readStatus(db.conn);
          const applied = await appliedSettings(db.conn);
          if (opts.json) {
            const r = db.resources;
            const duckdb = {
              ...applied,
              memoryFrom: r.memoryFrom,
              threadsFrom: r.threadsFrom,
              tempDirectoryFrom: r.tempDirectoryFrom,
            };
            say(JSON.stringify({ ...s, duckdb }, null, 2));
          } else {
            say(`Database: ${path}`);
            for (const line of formatResources(applied, db.resources)) say(line);
            say();
            for (const line of formatStatus(s, { allBatches: opts.all })) say(line);
          }
        },
        { readOnly: true },
      );
    });
}
