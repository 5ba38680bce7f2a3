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
