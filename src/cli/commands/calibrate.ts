import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatCalibration } from "../../calibrate/format.ts";
import { calibrate } from "../../calibrate/index.ts";
import type { Target } from "../../calibrate/population.ts";
import { withDb } from "../../db/connection.ts";
import { UserError } from "../../errors.ts";
import { DEFAULT_DEFINITION } from "../../scoring/index.ts";
import { dbPathOf, note, say } from "../context.ts";

export const DEFAULT_DRAFT = "data/definition.draft.yaml";

interface CalibrateFlags {
  definition: string;
  out: string;
  target?: string;
  horizon?: string;
  holdout?: string;
  seed: string;
  pointsToDouble?: string;
  bootstrap: string;
}

export function registerCalibrate(program: Command): void {
  program
    .command("calibrate")
    .description(
      "fit the definition's points to what actually converted, validate them on a holdout against the points in use, and write a draft definition",
    )
    .option("--definition <file>", "the definition in use (the champion)", DEFAULT_DEFINITION)
    .option("--out <file>", "where to write the draft definition", DEFAULT_DRAFT)
    .option("--target <stage>", "the outcome to predict: sql, opportunity or won (default: the definition's)")
    .option(
      "--horizon <days>",
      "days after the scoring moment the outcome may take (default: the definition's)",
    )
    .option(
      "--holdout <rule>",
      "latest (the newest complete quarter cohort; the default with dates), a date (leads scored on or after it), or stratified:FRACTION (the default without dates)",
    )
    .option("--seed <n>", "seed for the cross-validation folds, a stratified holdout and the bootstrap", "1")
    .option(
      "--points-to-double <n>",
      "points that double the odds (default: the definition's calibration, else 20)",
    )
    .option("--bootstrap <n>", "bootstrap replicates for the AUC intervals", "1000")
    .action(async (opts: CalibrateFlags, cmd: Command) => {
      const target = opts.target;
      if (target !== undefined && !["sql", "opportunity", "won"].includes(target)) {
        throw new UserError(`--target: expected sql, opportunity or won; got ${target}`);
      }
      const horizon = opts.horizon === undefined ? undefined : positiveInt("--horizon", opts.horizon);
      const seed = wholeNumber("--seed", opts.seed);
      const pdo =
        opts.pointsToDouble === undefined
          ? undefined
          : positiveInt("--points-to-double", opts.pointsToDouble);
      const replicates = positiveInt("--bootstrap", opts.bootstrap);
      await withDb(dbPathOf(cmd), async (db) => {
        const r = await calibrate(db, {
          definitionFile: opts.definition,
          target: target as Target | undefined,
          horizonDays: horizon,
          holdout: opts.holdout,
          seed,
          pdo,
          replicates,
          progress: (line) => note(line),
        });
        writeFileSync(opts.out, r.draft);
        for (const w of r.warnings) note(`warning: ${w}`);
        for (const line of formatCalibration(r.report)) say(line);
        say("");
        say(
          `Wrote the draft ${r.version} to ${opts.out}. Review it on the site (npm run build, Model page), then:`,
        );
        say(`  npx leadcal approve ${r.version} --by "NAME, ROLE"`);
      });
    });
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new UserError(`${flag}: expected a whole number above 0; got ${text}`);
  return n;
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag}: expected a whole number; got ${text}`);
  return n;
}
