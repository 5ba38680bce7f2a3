import { Command, CommanderError } from "commander";
import { isUserError } from "../errors.ts";
import { registerCommands } from "./commands/index.ts";
import { ExitStatus } from "./context.ts";

/** `leadcal <verb>`: each verb lives in ./commands and stays thin (parse, call the library, print). */
export function buildProgram(): Command {
  const program = new Command("leadcal")
    .description("Calibrate B2B lead scoring against real conversions, and publish the reports.")
    .option("--db <path>", "DuckDB file to use (default: $LEADCAL_DB or data/leadcal.duckdb)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program);
  return program;
}

/**
 * Runs `leadcal ARGV` and returns the exit status the process ends with: 0, 1 for failed checks,
 * 2 for a user mistake (a refused file, a bad flag), 3 for a database in use. Commands report a
 * failure by throwing (ExitStatus after printing, or UserError with its message), never through
 * process.exitCode.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    // --help and --version end with 0; a mistake on the command line is a user mistake: 2.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ExitStatus) return e.exitCode;
    if (isUserError(e)) {
      process.stderr.write(`leadcal: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

const invoked = process.argv[1] ?? "";
if (/main\.ts$|leadcal(\.js)?$/.test(invoked)) {
  // The only place the process's exit status is set: what main returns is what the shell sees.
  process.exitCode = await main(process.argv.slice(2));
}
