import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { withDb } from "../../db/connection.ts";
import { UserError } from "../../errors.ts";
import {
  checkAgainstData,
  contractFor,
  DEFAULT_DEFINITION,
  formatCheck,
  formatContract,
  formatProblem,
  validateDefinition,
} from "../../scoring/index.ts";
import { dbPathOf, ExitStatus, exitWith, note, say } from "../context.ts";

export function registerDefinition(program: Command): void {
  const definition = program
    .command("definition")
    .description("check and explain a scoring definition (the qualified-lead contract in YAML)");

  definition
    .command("check")
    .description(
      "validate a definition: its format, then against the loaded data (columns, activity types, criteria that match no lead)",
    )
    .argument("[file]", "the definition file", DEFAULT_DEFINITION)
    .option("--as-of <when>", "moment to test the criteria at: latest (default), now, or a date", "latest")
    .option("--strict", "exit non-zero on warnings too (for CI)")
    .action(async (file: string, opts: { asOf: string; strict?: boolean }, cmd: Command) => {
      if (!existsSync(file)) throw new UserError("scoring definition not found", { file });
      const result = validateDefinition(readFileSync(file, "utf8"), file);
      if (!result.ok) {
        say(`${file}: the definition is not valid`);
        for (const p of result.problems) say(`  error    ${formatProblem(p)}`);
        throw new ExitStatus(1);
      }
      const { def } = result.loaded;
      say(
        `${file}: the format is valid (version ${def.version}; ${def.fit.length} fit, ${def.situational.length} situational, ` +
          `${def.engagement.criteria.length} engagement and ${def.negative.length} negative criteria; ${def.thresholds.length} thresholds)`,
      );
      const dbPath = dbPathOf(cmd);
      if (!existsSync(dbPath)) {
        say(
          `No database at ${dbPath}: checked the format only. Load data (or run \`npx leadcal demo\`) to check it against leads.`,
        );
        return;
      }
      await withDb(
        dbPath,
        async (db) => {
          const check = await checkAgainstData(db.conn, result.loaded, { asOf: opts.asOf });
          for (const line of formatCheck(check, dbPath)) say(line);
          const errors = check.findings.filter((f) => f.level === "error").length;
          const warnings = check.findings.filter((f) => f.level === "warning").length;
          exitWith(errors > 0 || (opts.strict && warnings > 0) ? 1 : 0);
        },
        { readOnly: true },
      );
    });

  definition
    .command("explain")
    .description(
      "print the whole contract in plain language: criteria, points, caps, decay, thresholds, required fields, service levels",
    )
    .argument("[file]", "the definition file", DEFAULT_DEFINITION)
    .option("--json", "print the explanation as JSON (sections of sentences)")
    .action(async (file: string, opts: { json?: boolean }) => {
      const { contract, warning } = contractFor(file);
      if (warning) note(warning);
      if (opts.json) say(JSON.stringify(contract, null, 2));
      else process.stdout.write(formatContract(contract));
    });
}
