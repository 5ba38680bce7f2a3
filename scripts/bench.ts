/**
 * `npm run bench` runs every benchmark step in scripts/bench/; `npm run bench:load` only the load step.
 *
 *   tsx scripts/bench.ts [--only load,score,calibrate,loop] [--leads N[,N...]] [--seed S] [--repeat R]
 *                        [--work DIR] [--keep] [--json]
 *
 * The steps are the modules in scripts/bench/ exporting `step` (load, score, calibrate, loop), found by
 * discoverSteps below. Each size given with --leads (by default 100,000 then 1,000,000) runs every step;
 * the steps of a size share one set of demo files (generated once, in a child process) and one loaded
 * database. The work folder is a fresh temporary one, removed afterwards unless --keep; a folder given
 * with --work is kept, and demo files left in it by an earlier run with the same options are reused.
 * After the last size, a summary table gives each step's time, throughput and peak memory at each size,
 * and how the time grew against the number of leads. Figures are printed, never asserted: timings
 * depend on the machine and on what else runs on it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { withDb } from "../src/db/connection.ts";
import { DEMO_FILES, DEMO_LOAD_ORDER, type DemoFile, demoMaker, generateDemo } from "../src/demo/index.ts";
import { defaultEnd, demoWindow, sqlTimestamp } from "../src/demo/window.ts";
import { loadFiles } from "../src/load/load.ts";
import {
  type BenchContext,
  type BenchFigures,
  type BenchRecord,
  type BenchStep,
  type DemoFiles,
  peakRssMiB,
  runChild,
} from "./bench/step.ts";
import { type SizedRecord, summaryTable } from "./bench/summary.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const STEPS_DIR = join(HERE, "bench");

/** Every module in scripts/bench/ exporting `step`, in order. */
async function discoverSteps(): Promise<BenchStep[]> {
  const steps: BenchStep[] = [];
  for (const f of readdirSync(STEPS_DIR).sort()) {
    if (!f.endsWith(".ts") || f === "step.ts") continue;
    const mod = (await import(pathToFileURL(join(STEPS_DIR, f)).href)) as { step?: BenchStep };
    if (mod.step) steps.push(mod.step);
  }
  return steps.sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.name.localeCompare(b.name));
}

/** A mistake on the command line: said in one line, exit status 2, no stack trace. */
class UsageError extends Error {}

function wholeNumber(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  // underscores group digits (1_000_000); a comma separates sizes in --leads, so it cannot
  const n = Number(raw.replace(/_/g, ""));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(
      `${flag} must be a whole number of 1 or more (digits grouped with _, sizes separated by commas), not '${raw}'`,
    );
  return n;
}

