// Data for the model page: src/report/cache.ts names its report query (src/report/) and its inputs.
import { runLoader } from "../../src/report/loader.ts";

await runLoader("model");
