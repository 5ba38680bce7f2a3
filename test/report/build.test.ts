import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/connection.ts";
import { UserError } from "../../src/errors.ts";
import { buildSite } from "../../src/report/build.ts";
import { tempDir } from "../helpers/cli.ts";

/** Output folders a build cannot use fail at once, naming the folder, before Framework runs. */
let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = tempDir("leadcal-build-");
  dbPath = join(dir, "leadcal.duckdb");
  (await openDb(dbPath)).close();
});

describe("buildSite output folder", () => {
  it("fails before Framework runs on a folder that cannot be created (under /proc), naming it", async () => {
    const outDir = "/proc/leadcal-test-site/q3";
    // every line Framework prints goes through log: none means it never started
    const logged: string[] = [];
    const err = await buildSite({ dbPath, outDir, log: (l) => logged.push(l) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/cannot write the site into \/proc\/leadcal-test-site\/q3/);
    expect(logged).toEqual([]);
  });

  it("refuses a path that is a file", async () => {
    const outDir = join(dir, "site.txt");
    writeFileSync(outDir, "not a folder");
    const err = await buildSite({ dbPath, outDir, log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/site\.txt is a file, not a folder/);
  });
});
