// Data for the service-levels page: see src/report/service-levels.ts for what it computes and how.
import { runLoader } from "../../src/report/loader.ts";
import { serviceLevelReport } from "../../src/report/service-levels.ts";

await runLoader(serviceLevelReport);
