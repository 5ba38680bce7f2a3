import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { approveVersion, parseApprover } from "../../calibrate/index.ts";
import { withDb } from "../../db/connection.ts";
import { DEFAULT_DEFINITION } from "../../scoring/index.ts";
import { dbPathOf, say } from "../context.ts";
import { refreshReports } from "../refresh.ts";

export function registerApprove(program: Command): void {
  program
    .command("approve")
    .description(
      "make a calibrated version current: record who signed off and when, and write it as the definition in use",
    )
    .argument("<version>", "the version to approve (see `leadcal models`)")
    .requiredOption(
      "--by <who...>",
      'who signs off, as "NAME, ROLE"; repeat for each person (--by "Ana Diaz, VP Sales" --by "Li Wei, CMO")',
    )
    .option(
      "--definition <file>",
      "the definition file scoring reads, rewritten with the approved version",
      DEFAULT_DEFINITION,
    )
    .option("--on <date>", "the date of the sign-off (default: today, UTC)")
    .action(
      async (version: string, opts: { by: string[]; definition: string; on?: string }, cmd: Command) => {
        const on = opts.on ?? new Date().toISOString().slice(0, 10);
        const approvers = opts.by.map((b) => parseApprover(b, on));
        await withDb(dbPathOf(cmd), async (db) => {
          const r = await approveVersion(db.conn, version, approvers);
          writeFileSync(opts.definition, r.yaml);
          say(
            `Approved ${version} (${approvers.map((a) => (a.role ? `${a.by}, ${a.role}` : a.by)).join("; ")}, ${on}); it is now ${opts.definition}.`,
          );
          if (r.retired.length) say(`Retired: ${r.retired.join(", ")}.`);
          await refreshReports(db, ["model"]);
          say("Score with it: npx leadcal score");
        });
      },
    );
}
