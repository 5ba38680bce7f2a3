import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BuildsApartSequencer } from "./test/helpers/sequencer.ts";

export default defineConfig({
  // The pages' arquero import is its UMD browser bundle; in Node, use the ES entry (test/helpers/arquero.js).
  resolve: {
    alias: { "arquero/dist/arquero.js": fileURLToPath(new URL("test/helpers/arquero.js", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // One temp folder per run for the fixtures several test files share (test/helpers/shared-fixture.ts).
    globalSetup: ["test/helpers/fixtures-folder.ts"],
    env: { TZ: "UTC", OBSERVABLE_TELEMETRY_DISABLE: "true" },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    // A worker per core, not Vitest's default of one fewer: most of a file's time is spent waiting on the
    // processes it starts (leadcal, Framework's build, Chromium), so on 2 cores one worker left one idle.
    maxWorkers: availableParallelism(),
    // Each worker runs its files one after another in one process, importing src/ (and DuckDB) once
    // instead of once per file; every file makes its own temp folders and databases, and restores what
    // it changes in the process (test/helpers/cli.ts runCli), so files do not see each other's state.
    isolate: false,
    // Files that build the report site are kept apart where they can be: builds take turns.
    sequence: { sequencer: BuildsApartSequencer },
  },
});
