// Data for the Thresholds page: see src/report/thresholds.ts for what it computes and how.
import { runLoader } from "../../src/report/loader.ts";
import { thresholdsReport } from "../../src/report/thresholds.ts";

await runLoader(thresholdsReport);
