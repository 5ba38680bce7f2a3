import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withDb } from "../db/connection.ts";
import { UserError } from "../errors.ts";
import type { OnProgress } from "../progress.ts";
import { resolveSettingsPath } from "../settings.ts";

/** The repository root: where observablehq.config.ts and reports/ live. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface BuildOptions {
  /** The DuckDB file the pages are built from. */
  dbPath: string;
  /** Where the static site goes (default dist/ under the project). */
  outDir?: string;
  /** The report settings file (default: LEADCAL_SETTINGS, else data/settings.yaml). */
  settingsPath?: string;
  /** Called with each line Framework prints (default: written to stderr). */
  log?: (line: string) => void;
  /** Each page and data loader as Framework starts it, counted against the pages and loaders in reports/. */
  onProgress?: OnProgress;
}

export interface BuildResult {
  outDir: string;
  ms: number;
  /** The site's pages, as paths relative to outDir ("index.html", "funnel.html", ...). */
  pages: string[];
}

/**
 * Builds the report site from a database: clears Framework's cache of loader output (it would
 * otherwise republish stale data, since a changed database does not invalidate it), then runs
 * `observable build` with LEADCAL_DB pointing at the database, so every data loader reads it.
 * Builds share that cache, so concurrent builds (two terminals, parallel tests) take turns.
 */
export async function buildSite(opts: BuildOptions): Promise<BuildResult> {
  const dbPath = resolve(opts.dbPath);
  if (!existsSync(dbPath)) {
    throw new UserError(
      `no leadcal database at ${dbPath}: run \`npx leadcal demo\` or \`npx leadcal load\` first`,
    );
  }
  // The loaders open the database read-only: bring its schema up to date first, so a database made by
  // an earlier leadcal has the tables newer pages read (model_versions, threshold_runs).
  await withDb(dbPath, async () => {});
  const outDir = resolve(opts.outDir ?? join(PROJECT_ROOT, "dist"));
  const settingsPath = resolve(opts.settingsPath ?? resolveSettingsPath());
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cacheDir = join(PROJECT_ROOT, "reports", ".observablehq", "cache");
  const release = await acquireLock(join(cacheDir, "build.lock"));
  const started = performance.now();
  try {
    rmSync(join(cacheDir, "data"), { recursive: true, force: true });
    clearOutput(outDir);
    ensureWritable(outDir);
    const bin = join(PROJECT_ROOT, "node_modules", ".bin");
    const env = {
      ...process.env,
      LEADCAL_DB: dbPath,
      LEADCAL_SETTINGS: settingsPath,
      LEADCAL_SITE_OUT: outDir,
      OBSERVABLE_TELEMETRY_DISABLE: "true",
      // Framework runs .ts loaders with `tsx` from PATH.
      PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    };
    const { code, tail } = await run(
      join(bin, "observable"),
      ["build"],
      { cwd: PROJECT_ROOT, env },
      opts.onProgress ? withProgressOf(log, opts.onProgress) : log,
    );
    if (code !== 0) {
      throw new UserError(
        `the site build failed (observable build exited with ${code}):\n${tail.join("\n")}`,
      );
    }
  } finally {
    release();
  }
  const pages = listFiles(outDir)
    .filter((f) => f.endsWith(".html") && !f.startsWith("_"))
    .sort();
  return { outDir, ms: performance.now() - started, pages };
}

/** Empties the output folder, but only if it is absent, empty or a site built before. */
function clearOutput(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) {
    throw new UserError(`${outDir} is a file, not a folder: choose another output folder`);
  }
  const entries = readdirSync(outDir);
  const isSite = entries.includes("_observablehq") || entries.length === 0;
  if (!isSite || relative(outDir, PROJECT_ROOT) === "" || !relative(outDir, PROJECT_ROOT).startsWith("..")) {
    throw new UserError(`${outDir} is not empty and holds no built site: choose another output folder`);
  }
  rmSync(outDir, { recursive: true, force: true });
}

/**
 * Creates the output folder and writes a probe file into it, so that a folder that cannot be
 * written fails here, naming it. The folders are made one level at a time: Node's recursive
 * mkdir never returns on a path under /proc (it retries ENOENT forever), and Framework's did
 * exactly that, at full CPU.
 */
function ensureWritable(outDir: string): void {
  const probe = join(outDir, ".leadcal-write-test");
  try {
    const missing: string[] = [];
    for (let d = outDir; !existsSync(d); d = dirname(d)) missing.unshift(d);
    for (const d of missing) mkdirSync(d);
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    throw new UserError(
      `cannot write the site into ${outDir} (${code ?? message}): choose an output folder you can write to`,
    );
  }
}

/**
 * The log, also read for Framework's "load PATH" (a page, or a data loader's output) to count the
 * site's pages and data loaders as they build. Only the count is read from the log; a line that does
 * not match changes nothing.
 */
function withProgressOf(log: (line: string) => void, onProgress: OnProgress): (line: string) => void {
  const reports = join(PROJECT_ROOT, "reports");
  const total =
    readdirSync(reports).filter((f) => f.endsWith(".md")).length +
    readdirSync(join(reports, "data")).filter((f) => /\.json\.[jt]s$/.test(f)).length;
  let done = 0;
  onProgress("starting Framework", 0, total);
  return (line) => {
    for (const m of line.matchAll(/\bload (\/\S+)/g)) {
      done = Math.min(done + 1, total);
      onProgress(`building ${m[1]}`, done, total);
    }
    log(line);
  };
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
  log: (line: string) => void,
): Promise<{ code: number; tail: string[] }> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const onData = (buf: Buffer) => {
      for (const raw of buf.toString("utf8").split("\n")) {
        // Framework colours its output; strip ANSI codes for logs and error messages.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape codes
        const line = raw.replace(/\u001b\[[0-9;]*m/g, "").trimEnd();
        if (!line) continue;
        log(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", fail);
    child.on("close", (code) => ok({ code: code ?? 1, tail }));
  });
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p)];
  });
}

/**
 * A lock shared by processes: a directory created atomically, holding the owner's PID. A lock whose
 * owner is gone is taken over; otherwise the caller waits (up to 15 minutes).
 */
async function acquireLock(path: string): Promise<() => void> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, "pid"), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (lockOwnerGone(path)) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new UserError(`another site build holds ${path}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function lockOwnerGone(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(path, "pid"), "utf8"));
  } catch {
    // No pid yet: the owner may be between mkdir and writeFile; treat a lock older than 10 s as stale.
    try {
      return Date.now() - statSync(path).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
