// Data for the cost-per-sql page: see src/report/cost-per-sql.ts for what it computes and how.

import { costPerSqlReport } from "../../src/report/cost-per-sql.ts";
import { runLoader } from "../../src/report/loader.ts";

await runLoader(costPerSqlReport);
