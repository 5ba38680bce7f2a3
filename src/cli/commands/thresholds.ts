import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { withDb } from "../../db/connection.ts";
import { UserError } from "../../errors.ts";
import { DEFAULT_DEFINITION } from "../../scoring/index.ts";
import { loadSettings } from "../../settings.ts";
import { formatThresholds, runThresholds, writeThresholds } from "../../thresholds/index.ts";
import { dbPathOf, say } from "../context.ts";
import { withProgress } from "../progress.ts";
import { refreshReports } from "../refresh.ts";
import { DEFAULT_DRAFT } from "./calibrate.ts";

interface Flags {
  version?: string;
  definition: string;
  capacityReps?: string;
  touchesPerRepWeek?: string;
  touchesPerSql?: string;
  minConversion?: string;
  commitment?: string;
  objective?: string;
  write?: boolean;
  out: string;
}

export function registerThresholds(program: Command): void {
  program
    .command("thresholds")
    .description(
      "sweep every MQL and SQL threshold (volume, conversion, wins, cost per SQL, workload against capacity) and recommend the thresholds",
    )
    .option(
      "--version <v>",
      "the definition version to sweep (default: the newest draft, else the approved one)",
    )
    .option("--definition <file>", "the definition used when the registry is empty", DEFAULT_DEFINITION)
    .option("--capacity-reps <n>", "sales reps working new SQLs (default: settings capacity.reps)")
    .option("--touches-per-rep-week <n>", "touches each rep can make a week (default: settings)")
    .option("--touches-per-sql <n>", "touches the service level asks for each SQL (default: settings)")
    .option(
      "--min-conversion <p>",
      "lowest acceptable conversion above the SQL threshold, 0-1 (default: settings)",
    )
    .option("--commitment <n>", "SQLs a quarter marketing committed to (default: settings)")
    .option("--objective <what>", "maximise wins or revenue (default: settings)")
    .option("--write", "put the recommended thresholds into the draft definition")
    .option("--out <file>", "where --write writes the draft", DEFAULT_DRAFT)
    .action(async (opts: Flags, cmd: Command) => {
      const s = loadSettings().capacity;
      const commitmentDefault = loadSettings().serviceLevels.sqlCommitmentPerQuarter;
      const objective = opts.objective ?? s.objective;
      if (objective !== "wins" && objective !== "revenue") {
        throw new UserError(`--objective: expected wins or revenue; got ${objective}`);
      }
      const constraints = {
        reps: number("--capacity-reps", opts.capacityReps, s.reps, { integer: true }),
        touchesPerRepWeek: number("--touches-per-rep-week", opts.touchesPerRepWeek, s.touchesPerRepWeek),
        touchesPerSql: number("--touches-per-sql", opts.touchesPerSql, s.touchesPerSql),
        minConversion: number("--min-conversion", opts.minConversion, s.minConversion, {
          max: 1,
          zero: true,
        }),
        mqlCapture: s.mqlCapture,
        commitmentPerQuarter: number("--commitment", opts.commitment, commitmentDefault, { zero: true }),
        objective: objective as "wins" | "revenue",
      };
      await withDb(dbPathOf(cmd), async (db) => {
        const r = await withProgress("thresholds", (p) =>
          runThresholds(db, {
            version: opts.version,
            definitionFile: opts.definition,
            constraints,
            onProgress: p.onProgress,
          }),
        );
        for (const line of formatThresholds(r)) say(line);
        if (opts.write) {
          const w = await writeThresholds(db.conn, r.version, r.recommendation, r.runId);
          writeFileSync(opts.out, w.yaml);
          say(`Wrote the recommended thresholds into ${w.version} (${opts.out}).`);
        }
        say(`Stored as threshold run ${r.runId}; the Thresholds page shows the whole sweep (npm run build).`);
        await refreshReports(db, ["thresholds", "overview"]);
      });
    });
}

function number(
  flag: string,
  text: string | undefined,
  fallback: number,
  o: { integer?: boolean; max?: number; zero?: boolean } = {},
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  const ok =
    Number.isFinite(n) &&
    (o.zero ? n >= 0 : n > 0) &&
    (o.max === undefined || n <= o.max) &&
    (!o.integer || Number.isInteger(n));
  if (!ok) {
    throw new UserError(
      `${flag}: expected ${o.integer ? "a whole number" : "a number"}${o.zero ? " of 0 or more" : " above 0"}${o.max !== undefined ? ` and at most ${o.max}` : ""}; got ${text}`,
    );
  }
  return n;
}
