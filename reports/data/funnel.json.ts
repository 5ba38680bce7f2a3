// Data for the funnel page: see src/report/funnel.ts for what it computes and how.

import { funnelReport } from "../../src/report/funnel.ts";
import { runLoader } from "../../src/report/loader.ts";

await runLoader(funnelReport);
