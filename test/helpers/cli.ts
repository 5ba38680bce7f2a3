import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `leadcal ARGS` in this process, as a user would type it, and captures what it prints. The code
 * is what main() returns, which bin/leadcal.js makes the process's exit status (test/cli/exit-status
 * proves it against the real process); process.exitCode is not consulted.
 */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write, env: { ...process.env } };
  Object.assign(process.env, env);
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
