import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatCalibration } from "../../calibrate/format.ts";
import { type CalibrationReport, calibrate } from "../../calibrate/index.ts";
import { AMONG_STAGES, type Among, type Target } from "../../calibrate/population.ts";
import { MAX_LEADS, parseMaxLeads } from "../../calibrate/sample.ts";
import { withDb } from "../../db/connection.ts";
import { UserError } from "../../errors.ts";
import { DEFAULT_DEFINITION } from "../../scoring/index.ts";
import { dbPathOf, note, say } from "../context.ts";
import { withProgress } from "../progress.ts";
import { refreshReports } from "../refresh.ts";

export const DEFAULT_DRAFT = "data/definition.draft.yaml";

interface CalibrateFlags {
  definition: string;
  out: string;
  target?: string;
  horizon?: string;
  among?: string;
  holdout?: string;
  seed: string;
  pointsToDouble?: string;
  bootstrap: string;
  discover?: boolean;
  exclude?: string[];
  include?: string[];
  maxLeads: string;
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
      "--among <stage>",
      "only leads that had reached this stage (mql, sql or opportunity) by their scoring moment: which MQLs become SQLs, say",
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
    .option(
      "--max-leads <n>",
      "at most this many leads of each part (training, holdout, recent) are read; a larger part is a seeded sample of it",
      String(MAX_LEADS),
    )
    .option(
      "--discover",
      "also look for new criteria among the other lead columns and activity types, and keep those that improve the cross-validated fit",
    )
    .option("--exclude <names...>", "with --discover: columns or activity types to leave out")
    .option(
      "--include <names...>",
      "with --discover: columns or activity types to let in although the leak guard would leave them out",
    )
    .action(async (opts: CalibrateFlags, cmd: Command) => {
      const target = opts.target;
      if (target !== undefined && !["sql", "opportunity", "won"].includes(target)) {
        throw new UserError(`--target: expected sql, opportunity or won; got ${target}`);
      }
      const among = opts.among;
      if (among !== undefined && !(AMONG_STAGES as readonly string[]).includes(among)) {
        throw new UserError(`--among: expected ${AMONG_STAGES.join(", ")}; got ${among}`);
      }
      const horizon = opts.horizon === undefined ? undefined : positiveInt("--horizon", opts.horizon);
      const seed = wholeNumber("--seed", opts.seed);
      const pdo =
        opts.pointsToDouble === undefined
          ? undefined
          : positiveInt("--points-to-double", opts.pointsToDouble);
      const replicates = positiveInt("--bootstrap", opts.bootstrap);
      const maxLeads = parseMaxLeads(opts.maxLeads);
      const r = await withProgress("calibrate", (p) =>
        withDb(dbPathOf(cmd), async (db) => {
          const run = await calibrate(db, {
            definitionFile: opts.definition,
            target: target as Target | undefined,
            horizonDays: horizon,
            among: among as Among | undefined,
            holdout: opts.holdout,
            seed,
            pdo,
            replicates,
            maxLeads,
            discover: opts.discover ?? false,
            exclude: opts.exclude ?? [],
            include: opts.include ?? [],
            progress: p.note,
            onProgress: p.onProgress,
          });
          await refreshReports(db, ["model"]);
          return run;
        }),
      );
      writeFileSync(opts.out, r.draft);
      for (const w of r.warnings) note(`warning: ${w}`);
      for (const line of formatCalibration(r.report)) say(line);
      if (opts.discover) for (const line of discoveryLines(r.report)) say(line);
      say("");
      say(
        `Wrote the draft ${r.version} to ${opts.out}. Review it on the site (npm run build, Model page), then:`,
      );
      say(`  npx leadcal approve ${r.version} --by "NAME, ROLE"`);
    });
}

/** What --discover kept, did not keep and left out, and why. */
function discoveryLines(r: CalibrationReport): string[] {
  const lines = ["", "Discovery (--discover):"];
  if (!r.discovered.length && !r.leftOut.length) lines.push("  no column or activity type to look at");
  for (const decision of ["kept", "not kept", "left out"] as const) {
    const rows = r.discovered.filter((d) => d.decision === decision);
    if (!rows.length) continue;
    lines.push(`  ${decision}:`);
    for (const d of rows)
      lines.push(
        `    ${d.name} (${d.kind}, IV ${d.informationValue.toFixed(3)}, AUC alone ${d.singleAuc === null ? "-" : d.singleAuc.toFixed(3)}, ${d.bands} band${d.bands === 1 ? "" : "s"}): ${d.reason}`,
      );
  }
  const listed = new Set(r.discovered.map((d) => d.name));
  const others = r.leftOut.filter((l) => !listed.has(l.name));
  if (others.length) {
    lines.push("  also left out:");
    for (const l of others) lines.push(`    ${l.name}: ${l.reason}`);
  }
  return lines;
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
