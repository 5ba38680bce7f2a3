import { spawn } from "node:child_process";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBInstance } from "@duckdb/node-api";
import type { GenerateResult } from "../../src/demo/index.ts";

/**
 * The shape of a benchmark step. `scripts/bench.ts` runs every module in this folder that exports
 * `step: BenchStep` (this file and helpers without one are skipped), in `order`, then by name.
 * A step measures and reports figures; it never asserts a timing.
 */
export interface BenchStep {
  /** Short name, used by `--only` (e.g. "load", "score"). */
  name: string;
  /** One line saying what is measured. */
  description: string;
  /** Steps run by ascending order (default 100), then by name. */
  order?: number;
  run(ctx: BenchContext): Promise<BenchFigures>;
}

/** What a step reports: named figures, units in the name (`load_s`, `peak_rss_mib`, `rows_per_s`). */
export type BenchFigures = Record<string, number | string>;

export interface BenchContext {
  /** Leads in the demo data for this size (--leads N[,N...]; by default 100,000 then 1,000,000, about 20 activities each). */
  leads: number;
  /** Seed of the demo data (--seed; default 42). */
  seed: number;
  /** How often each measured phase is repeated (--repeat; default 1). Report medians. */
  repeat: number;
  /** A scratch folder for this run (--work), removed afterwards unless --keep. */
  workDir: string;
  /**
   * The demo files for this run, generated once (in a child process, so its memory is its own) and
   * shared by every step. `generateSeconds` and `generatePeakRssMiB` describe that generation.
   */
  demo(): Promise<DemoFiles>;
  /**
   * A DuckDB file holding the demo loaded through leadcal's loader: the one the load step built if it ran,
   * else loaded now (not measured). Steps that read it should copy it if they write.
   */
  loadedDb(): Promise<string>;
  /** Lets a step offer something it built to later steps (the load step offers "loadedDb"). */
  share(key: string, value: string): void;
  /** Progress and notes, on stderr. */
  log(line: string): void;
  /** Adds a line to the summary table printed after every size has run (one per step and size). */
  record(r: BenchRecord): void;
}

/**
 * One line of the summary: a step's wall time, what it processed and its peak resident memory; or the
 * built site's files with their bytes (name -> bytes, content hashes taken out), compared across sizes.
 */
export interface BenchRecord {
  step: string;
  seconds?: number;
  rows?: number;
  unit?: "rows" | "leads";
  peakRssMiB?: number;
  files?: Record<string, number>;
}

export interface DemoFiles extends GenerateResult {
  generatePeakRssMiB: number;
}

/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error("median of no values");
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The high-water mark of this process's resident memory, in MiB (Linux reports maxRSS in KiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Runs a TypeScript module in a fresh Node process (through tsx) with `args`, and returns the JSON
 * object it prints as its last stdout line. Each measured phase runs alone in its own process, so its
 * peak memory is its own. The child's stderr passes through.
 */
export async function runChild<T>(module: string | URL, args: string[]): Promise<T> {
  const file = typeof module === "string" ? module : fileURLToPath(module);
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, TZ: "UTC" },
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d: string) => {
    out += d;
  });
  const code = await new Promise<number>((res, rej) => {
    child.on("error", rej);
    child.on("close", (c) => res(c ?? 1));
  });
  if (code !== 0) throw new Error(`${file} ${args.join(" ")} exited with status ${code}`);
  const last = out.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as T;
}

/**
 * Samples DuckDB's own memory (its buffer manager's account, from duckdb_memory()) on a second
 * connection while `work` runs, and returns the highest sample in MiB.
 */
export async function withDuckdbPeak<T>(
  instance: DuckDBInstance,
  work: () => Promise<T>,
): Promise<[T, number]> {
  const probe = await instance.connect();
  let peak = 0;
  let running = true;
  const sample = async () => {
    while (running) {
      const r = await probe.runAndReadAll(
        "select coalesce(sum(memory_usage_bytes), 0)::double as b from duckdb_memory()",
      );
      peak = Math.max(peak, Number(r.getRowObjectsJson()[0]?.b ?? 0));
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  const sampler = sample();
  try {
    return [await work(), peak / 2 ** 20];
  } finally {
    running = false;
    await sampler.catch(() => {});
    probe.closeSync();
  }
}

/**
 * A private copy of the loaded database (and its WAL) for a step that writes, at `workDir/NAME.duckdb`;
 * `remove()` deletes it afterwards.
 */
export async function copyOfLoadedDb(
  ctx: BenchContext,
  name: string,
): Promise<{ db: string; remove(): void }> {
  const loaded = await ctx.loadedDb();
  const db = join(ctx.workDir, `${name}.duckdb`);
  const remove = () => {
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  };
  remove();
  copyFileSync(loaded, db);
  if (existsSync(`${loaded}.wal`)) copyFileSync(`${loaded}.wal`, `${db}.wal`);
  return { db, remove };
}
