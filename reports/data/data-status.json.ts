// Data for the data-status page: see src/report/data-status.ts for what it computes and how.

import { dataReport } from "../../src/report/data-status.ts";
import { runLoader } from "../../src/report/loader.ts";

await runLoader(dataReport);
