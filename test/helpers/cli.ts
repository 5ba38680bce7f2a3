import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `leadcal ARGS` in this process, as a user would type it, and captures what it prints. The code
 * is what main() returns, which bin/leadcal.js makes the process's exit status (test/cli/exit-status
 * proves it against the real process); process.exitCode is not consulted. What is captured is what a
 * pipe would get: LEADCAL_PROGRESS=0 (unless `env` sets it), so no progress line is drawn even when the
 * tests run on a terminal.
 */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write, env: { ...process.env } };
  Object.assign(process.env, { LEADCAL_PROGRESS: "0" }, env);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.env = saved.env;
  }
  return { code, stdout: out.join(""), stderr: err.join("") };
}

export function tempDir(prefix = "leadcal-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The real entry point, `npx leadcal`. */
export const BIN = resolve(import.meta.dirname, "../../bin/leadcal.js");

/**
 * Runs the real `bin/leadcal.js ARGS` as a child process, as a shell would, with stdout and stderr on
 * pipes (not a terminal), TZ=UTC and LEADCAL_DB unset unless `env` sets it. `env` goes on top of this
 * process's environment; a variable set to undefined there is removed.
 */
export function runProcess(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  return collect(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, TZ: "UTC", LEADCAL_DB: "", ...opts.env },
  });
}

/** Runs `command ARGS` with no stdin and collects what it prints and its exit status. */
export function collect(
  command: string,
  args: string[],
  opts: { cwd?: string; env: Record<string, string | undefined> },
): Promise<CliRun> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString("utf8");
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code) => ok({ code: code ?? -1, stdout, stderr }));
  });
}
