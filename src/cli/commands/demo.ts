import { relative } from "node:path";
import type { Command } from "commander";
import { printCheckFailures } from "../../db/checks.ts";
import { withDb } from "../../db/connection.ts";
import { DEMO_FILES, MAX_DEMO_LEADS, runDemo } from "../../demo/index.ts";
import { UserError } from "../../errors.ts";
import { DATA_PAGES } from "../../report/cache.ts";
import { dbPathOf, exitWith, note, say } from "../context.ts";
import { withProgress } from "../progress.ts";
import { refreshReports } from "../refresh.ts";

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const text = raw.replace(/[_,]/g, "");
  const n = /^\d+$/.test(text) ? Number(text) : /^\d+(\.\d+)?e\d+$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(
      `${flag} must be a whole number from ${min} to ${max.toLocaleString("en-US")}, not '${raw}'`,
    );
  }
  return n;
}

function utcDay(raw: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== raw.trim()) {
    throw new UserError(`--end must be a date as YYYY-MM-DD (UTC), not '${raw}'`);
  }
  return d;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "generate a realistic, seeded CRM history (9 quarters) and load it, to try leadcal end to end",
    )
    .option("--leads <n>", "number of leads", "20000")
    .option("--seed <s>", "seed: the same seed, leads and end give byte-identical files", "42")
    .option(
      "--end <date>",
      "end of the history, exclusive (YYYY-MM-DD, UTC; default: first day of this month)",
    )
    .option("--out <dir>", "folder for the generated files", "data/demo")
    .addHelpText(
      "after",
      `
Writes leads.csv, stage_changes.csv, activities.csv, sales_touches.csv, deals.csv and costs.csv in
leadcal's plain formats, and ground_truth.json: the model the outcomes were drawn from. Then loads the
files with the leadcal-* presets, exactly as \`npx leadcal load\` would, and checks the tables.
Loading is repeatable: running the demo again with the same options changes nothing. The demo needs a
database of its own: it refuses one that holds other data (pick another with --db).

Examples:
  npx leadcal demo
  npx leadcal demo --leads 100000 --seed 7 --end 2026-01-01
  npx leadcal --db /tmp/big.duckdb demo --leads 1000000 --out /tmp/demo`,
    )
    .action(async (opts: { leads: string; seed: string; end?: string; out: string }, cmd: Command) => {
      const leads = wholeNumber("--leads", opts.leads, 1, MAX_DEMO_LEADS);
      const seed = wholeNumber("--seed", opts.seed, 0, Number.MAX_SAFE_INTEGER);
      const end = opts.end === undefined ? undefined : utcDay(opts.end);
      const dbPath = dbPathOf(cmd);
      const r = await withProgress("demo", async (p) => {
        const demo = await runDemo({ dbPath, leads, seed, end, outDir: opts.out, onProgress: p.onProgress });
        await withDb(dbPath, (db) => refreshReports(db, DATA_PAGES));
        return demo;
      });
      const g = r.generated;
      const shown = (p: string) => relative(process.cwd(), p) || ".";
      say(
        `Generated ${leads.toLocaleString("en-US")} leads (seed ${seed}), ${g.window.start.toISOString().slice(0, 10)} to ${g.window.end.toISOString().slice(0, 10)}, in ${g.seconds.toFixed(1)} s:`,
      );
      for (const [key, name] of Object.entries(DEMO_FILES) as [keyof typeof DEMO_FILES, string][]) {
        say(`  ${name.padEnd(18)} ${g.rows[key].toLocaleString("en-US").padStart(12)} rows`);
      }
      say(`  ${"ground_truth.json".padEnd(18)} the model behind the outcomes`);
      say(`  in ${shown(g.outDir)}`);
      say(`Loaded into ${shown(dbPath)} in ${r.loadSeconds.toFixed(1)} s:`);
      for (const l of r.loads) {
        const what =
          l.status === "unchanged"
            ? "already loaded, nothing changed"
            : `batch ${l.batchId}, ${l.rowsLoaded.toLocaleString("en-US")} rows loaded, ${l.rowsRejected} rejected`;
        say(`  ${shown(l.file).padEnd(Math.max(30, shown(l.file).length))} ${what}`);
      }
      if (r.checks.length > 0) {
        printCheckFailures(r.checks, note);
        exitWith(1);
      } else say("All table checks pass. See what is loaded: npx leadcal status");
    });
}
