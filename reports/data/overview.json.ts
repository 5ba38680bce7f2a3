// Data for the overview page: see src/report/overview.ts for what it computes and how.
import { runLoader } from "../../src/report/loader.ts";
import { overviewReport } from "../../src/report/overview.ts";

await runLoader(overviewReport);
