import { Command, CommanderError } from "commander";
import { isUserError } from "../errors.ts";
import { registerCommands } from "./commands/index.ts";

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

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isUserError(e)) {
      process.stderr.write(`leadcal: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

const invoked = process.argv[1] ?? "";
if (/main\.ts$|leadcal(\.js)?$/.test(invoked)) {
  process.exitCode = await main(process.argv.slice(2));
}
