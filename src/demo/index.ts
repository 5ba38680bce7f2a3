import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { runAllChecks } from "../checks.ts";
import type { CheckFailure } from "../db/checks.ts";
import { type Db, withDb } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import { sha256File } from "../load/checksum.ts";
import { type LoadResult, loadFiles } from "../load/load.ts";
import type { OnProgress } from "../progress.ts";
import { DEMO_DEFAULTS, demoMaker, type GenerateResult, generateDemo } from "./generate.ts";
import { defaultEnd, demoWindow, sqlTimestamp } from "./window.ts";
import { DEMO_FILES, type DemoFile } from "./write.ts";

export {
  DEMO_DEFAULTS,
  demoMaker,
  type GenerateOptions,
  type GenerateResult,
  generateDemo,
  MAX_DEMO_LEADS,
} from "./generate.ts";
export { DEMO_FILES, type DemoFile } from "./write.ts";

/** The preset that reads each demo file, in the order they load: leads before what points at them. */
export const DEMO_LOAD_ORDER: [DemoFile, string][] = [
  ["leads", "leadcal-leads"],
  ["stageChanges", "leadcal-stage-changes"],
  ["activities", "leadcal-activities"],
  ["salesTouches", "leadcal-sales-touches"],
  ["deals", "leadcal-deals"],
  ["costs", "costs"],
];

export interface RunDemoOptions {
  dbPath: string;
  leads?: number;
  seed?: number;
  end?: Date;
  outDir?: string;
  /**
   * When the database holds a demo made with other options (another month's `npm start`), start it afresh
   * instead of refusing. A database holding anything else is still refused.
   */
  replaceOtherDemo?: boolean;
  /** Progress: the generation's steps, then the loader's, counted by file. */
  onProgress?: OnProgress;
}

export interface RunDemoResult {
  generated: GenerateResult;
  loads: LoadResult[];
  checks: CheckFailure[];
  loadSeconds: number;
}

/**
 * Generates the demo history and loads it through the same loader (and presets) a user runs, then runs
 * the table checks. Loading is repeatable: running the demo twice with the same options changes nothing.
 */
export async function runDemo(opts: RunDemoOptions): Promise<RunDemoResult> {
  const progress: OnProgress = opts.onProgress ?? (() => {});
  const outDir = resolve(opts.outDir ?? "data/demo");
  const wanted: DemoIdentity = {
    seed: opts.seed ?? DEMO_DEFAULTS.seed,
    leads: opts.leads ?? DEMO_DEFAULTS.leads,
    end: sqlTimestamp(demoWindow(opts.end ?? defaultEnd()).end),
    maker: demoMaker(),
  };
  const paths = Object.values(DEMO_FILES).map((f) => join(outDir, f));
  // Refuse before generating, so the files a database was loaded from are not overwritten by others.
  const verdict = await withDb(opts.dbPath, (db) =>
    refuseOtherData(db, outDir, paths, wanted, opts.replaceOtherDemo === true),
  );
  if (verdict === "replace") {
    progress(`replacing the earlier demo in ${opts.dbPath}`);
    for (const f of [opts.dbPath, `${opts.dbPath}.wal`]) rmSync(f, { force: true });
  }
  const generated = await generateDemo({
    outDir,
    leads: wanted.leads,
    seed: wanted.seed,
    end: opts.end,
    onStep: (s) => progress(`generating: ${s}`),
  });
  const started = performance.now();
  const { loads, checks } = await withDb(opts.dbPath, async (db) => {
    await refuseChangedFiles(db);
    const loads: LoadResult[] = [];
    for (const [i, [file, preset]] of DEMO_LOAD_ORDER.entries()) {
      const onProgress = (m: string) => progress(`loading: ${m}`, i, DEMO_LOAD_ORDER.length);
      loads.push(...(await loadFiles(db, [generated.files[file]], { preset, onProgress })));
    }
    return { loads, checks: await runAllChecks(db.conn) };
  });
  return { generated, loads, checks, loadSeconds: (performance.now() - started) / 1000 };
}

/** What makes two demos the same demo: the same seed, size and end give byte-identical files. */
interface DemoIdentity {
  seed: number;
  leads: number;
  end: string;
  maker: string;
}

function describe(d: DemoIdentity): string {
  return `seed ${d.seed}, ${d.leads} leads, ending ${d.end.slice(0, 10)}`;
}

/**
 * The demo loads into a database of its own: mixing it with other loads, or with a demo generated with
 * other options (whose leads share ids but not histories), would make every number meaningless.
 * Batches of the same demo are fine: loading the same files again changes nothing.
 */
async function refuseOtherData(
  db: Db,
  outDir: string,
  paths: string[],
  wanted: DemoIdentity,
  replaceOtherDemo: boolean,
): Promise<"ok" | "replace"> {
  const batches = (
    await db.conn.runAndReadAll("select distinct file_path from load_batches order by file_path")
  ).getRowObjectsJson() as { file_path: string }[];
  if (batches.length === 0) return "ok";
  const refuse = (what: string) =>
    new UserError(
      `the database ${db.path} already holds ${what}; the demo needs a database of its own: ` +
        "choose another with --db PATH (or LEADCAL_DB), or delete this one",
    );
  const foreign = batches.find((b) => !paths.includes(b.file_path));
  if (foreign) throw refuse(`data loaded from ${foreign.file_path}`);
  const truthFile = join(outDir, "ground_truth.json");
  const had = existsSync(truthFile)
    ? (JSON.parse(readFileSync(truthFile, "utf8")) as Record<string, unknown>)
    : {};
  const loaded: DemoIdentity = {
    seed: Number(had.seed),
    leads: Number(had.leads),
    end: String((had.window as { end?: string } | undefined)?.end),
    maker: String(had.generator),
  };
  const same =
    loaded.maker === wanted.maker &&
    loaded.seed === wanted.seed &&
    loaded.leads === wanted.leads &&
    loaded.end === wanted.end;
  if (!same && replaceOtherDemo) return "replace";
  if (loaded.maker !== wanted.maker && !Number.isNaN(loaded.seed)) {
    throw refuse(`a demo made by ${loaded.maker}, which this ${wanted.maker} cannot reproduce byte for byte`);
  }
  if (loaded.seed !== wanted.seed || loaded.leads !== wanted.leads || loaded.end !== wanted.end) {
    const was = Number.isNaN(loaded.seed)
      ? "a demo whose ground_truth.json is gone"
      : `the demo with ${describe(loaded)}`;
    throw refuse(`${was} (you asked for ${describe(wanted)}; give the same options to reload it)`);
  }
  return "ok";
}

/** A safety net after generating: files already loaded must come out byte-identical, or loading would mix. */
async function refuseChangedFiles(db: Db): Promise<void> {
  const batches = (
    await db.conn.runAndReadAll("select distinct file_path, checksum_sha256 from load_batches")
  ).getRowObjectsJson() as { file_path: string; checksum_sha256: string }[];
  for (const b of batches) {
    if (existsSync(b.file_path) && (await sha256File(b.file_path)) === b.checksum_sha256) continue;
    throw new UserError(
      `${b.file_path} came out different from the copy loaded into ${db.path}; the demo needs a database ` +
        "of its own: choose another with --db PATH (or LEADCAL_DB), or delete this one",
    );
  }
}
