// Preloaded (`node --import`) into a leadcal process that the loop benchmark runs. It only watches:
// when the process exits, it writes the process's peak resident memory (maxRSS, in KiB, which
// includes DuckDB's native memory and the fit's worker thread) to $LEADCAL_BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.LEADCAL_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
