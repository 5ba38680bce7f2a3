import type { Command } from "commander";
import { registerApprove } from "./approve.ts";
import { registerBuild } from "./build.ts";
import { registerCalibrate } from "./calibrate.ts";
import { registerCheck } from "./check.ts";
import { registerDefinition } from "./definition.ts";
import { registerDemo } from "./demo.ts";
import { registerExportScores } from "./export-scores.ts";
import { registerLoad } from "./load.ts";
import { registerModels } from "./models.ts";
import { registerScore } from "./score.ts";
import { registerStart } from "./start.ts";
import { registerStatus } from "./status.ts";
import { registerThresholds } from "./thresholds.ts";

/** Every verb, one file each. Add a verb by writing its file and one line here. */
export function registerCommands(program: Command): void {
  registerStart(program);
  registerLoad(program);
  registerCheck(program);
  registerStatus(program);
  registerBuild(program);
  registerDefinition(program);
  registerScore(program);
  registerCalibrate(program);
  registerApprove(program);
  registerModels(program);
  registerThresholds(program);
  registerExportScores(program);
  registerDemo(program);
}
