import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { progressMode } from "../../src/cli/progress.ts";
import { BIN, type CliRun, collect, runProcess, tempDir } from "../helpers/cli.ts";

/**
 * Progress of the long commands (src/cli/progress.ts), as a user sees it from the real process: nothing
 * extra without a terminal, plain lines with LEADCAL_PROGRESS, and on a terminal (a pseudo-terminal from
 * util-linux `script`) a line redrawn on stderr and cleared at the end.
 */
const SCRIPT = "/usr/bin/script";
const QUIET = { LEADCAL_PROGRESS: undefined };
const LABELS = ["demo", "load", "score", "calibrate", "thresholds", "build", "start"];
/** Terminal control: escape sequences and carriage returns. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal control characters
const CONTROL = /[\u001b\r]/;

let dir: string;
let db: string;
let demo: CliRun;

beforeAll(async () => {
  dir = tempDir("leadcal-progress-");
  db = join(dir, "demo.duckdb");
  const args = ["--db", db, "demo", "--leads", "2000", "--end", "2026-11-01", "--out", join(dir, "files")];
  demo = await runProcess(args, { env: QUIET });
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);

const calibrateArgs = (out: string) => [
  "--db",
  db,
  "calibrate",
  "--out",
  join(dir, out),
  "--bootstrap",
  "50",
];

/** No line a progress report would print ("calibrate: population ..."), and no terminal control. */
function noProgress(r: CliRun): void {
  expect(r.stdout + r.stderr).not.toMatch(CONTROL);
  for (const line of (r.stdout + r.stderr).split("\n"))
    expect(
      LABELS.some((l) => line.startsWith(`${l}: `)),
      line,
    ).toBe(false);
}

describe("progressMode", () => {
  it.each([
    [true, undefined, "bar"],
    [true, "1", "bar"],
    [true, "0", "off"],
    [false, undefined, "off"],
    [false, "", "off"],
    [false, "0", "off"],
    [false, "1", "lines"],
    [false, "yes", "lines"],
  ] as const)("stderr a terminal %s, LEADCAL_PROGRESS %s: %s", (tty, setting, mode) => {
    expect(progressMode(tty, setting)).toBe(mode);
  });
});

describe("without a terminal", () => {
  it("demo, score, calibrate and thresholds print only their own output", async () => {
    expect(demo.stderr).toBe("");
    noProgress(demo);
    const score = await runProcess(["--db", db, "score"], { env: QUIET });
    expect(score.code, score.stderr).toBe(0);
    expect(score.stderr).toBe("");
    noProgress(score);
    const cal = await runProcess(calibrateArgs("quiet.yaml"), { env: QUIET });
    expect(cal.code, cal.stderr).toBe(0);
    noProgress(cal);
    // calibrate's own notes, as before: the population, the penalty, the measuring, warnings
    for (const line of cal.stderr.split("\n").filter(Boolean))
      expect(line).toMatch(
        /^(population: |fitted: |rounding to whole points |measuring both definitions |warning: )/,
      );
    expect(cal.stdout).toMatch(/Wrote the draft/);
    const thr = await runProcess(["--db", db, "thresholds"], { env: QUIET });
    expect(thr.code, thr.stderr).toBe(0);
    expect(thr.stderr).toBe("");
    noProgress(thr);
  }, 120_000);

  it("with LEADCAL_PROGRESS=1, plain lines on stderr, the first and last of a counted step among them", async () => {
    const r = await runProcess(calibrateArgs("lines.yaml"), { env: { LEADCAL_PROGRESS: "1" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
    expect(r.stderr).toMatch(/^calibrate: population: each lead's scoring moment and outcome$/m);
    expect(r.stderr).toMatch(/^calibrate: cross-validation \(0\/30\)$/m);
    expect(r.stderr).toMatch(/^calibrate: cross-validation \(30\/30\)$/m);
    expect(r.stderr).toMatch(/^calibrate: writing the model registry$/m);
    expect(r.stderr).toMatch(/^fitted: L2 penalty/m);
    expect(r.stdout).not.toMatch(/^calibrate: /m);
  }, 60_000);
});

/** Runs leadcal under a pseudo-terminal (util-linux script): what the terminal received. */
async function underTerminal(args: string[]): Promise<{ code: number; screen: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const env = { ...process.env, TZ: "UTC", LEADCAL_DB: "", LEADCAL_PROGRESS: undefined };
  const r = await collect(SCRIPT, ["-qfec", command, "/dev/null"], { env });
  return { code: r.code, screen: r.stdout };
}

describe("on a terminal", () => {
  it.skipIf(!existsSync(SCRIPT))(
    "calibrate redraws one line with its step, a bar for counted steps, and clears it before its report",
    async () => {
      const { code, screen } = await underTerminal(calibrateArgs("tty.yaml"));
      expect(code, screen).toBe(0);
      expect(screen).toMatch(/calibrate population: each lead's scoring moment and outcome \d+:\d\d/);
      expect(screen).toMatch(/calibrate \[[█░]{20}\] \d+\/30 cross-validation \d+:\d\d/);
      expect(screen).toMatch(/calibrate writing the model registry/);
      // cleared at the end (readline's clearScreenDown), and the report printed after
      const cleared = screen.lastIndexOf("\u001b[0J");
      expect(cleared).toBeGreaterThan(0);
      expect(screen.indexOf("Wrote the draft")).toBeGreaterThan(cleared);
      // calibrate's notes still reach the terminal, above the bar
      expect(screen).toMatch(/fitted: L2 penalty/);
    },
    60_000,
  );
});
