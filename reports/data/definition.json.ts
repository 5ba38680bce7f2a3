// Data for the Definition page: see src/report/definition.ts for what it computes and how.
import { definitionReport } from "../../src/report/definition.ts";
import { runLoader } from "../../src/report/loader.ts";

await runLoader(definitionReport);
