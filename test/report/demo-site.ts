import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runDemo } from "../../src/demo/index.ts";
import type { DemoFile } from "../../src/demo/write.ts";
import { buildSite } from "../../src/report/build.ts";

export interface DemoSite {
  dir: string;
  dbPath: string;
  /** The demo's CSV files, by kind. */
  files: Record<DemoFile, string>;
  outDir: string;
  buildMs: number;
  pages: string[];
  remove(): void;
}

/**
 * Runs the demo (seeded, with a fixed end date, so every run sees the same data) into a database
 * in a temp folder, and builds the site from it into that folder.
 */
export async function buildDemoSite(opts: { leads?: number } = {}): Promise<DemoSite> {
  const dir = mkdtempSync(join(tmpdir(), "leadcal-site-"));
  const dbPath = join(dir, "leadcal.duckdb");
  // What `npx leadcal demo` does: generate, then load through the same loader and presets.
  const demo = await runDemo({
    dbPath,
    outDir: join(dir, "demo"),
    leads: opts.leads,
    end: new Date("2026-07-01T00:00:00Z"),
  });
  const site = await buildSite({ dbPath, outDir: join(dir, "site"), log: () => {} });
  return {
    dir,
    dbPath,
    files: demo.generated.files,
    outDir: site.outDir,
    buildMs: site.ms,
    pages: site.pages,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every file under a folder, as paths relative to it. */
export function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p)];
  });
}
