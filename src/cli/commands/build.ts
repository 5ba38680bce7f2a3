import { relative } from "node:path";
import type { Command } from "commander";
import { buildSite } from "../../report/build.ts";
import { dbPathOf, note, say } from "../context.ts";
import { withProgress } from "../progress.ts";

/** `leadcal build`: builds the report site from the database into dist/ (or --out). */
export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("build the report site (static files) from the database")
    .option("--out <dir>", "output folder", "dist")
    .option("--settings <file>", "report settings (default: $LEADCAL_SETTINGS or data/settings.yaml)")
    .option("--quiet", "do not show Framework's build log")
    .action(async (opts: { out: string; settings?: string; quiet?: boolean }, cmd: Command) => {
      const dbPath = dbPathOf(cmd);
      note(`building the report site from ${dbPath}`);
      const result = await withProgress("build", (p) =>
        buildSite({
          dbPath,
          outDir: opts.out,
          settingsPath: opts.settings,
          log: opts.quiet ? () => {} : p.note,
          onProgress: p.onProgress,
        }),
      );
      const shown = relative(process.cwd(), result.outDir) || ".";
      say(`Built ${result.pages.length} pages into ${shown}/ in ${(result.ms / 1000).toFixed(1)} s.`);
      const preview = shown === "dist" ? "npm run preview" : `npm run preview -- ${shown}`;
      say(`Open it: ${preview} (serves ${shown}/ on http://127.0.0.1:3000/).`);
      say(`Publish it: copy ${shown}/ to any static web host; it is plain files.`);
    });
}
