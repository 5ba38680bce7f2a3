import type { Command } from "commander";

/** Every verb, one file each. Add a verb by writing its file and one line here. */
export function registerCommands(program: Command): void {
  void program;
}
