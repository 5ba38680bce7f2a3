import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withDb } from "../../src/db/connection.ts";
import { DEFAULT_DEFINITION } from "../../src/scoring/index.ts";
import { type BenchContext, type BenchFigures, type BenchStep, copyOfLoadedDb, round } from "./step.ts";

/**
 * The quarterly loop as an analyst runs it: the real `leadcal` binary (bin/leadcal.js), one process per
 * command, on a copy of the loaded demo: check, score, calibrate, thresholds, build. For each command:
 * wall time (spawn to exit, Node's start-up included), rows or leads per second, and the process's peak
 * resident memory (DuckDB's native memory and the fit's worker included): GNU time's maximum resident
 * set size where /usr/bin/time exists (the largest process of the command's tree), else a preloaded probe
 * (rss-probe.mjs) that only writes the leadcal process's maxRSS at exit. The site's files are measured too: their bytes must
 * not grow with the number of leads.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const BIN = join(ROOT, "bin", "leadcal.js");
const PROBE = join(HERE, "rss-probe.mjs");
const GNU_TIME = "/usr/bin/time";

interface CliRun {
  seconds: number;
  peakRssMiB: number;
  status: number;
}

/** Runs `leadcal ARGS` as its own process from the repository root; output goes to `logFile`. */
async function runLeadcal(args: string[], logFile: string, rssFile: string): Promise<CliRun> {
  rmSync(rssFile, { force: true });
  const log = createWriteStream(logFile, { flags: "a" });
  log.write(`$ leadcal ${args.join(" ")}\n`);
  const started = performance.now();
  // GNU time, where the machine has it, reports the largest process of the tree (the site build runs
  // Framework's data loaders as child processes); otherwise the probe reports the leadcal process.
  const node = [process.execPath, "--import", PROBE, BIN, ...args];
  const argv = existsSync(GNU_TIME) ? [GNU_TIME, "-f", "%M", "-o", rssFile, ...node] : node;
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TZ: "UTC", ...(existsSync(GNU_TIME) ? {} : { LEADCAL_BENCH_RSS_FILE: rssFile }) },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const status = await new Promise<number>((res, rej) => {
    child.on("error", rej);
    child.on("close", (c) => res(c ?? 1));
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((res) => log.end(res));
  const kib = existsSync(rssFile)
    ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop())
    : Number.NaN;
  return { seconds, peakRssMiB: kib / 1024, status };
}

function tail(file: string, lines = 15): string {
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** Every file under `dir`, relative, with Framework's content hash taken out of its name. */
function siteFiles(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p).replace(/\.[0-9a-f]{8}(?=\.)/, "")] = statSync(p).size;
    }
  };
  walk(dir);
  return out;
}

export const step: BenchStep = {
  name: "loop",
  description:
    "the quarterly loop through the real leadcal binary, one process per command: check, score, calibrate, thresholds, build",
  order: 40,
  async run(ctx: BenchContext): Promise<BenchFigures> {
    const { db, remove } = await copyOfLoadedDb(ctx, "loop");
    const counts = await withDb(db, async (d) => {
      const r = await d.conn.runAndReadAll(
        `select (select count(*) from leads)::bigint as leads,
                (select count(*) from leads)
                + (select count(*) from lead_stage_changes) + (select count(*) from activities)
                + (select count(*) from sales_touches) + (select count(*) from deals)
                + (select count(*) from costs) as rows`,
      );
      const row = r.getRowObjectsJson()[0] ?? {};
      return { leads: Number(row.leads), rows: Number(row.rows) };
    });
    const logFile = join(ctx.workDir, "loop.log");
    rmSync(logFile, { force: true });
    const rssFile = join(ctx.workDir, "loop.rss");
    const draft = join(ctx.workDir, "loop-draft.yaml");
    const site = join(ctx.workDir, "loop-site");
    rmSync(site, { recursive: true, force: true });
    const definition = resolve(DEFAULT_DEFINITION);
    const commands: { name: string; args: string[]; rows: number; unit: "rows" | "leads" }[] = [
      { name: "check", args: ["check"], rows: counts.rows, unit: "rows" },
      { name: "score", args: ["score", "--definition", definition], rows: counts.leads, unit: "leads" },
      {
        name: "calibrate",
        args: ["calibrate", "--definition", definition, "--out", draft],
        rows: counts.leads,
        unit: "leads",
      },
      {
        name: "thresholds",
        args: ["thresholds", "--definition", definition],
        rows: counts.leads,
        unit: "leads",
      },
      { name: "build", args: ["build", "--quiet", "--out", site], rows: counts.leads, unit: "leads" },
    ];
    const figures: BenchFigures = { leads: counts.leads, rows: counts.rows };
    try {
      for (const c of commands) {
        ctx.log(`loop: leadcal ${c.name}`);
        const r = await runLeadcal(["--db", db, ...c.args], logFile, rssFile);
        if (r.status !== 0) {
          throw new Error(
            `leadcal ${c.args.join(" ")} exited with status ${r.status}; the end of ${logFile}:\n${tail(logFile)}`,
          );
        }
        ctx.log(`loop: leadcal ${c.name}: ${r.seconds.toFixed(1)} s, peak ${Math.round(r.peakRssMiB)} MiB`);
        figures[`${c.name}_s`] = round(r.seconds, 2);
        figures[`${c.name}_${c.unit}_per_s`] = Math.round(c.rows / r.seconds);
        figures[`${c.name}_peak_rss_mib`] = Math.round(r.peakRssMiB);
        ctx.record({
          step: c.name,
          seconds: r.seconds,
          rows: c.rows,
          unit: c.unit,
          peakRssMiB: r.peakRssMiB,
        });
      }
      const files = siteFiles(site);
      const sizes = Object.values(files);
      figures.site_files = sizes.length;
      figures.site_kib = round(sizes.reduce((s, b) => s + b, 0) / 1024, 1);
      const largest = Object.entries(files).sort((a, b) => b[1] - a[1])[0];
      if (largest) figures.site_largest_file = `${largest[0]} (${round(largest[1] / 1024, 1)} KiB)`;
      ctx.record({ step: "site files", files });
    } finally {
      remove();
    }
    figures.log = logFile;
    return figures;
  },
};
