import type { Command } from "commander";
import { runAllChecks } from "../../checks.ts";
import { printCheckFailures } from "../../db/checks.ts";
import { withDb } from "../../db/connection.ts";
import { isUserError, UserError } from "../../errors.ts";
import { type LoadResult, loadFile, resolveMapping } from "../../load/load.ts";
import { listPresets } from "../../load/mapping.ts";
import { CANONICAL_TABLES, type CanonicalTable } from "../../load/tables.ts";
import { dbPathOf, exitWith, note } from "../context.ts";
import { withProgress } from "../progress.ts";

export function registerLoad(program: Command): void {
  program
    .command("load")
    .description("load CRM exports (CSV, Parquet, NDJSON) into the database, one batch per file")
    .argument("<files...>", "files to load, in order (leads before what points at them)")
    .option("--preset <name>", "a mapping that ships with leadcal (see --list-presets)")
    .option("--mapping <file>", "your own mapping file (YAML)")
    .option(
      "--table <table>",
      `only this table of the mapping; alone, leadcal's plain format for it (${CANONICAL_TABLES.join(", ")})`,
    )
    .option("--strict", "exit with status 1 if any row was rejected")
    .addHelpText(
      "after",
      `\nPresets:\n${listPresets()
        .map((p) => `  ${p.name.padEnd(26)} ${p.description}`)
        .join(
          "\n",
        )}\n\nExamples:\n  npx leadcal load --preset olist-mqls olist_marketing_qualified_leads_dataset.csv\n  npx leadcal load --mapping my-crm.yaml contacts.csv\n  npx leadcal load --table activities activities.csv`,
    )
    .action(
      async (
        files: string[],
        opts: { preset?: string; mapping?: string; table?: string; strict?: boolean },
        cmd: Command,
      ) => {
        if (opts.table && !(CANONICAL_TABLES as readonly string[]).includes(opts.table)) {
          throw new UserError(
            `unknown table '${opts.table}'; the tables are: ${CANONICAL_TABLES.join(", ")}`,
          );
        }
        const mapping = resolveMapping({
          preset: opts.preset,
          mappingFile: opts.mapping,
          table: opts.table as CanonicalTable,
        });
        // On a terminal: a bar over the files with the current step; with LEADCAL_PROGRESS, plain lines.
        let refused = 0;
        let rejected = 0;
        await withDb(dbPathOf(cmd), async (db) => {
          await withProgress("load", async (p) => {
            for (const [i, f] of files.entries()) {
              const onProgress = p.onProgress && ((m: string) => p.onProgress?.(m, i, files.length));
              try {
                const r = await loadFile(db, f, mapping, { onProgress });
                rejected += r.rowsRejected;
                printResult(r, p.say);
              } catch (e) {
                if (!isUserError(e)) throw e;
                refused++;
                p.note(`leadcal: refused, nothing loaded: ${e.message}`);
              }
            }
          });
          const failures = await runAllChecks(db.conn);
          if (failures.length > 0) printCheckFailures(failures, note);
        });
        exitWith(refused > 0 ? 2 : opts.strict && rejected > 0 ? 1 : 0);
      },
    );
}

function printResult(r: LoadResult, say: (line: string) => void): void {
  if (r.status === "unchanged") {
    say(`${r.file}: ${r.notes[0]}`);
    return;
  }
  say(
    `${r.file}: batch ${r.batchId} (${r.mapping}): ${r.rowsRead} rows read, ${r.rowsLoaded} loaded, ${r.rowsRejected} rejected`,
  );
  for (const t of r.tables) {
    say(`  ${t.table}: ${t.inserted} inserted, ${t.updated} updated, ${t.unchanged} unchanged`);
  }
  for (const n of r.notes) say(`  note: ${n}`);
  if (r.rejects.length > 0) {
    say("  rejected rows by reason (all kept in load_rejects with their raw values):");
    for (const x of r.rejects.slice(0, 15)) {
      say(
        `    ${String(x.count).padStart(7)}  ${x.column ? `column ${x.column}: ` : ""}${x.reason} (first at row ${x.firstRow})`,
      );
    }
    if (r.rejects.length > 15)
      say(`    ... ${r.rejects.length - 15} more reasons: npx leadcal status --rejects`);
  }
}
