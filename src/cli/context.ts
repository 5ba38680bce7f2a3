import type { Command } from "commander";
import { resolveDbPath } from "../db/connection.ts";

/** The database path chosen by the global --db flag (or LEADCAL_DB, or the default). */
export function dbPathOf(cmd: Command): string {
  const opts = cmd.optsWithGlobals() as { db?: string };
  return resolveDbPath(opts.db);
}

/** Output of a command goes to stdout; progress and notes to stderr. */
export function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * The failing exit status of a command that has already printed why (failed checks, a refused file).
 * Thrown rather than left in process.exitCode, so that main() returns it and nothing overwrites it.
 */
export class ExitStatus extends Error {
  readonly exitCode: number;

  constructor(exitCode: number) {
    super(`exit status ${exitCode}`);
    this.name = "ExitStatus";
    this.exitCode = exitCode;
  }
}

/** Ends the command with `status` (0 carries on): the status the shell sees. */
export function exitWith(status: number): void {
  if (status !== 0) throw new ExitStatus(status);
}
