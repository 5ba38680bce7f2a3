import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { runDemo } from "../../src/demo/index.ts";
import type { DemoFile } from "../../src/demo/write.ts";
import { buildSite } from "../../src/report/build.ts";
import { sharedFixture } from "../helpers/shared-fixture.ts";

export interface DemoSite {
  dir: string;
  dbPath: string;
  /** The demo's CSV files, by kind. */
  files: Record<DemoFile, string>;
  outDir: string;
  buildMs: number;
  pages: string[];
}

/**
 * Runs the demo (seeded, with a fixed end date, so every run sees the same data) into a database
 * in `dir`, and builds the site from it into that folder.
 */
export async function buildDemoSite(dir: string, opts: { leads?: number } = {}): Promise<DemoSite> {
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
  };
}

/**
 * The demo site (the default 20,000 leads), built once per test run for every test file that reads
 * it (test/helpers/shared-fixture.ts): read its database read-only, and change nothing in it.
 */
export function sharedDemoSite(): Promise<DemoSite> {
  return sharedFixture("demo-site", (dir) => buildDemoSite(dir));
}

/** Every file under a folder, as paths relative to it. */
export function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p)];
  });
}