function printFigures(name: string, figures: BenchFigures): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  process.stdout.write(`\n${name}\n`);
  for (const [k, v] of Object.entries(figures)) {
    const shown = typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 2 }) : v;
    process.stdout.write(`  ${k.padEnd(width)}  ${shown}\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      leads: { type: "string" },
      seed: { type: "string" },
      repeat: { type: "string" },
      work: { type: "string" },
      keep: { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  const all = await discoverSteps();
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((n) => !all.some((s) => s.name === n)) ?? [];
  if (unknown.length) {
    throw new UsageError(
      `unknown step ${unknown.join(", ")}; the steps are: ${all.map((s) => s.name).join(", ")}`,
    );
  }
  const steps = only ? all.filter((s) => only.includes(s.name)) : all;
  const sizes = (values.leads ?? DEFAULT_SIZES).split(",").map((n) => wholeNumber("--leads", n.trim(), 1));
  const seed = values.seed === undefined ? 42 : wholeNumber("--seed", values.seed, 42);
  const repeat = wholeNumber("--repeat", values.repeat, 1);
  let root: string;
  if (values.work) {
    root = resolve(values.work);
    mkdirSync(root, { recursive: true });
  } else root = mkdtempSync(join(tmpdir(), "leadcal-bench-"));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const records: SizedRecord[] = [];
  const results: Record<string, Record<string, BenchFigures>> = {};
  try {
    for (const leads of sizes) {
      // One folder per size, so a kept --work folder keeps each size's demo files for the next run.
      const workDir = join(root, `${leads}-leads`);
      mkdirSync(workDir, { recursive: true });
      log(`--- ${leads.toLocaleString("en-US")} leads, in ${workDir}`);
      const ctx = sizeContext({ leads, seed, repeat, workDir, reuse: Boolean(values.work), log }, (r) =>
        records.push({ ...r, leads }),
      );
      const perSize: Record<string, BenchFigures> = {};
      for (const s of steps) {
        log(`${s.name}: ${s.description}`);
        const figures = await s.run(ctx);
        perSize[s.name] = figures;
        printFigures(`${s.name} at ${leads.toLocaleString("en-US")} leads: ${s.description}`, figures);
      }
      results[String(leads)] = perSize;
    }
  } finally {
    if (values.keep || values.work) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`\n${summaryTable(records, sizes).join("\n")}\n`);
  process.stdout.write(`\nrunner peak RSS: ${Math.round(peakRssMiB())} MiB\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ results, records })}\n`);
}

/** The sizes `npm run bench` measures when --leads is not given. */
const DEFAULT_SIZES = "100000,1000000";

/** The context the steps of one size share: its demo files, generated once, and its loaded database. */
function sizeContext(
  o: {
    leads: number;
    seed: number;
    repeat: number;
    workDir: string;
    reuse: boolean;
    log: (l: string) => void;
  },
  record: (r: BenchRecord) => void,
): BenchContext {
  const { leads, seed, workDir, log } = o;
  const shared = new Map<string, string>();
  let demo: Promise<DemoFiles> | undefined;
  let loaded: Promise<string> | undefined;
  const ctx: BenchContext = {
    leads,
    seed,
    repeat: o.repeat,
    workDir,
    log,
    record,
    share: (key, value) => shared.set(key, value),
    demo() {
      demo ??= (async () => {
        const reused = o.reuse ? reusableDemo(join(workDir, "demo"), leads, seed) : null;
        if (reused) {
          log(`reusing the demo files in ${reused.outDir} (same leads, seed, end and generator)`);
          return reused;
        }
        log(
          `generating ${leads.toLocaleString("en-US")} demo leads (seed ${seed}) in ${join(workDir, "demo")}`,
        );
        const r = await runChild<DemoFiles>(fileURLToPath(import.meta.url), [
          "--generate-child",
          join(workDir, "demo"),
          String(leads),
          String(seed),
        ]);
        log(`generated in ${r.seconds.toFixed(1)} s`);
        const rows = Object.values(r.rows).reduce((s, n) => s + n, 0);
        record({
          step: "generate",
          seconds: r.seconds,
          rows,
          unit: "rows",
          peakRssMiB: r.generatePeakRssMiB,
        });
        return r;
      })();
      return demo;
    },
    loadedDb() {
      const have = shared.get("loadedDb");
      if (have) return Promise.resolve(have);
      loaded ??= (async () => {
        const files = await ctx.demo();
        const path = join(workDir, "loaded.duckdb");
        rmSync(path, { force: true });
        log(`loading the demo into ${path} (not measured)`);
        await withDb(path, async (db) => {
          for (const [f, preset] of DEMO_LOAD_ORDER) await loadFiles(db, [files.files[f]], { preset });
        });
        return path;
      })();
      return loaded;
    },
  };
  return ctx;
}

/**
 * Demo files already in `dir` that this run would generate byte for byte (same leads, seed, end and
 * generator), so a kept --work folder spares the next run the generation. Their generation figures
 * are unknown (NaN).
 */
function reusableDemo(dir: string, leads: number, seed: number): DemoFiles | null {
  const truthFile = join(dir, "ground_truth.json");
  if (!existsSync(truthFile)) return null;
  const t = JSON.parse(readFileSync(truthFile, "utf8"));
  const window = demoWindow(defaultEnd());
  if (
    t.leads !== leads ||
    t.seed !== seed ||
    t.generator !== demoMaker() ||
    t.window?.end !== sqlTimestamp(window.end)
  ) {
    return null;
  }
  const keys = Object.keys(DEMO_FILES) as DemoFile[];
  if (!keys.every((k) => existsSync(join(dir, DEMO_FILES[k])))) return null;
  return {
    outDir: dir,
    window,
    seed,
    leads,
    files: Object.fromEntries(keys.map((k) => [k, join(dir, DEMO_FILES[k])])) as Record<DemoFile, string>,
    truthFile,
    rows: Object.fromEntries(keys.map((k) => [k, Number(t.files?.[DEMO_FILES[k]]?.rows)])) as Record<
      DemoFile,
      number
    >,
    seconds: Number.NaN,
    generatePeakRssMiB: Number.NaN,
  };
}

/** The child that generates the demo, so the generation's memory is measured on its own. */
async function generateChild([outDir, leads, seed]: string[]): Promise<void> {
  const r = await generateDemo({ outDir: outDir as string, leads: Number(leads), seed: Number(seed) });
  const out: DemoFiles = { ...r, generatePeakRssMiB: peakRssMiB() };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const args = process.argv.slice(2);
if (args[0] === "--generate-child") await generateChild(args.slice(1));
else {
  try {
    await main(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    }
  }
}
