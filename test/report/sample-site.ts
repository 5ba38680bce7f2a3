import { join } from "node:path";
import { buildSite } from "../../src/report/build.ts";
import { sharedFixture } from "../helpers/shared-fixture.ts";
import { makeFixture } from "./fixture.ts";
import { fillSample } from "./sample-data.ts";

export interface SampleSite {
  /** The database: the sample CRM history (sample-data.ts) and nothing else, so no model and no sweep. */
  dbPath: string;
  /** The site built from it. */
  outDir: string;
}

/**
 * The site built from the sample history alone, built once per test run for every test file that
 * opens it (test/helpers/shared-fixture.ts): serve it and read it, change nothing in it.
 */
export function sharedSampleSite(): Promise<SampleSite> {
  return sharedFixture("sample-site", async (dir) => {
    const fx = await makeFixture(fillSample, dir);
    const { outDir } = await buildSite({ dbPath: fx.path, outDir: join(dir, "site"), log: () => {} });
    return { dbPath: fx.path, outDir };
  });
}
