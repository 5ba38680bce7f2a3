import { writeFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appliedSettings, type Db, openDb } from "../../src/db/connection.ts";
import { MEMORY_SHARE, parseSize } from "../../src/db/resources.ts";
import { UserError } from "../../src/errors.ts";
import { runProcess, tempDir } from "../helpers/cli.ts";

/**
 * openDb sets DuckDB's memory limit, threads and temporary folder (src/db/resources.ts): read back from
 * DuckDB itself with current_setting, so what is checked is what DuckDB really uses.
 */
const UNSET = { LEADCAL_MEMORY_LIMIT: undefined, LEADCAL_THREADS: undefined, LEADCAL_TEMP_DIR: undefined };
let dir: string;
let path: string;

beforeAll(async () => {
  dir = tempDir("leadcal-resources-");
  path = join(dir, "leadcal.duckdb");
  (await openDb(path, { env: {} })).close();
});

async function settingsOf(opts: Parameters<typeof openDb>[1]) {
  const db = await openDb(path, opts);
  try {
    return { applied: await appliedSettings(db.conn), resources: db.resources };
  } finally {
    db.close();
  }
}

/** DuckDB shows the limit to a tenth of its unit ("16.4 GiB"): equal to within that. */
function sameSize(shown: string, bytes: number): void {
  const read = parseSize(shown);
  expect(read, shown).not.toBeNull();
  expect(Math.abs((read as number) / bytes - 1), `${shown} against ${bytes} bytes`).toBeLessThan(0.005);
}

describe("openDb applies the settings it derives", () => {
  it("from the machine: 70% of its memory at most, all its cores, <database>.tmp", async () => {
    const { applied, resources } = await settingsOf({ env: {} });
    sameSize(applied.memoryLimit, resources.memoryBytes);
    expect(resources.memoryBytes).toBeLessThanOrEqual(MEMORY_SHARE * totalmem());
    if (resources.memoryFrom.includes("machine"))
      expect(resources.memoryBytes).toBe(Math.floor((MEMORY_SHARE * totalmem()) / 2 ** 20) * 2 ** 20);
    expect(applied.threads).toBe(availableParallelism());
    expect(applied.tempDirectory).toBe(`${path}.tmp`);
  });

  it("from LEADCAL_MEMORY_LIMIT, LEADCAL_THREADS and LEADCAL_TEMP_DIR, read-only too", async () => {
    const spill = join(dir, "spill");
    const env = { LEADCAL_MEMORY_LIMIT: "1GB", LEADCAL_THREADS: "1", LEADCAL_TEMP_DIR: spill };
    for (const readOnly of [false, true]) {
      const { applied } = await settingsOf({ env, readOnly });
      sameSize(applied.memoryLimit, 1e9);
      expect(applied.threads).toBe(1);
      expect(applied.tempDirectory.startsWith(join(spill, `leadcal-${process.pid}-`))).toBe(true);
    }
  });

  it("spills what does not fit in the memory limit into the temporary folder, instead of failing", async () => {
    const spill = join(dir, "spill-big");
    const db: Db = await openDb(path, { env: { LEADCAL_MEMORY_LIMIT: "100MiB", LEADCAL_TEMP_DIR: spill } });
    try {
      // 20 million rows of two 8-byte columns: about 320 MB, three times the limit
      await db.conn.run("create temp table big as select range as i, hash(range) as h from range(20000000)");
      const files = (
        await db.conn.runAndReadAll(
          "select count(*)::integer as n, min(path) as path, sum(size)::double as bytes from duckdb_temporary_files()",
        )
      ).getRowObjectsJson()[0];
      expect(Number(files?.n)).toBeGreaterThan(0);
      expect(String(files?.path).startsWith(db.resources.tempDirectory)).toBe(true);
      const count = (
        await db.conn.runAndReadAll("select count(*)::integer as n from big")
      ).getRowObjectsJson();
      expect(count[0]?.n).toBe(20000000);
    } finally {
      db.close();
    }
  });
});

describe("a bad setting is a user error, not a crash", () => {
  it.each([
    [{ LEADCAL_MEMORY_LIMIT: "lots" }, /LEADCAL_MEMORY_LIMIT: expected a size such as 8GB/],
    [{ LEADCAL_THREADS: "-2" }, /LEADCAL_THREADS: expected a whole number of threads, 1 or more; got '-2'/],
    [
      { LEADCAL_TEMP_DIR: "/nonexistent-leadcal/a/b" },
      /LEADCAL_TEMP_DIR: \/nonexistent-leadcal\/a\/b does not exist and cannot be created \(ENOENT\)/,
    ],
  ])("openDb with %o", async (env, message) => {
    await expect(openDb(path, { env })).rejects.toThrow(message);
    await expect(openDb(path, { env })).rejects.toBeInstanceOf(UserError);
  });

  it("LEADCAL_TEMP_DIR naming a file", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    await expect(openDb(path, { env: { LEADCAL_TEMP_DIR: file } })).rejects.toThrow(
      /LEADCAL_TEMP_DIR: .*a-file is a file, not a folder: set it to a folder you can write to/,
    );
  });

  it("the real process exits 2 with the message and no stack trace", async () => {
    const r = await runProcess(["--db", path, "status"], { env: { ...UNSET, LEADCAL_MEMORY_LIMIT: "8" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^leadcal: LEADCAL_MEMORY_LIMIT: expected a size such as 8GB or 512MiB .*; got '8'\n$/,
    );
  });
});

describe("leadcal status", () => {
  it("shows the memory limit, threads and temporary folder, and where each came from", async () => {
    const r = await runProcess(["--db", path, "status"], { env: UNSET });
    expect(r.code, r.stderr).toBe(0);
    const cores = availableParallelism();
    expect(r.stdout).toMatch(
      /\nDuckDB settings \(from this machine unless a variable sets them\)\n {2}memory limit {5}\d+\.\d [GM]iB: 70% of the (machine's|cgroup's memory limit,) \d+\.\d GiB \(LEADCAL_MEMORY_LIMIT\)\n/,
    );
    expect(r.stdout).toContain(
      `  threads          ${cores}: the ${cores === 1 ? "core" : `${cores} cores`} available (LEADCAL_THREADS)\n`,
    );
    expect(r.stdout).toContain(`  temporary files  ${path}.tmp: beside the database (LEADCAL_TEMP_DIR)\n`);
  });

  it("says which variable set a setting, and puts the settings in --json", async () => {
    const env = { ...UNSET, LEADCAL_THREADS: "1" };
    const text = await runProcess(["--db", path, "status"], { env });
    expect(text.stdout).toContain("  threads          1: set by LEADCAL_THREADS\n");
    const json = JSON.parse((await runProcess(["--db", path, "status", "--json"], { env })).stdout);
    expect(json.duckdb).toMatchObject({
      threads: 1,
      threadsFrom: "LEADCAL_THREADS",
      tempDirectory: `${path}.tmp`,
    });
  });
});
