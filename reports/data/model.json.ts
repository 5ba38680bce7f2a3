// Data for the Model page: see src/report/model.ts for what it computes and how.
import { runLoader } from "../../src/report/loader.ts";
import { modelReport } from "../../src/report/model.ts";

await runLoader(modelReport);
