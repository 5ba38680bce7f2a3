import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import type { Command } from "commander";
import { calibrate } from "../../calibrate/index.ts";
import { printCheckFailures } from "../../db/checks.ts";
import { withDb } from "../../db/connection.ts";
import { formatStatus, readStatus } from "../../db/status.ts";
import { runDemo } from "../../demo/index.ts";
import { within } from "../../progress.ts";
import { buildSite } from "../../report/build.ts";
import { DATA_PAGES } from "../../report/cache.ts";
import { scoreLeads } from "../../scoring/score.ts";
import { loadSettings } from "../../settings.ts";
import { runThresholds } from "../../thresholds/index.ts";
import { dbPathOf, note } from "../context.ts";
import { withProgress } from "../progress.ts";
import { refreshReports } from "../refresh.ts";
import { DEFAULT_DRAFT } from "./calibrate.ts";

/**
 * `leadcal start` (behind `npm start`): the main job end to end on the embedded default: generate the
 * demo history and load it, score it with the starter definition, calibrate the points (a draft definition
 * and its Model page), build the report site, print the status.
 */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "the whole job on the demo data: generate and load, score, calibrate, choose thresholds, build the site, show the status",
    )
    .option("--leads <n>", "number of demo leads", "20000")
    .option("--definition <file>", "scoring definition", "data/definition.yaml")
    .option("--out <dir>", "where the site is built", "dist")
    .action(async (opts: { leads: string; definition: string; out: string }, cmd: Command) => {
      const dbPath = dbPathOf(cmd);
      const leads = Number(opts.leads.replace(/[_,]/g, ""));
      const t0 = performance.now();
      await withProgress("start", async (p) => {
        const say = p.say;
        say(
          `1/6 Demo data: generating ${leads.toLocaleString("en-US")} leads and loading them into ${rel(dbPath)}`,
        );
        const demo = await runDemo({
          dbPath,
          leads,
          replaceOtherDemo: true,
          onProgress: within(p.onProgress, "1/6 demo"),
        });
        for (const l of demo.loads) {
          say(
            `    ${rel(l.file)}: ${l.status === "unchanged" ? "already loaded" : `${l.rowsLoaded} rows loaded, ${l.rowsRejected} rejected`}`,
          );
        }
        if (demo.checks.length > 0) printCheckFailures(demo.checks, say);
        await withDb(dbPath, (db) => refreshReports(db, DATA_PAGES));

        say(`2/6 Scoring every lead with ${opts.definition}`);
        const scored = await withDb(dbPath, async (db) => {
          const run = await scoreLeads(db, {
            definitionFile: opts.definition,
            onProgress: within(p.onProgress, "2/6 score"),
          });
          await refreshReports(db, ["definition"]);
          return run;
        });
        say(
          `    ${scored.leadsScored.toLocaleString("en-US")} leads scored with definition ${scored.version} as of ${scored.asOf ?? scored.asOfRule} (${scored.asOfSource}): ` +
            scored.byStage.map((s) => `${s.stage} ${s.leads.toLocaleString("en-US")}`).join(", "),
        );

        say(`3/6 Calibrating the points to what converted (draft: ${DEFAULT_DRAFT})`);
        const cal = await withDb(dbPath, async (db) => {
          const run = await calibrate(db, {
            definitionFile: opts.definition,
            onProgress: within(p.onProgress, "3/6 calibrate"),
          });
          await refreshReports(db, ["model"]);
          return run;
        });
        writeFileSync(DEFAULT_DRAFT, cal.draft);
        const c = cal.report.comparison;
        say(
          `    ${cal.report.training.leads.toLocaleString("en-US")} training leads, holdout ${cal.report.holdout.description}`,
        );
        say(
          `    holdout AUC: in use ${c.aucChampion.toFixed(3)}, new ${c.aucChallenger.toFixed(3)}: ${c.verdict}`,
        );
        for (const w of cal.warnings) say(`    warning: ${w}`);

        say("4/6 Choosing thresholds under sales capacity (data/settings.yaml)");
        const settings = loadSettings();
        const thr = await withDb(dbPath, async (db) => {
          const run = await runThresholds(db, {
            definitionFile: opts.definition,
            constraints: {
              ...settings.capacity,
              commitmentPerQuarter: settings.serviceLevels.sqlCommitmentPerQuarter,
            },
            onProgress: within(p.onProgress, "4/6 thresholds"),
          });
          await refreshReports(db, ["thresholds", "overview"]);
          return run;
        });
        const rec = thr.recommendation;
        say(
          `    recommended for ${thr.version}: ${rec.mql ? `${rec.mql.stage} at ${rec.mql.threshold} points, ` : ""}${rec.sql.stage} at ${rec.sql.threshold} points (binding: ${rec.sql.binding})`,
        );
        say(`    ${rec.sentence}`);
        for (const w of rec.warnings) say(`    warning: ${w}`);

        say(`5/6 Building the report site into ${opts.out}/`);
        const site = await buildSite({
          dbPath,
          outDir: opts.out,
          log: () => {},
          onProgress: within(p.onProgress, "5/6 build"),
        });
        say(`    ${site.pages.length} pages built in ${(site.ms / 1000).toFixed(1)} s`);

        say("6/6 Status");
        const status = await withDb(dbPath, async (db) => formatStatus(await readStatus(db.conn)), {
          readOnly: true,
        });
        for (const line of status) say(`    ${line}`);
        say();
        say(`Done in ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
        const preview = opts.out === "dist" ? "npm run preview" : `npm run preview -- ${opts.out}`;
        say(`Open the site: ${preview}   (serves ${opts.out}/ on http://127.0.0.1:3000/)`);
        say(`Publish it: copy ${opts.out}/ to any static web host; it is plain files.`);
      });
      note("Next: load your own exports with npx leadcal load --help");
    });
}

function rel(p: string): string {
  return relative(process.cwd(), p) || p;
}
