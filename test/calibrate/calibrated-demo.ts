import { join } from "node:path";
import { type CliRun, runProcess } from "../helpers/cli.ts";
import { sharedFixture } from "../helpers/shared-fixture.ts";

export interface CalibratedDemo {
  /** The demo database (20,000 leads, end 2026-11-01) after `leadcal calibrate`. */
  dbPath: string;
  /** The draft calibrate wrote. */
  draftPath: string;
  /** `leadcal demo` as it ran: its exit status and what it printed. */
  demo: CliRun;
  /** `leadcal calibrate --out <draftPath>` as it ran. */
  calibrate: CliRun;
}

/**
 * `leadcal demo --end 2026-11-01` then `leadcal calibrate` with its defaults, run by the real binary
 * once per test run for every test file that starts from a calibrated demo
 * (test/helpers/shared-fixture.ts). The exit statuses are the reader's to check; copy the database
 * (copyDb) and the draft before changing them.
 */
export function sharedCalibratedDemo(): Promise<CalibratedDemo> {
  return sharedFixture("calibrated-demo", async (dir) => {
    const dbPath = join(dir, "demo.duckdb");
    const draftPath = join(dir, "draft.yaml");
    const demo = await runProcess([
      "demo",
      "--db",
      dbPath,
      "--end",
      "2026-11-01",
      "--out",
      join(dir, "files"),
    ]);
    const calibrate =
      demo.code === 0
        ? await runProcess(["calibrate", "--db", dbPath, "--out", draftPath])
        : { code: -1, stdout: "", stderr: "not run: leadcal demo failed" };
    return { dbPath, draftPath, demo, calibrate };
  });
}
