import { describe, expect, it } from "vitest";
import {
  dbResources,
  duckdbOptions,
  formatSize,
  type Machine,
  parseCgroupMemory,
  parseSize,
} from "../../src/db/resources.ts";
import { UserError } from "../../src/errors.ts";

const GiB = 2 ** 30;
/** The project's machine: 2 cores, 24 GiB, no cgroup limit. */
const MACHINE: Machine = {
  totalMemory: 24 * GiB,
  cgroupMemory: null,
  cores: 2,
  tmpdir: "/tmp",
  instance: "42-1",
};

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
}

describe("parseSize reads sizes as DuckDB's memory_limit does", () => {
  // The units of DuckDB's DBConfig::ParseMemoryLimit: KB..TB are powers of 1000, KiB..TiB of 1024.
  it.each([
    ["8GB", 8e9],
    ["8gb", 8e9],
    ["8 GB", 8e9],
    ["1.5GiB", 1.5 * GiB],
    ["512MiB", 512 * 2 ** 20],
    ["512MB", 512e6],
    ["2T", 2e12],
    ["100000000 bytes", 1e8],
  ])("%s is %d bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["8", "", "GB", "8 GB of memory", "-1GB", "8XB", "80%", "1e9B"])("'%s' is not a size", (text) => {
    expect(parseSize(text)).toBeNull();
  });

  it("formats bytes in powers of 1024, to one decimal", () => {
    expect(formatSize(16.8 * GiB)).toBe("16.8 GiB");
    expect(formatSize(1e9)).toBe("953.7 MiB");
    expect(formatSize(512)).toBe("512 bytes");
  });
});

describe("parseCgroupMemory", () => {
  it("reads a number of bytes (cgroup v2 memory.max, v1 memory.limit_in_bytes)", () => {
    expect(parseCgroupMemory("8589934592\n")).toBe(8 * GiB);
    expect(parseCgroupMemory("9223372036854771712\n")).toBe(2 ** 63 - 4096);
  });

  it("is null for no limit or anything else", () => {
    expect(parseCgroupMemory("max\n")).toBeNull();
    expect(parseCgroupMemory("")).toBeNull();
  });
});

describe("dbResources from the machine", () => {
  it("gives DuckDB 70% of the machine's memory, every core, and a temporary folder beside the database", () => {
    const r = dbResources("/data/leadcal.duckdb", MACHINE, {});
    // 0.7 x 24 GiB = 16.8 GiB = 17203.2 MiB, rounded down to whole MiB
    expect(r.memoryLimit).toBe("17203MiB");
    expect(r.memoryBytes).toBe(17203 * 2 ** 20);
    expect(r.memoryFrom).toBe("70% of the machine's 24.0 GiB");
    expect(r.threads).toBe(2);
    expect(r.tempDirectory).toBe("/data/leadcal.duckdb.tmp");
    expect(duckdbOptions(r)).toEqual({
      memory_limit: "17203MiB",
      threads: "2",
      temp_directory: "/data/leadcal.duckdb.tmp",
    });
  });

  it("takes the share of a cgroup limit smaller than the machine's memory", () => {
    const r = dbResources("/d.duckdb", { ...MACHINE, cgroupMemory: 8 * GiB }, {});
    expect(r.memoryLimit).toBe(`${Math.floor(0.7 * 8 * 1024)}MiB`);
    expect(r.memoryFrom).toBe("70% of the cgroup's memory limit, 8.0 GiB");
  });

  it("ignores a cgroup limit above the machine's memory (cgroup v1's 'unlimited' is about 2^63)", () => {
    const r = dbResources("/d.duckdb", { ...MACHINE, cgroupMemory: 2 ** 63 - 4096 }, {});
    expect(r.memoryLimit).toBe("17203MiB");
  });

  it("gives an in-memory database a temporary folder of its own in the system's", () => {
    const r = dbResources(":memory:", MACHINE, {});
    expect(r.tempDirectory).toBe("/tmp/leadcal-42-1.tmp");
    expect(r.tempBase).toBeNull();
  });
});

describe("dbResources from the environment", () => {
  it("takes LEADCAL_MEMORY_LIMIT as DuckDB reads it", () => {
    const r = dbResources("/d.duckdb", MACHINE, { LEADCAL_MEMORY_LIMIT: " 8GB " });
    expect(r.memoryLimit).toBe("8GB");
    expect(r.memoryBytes).toBe(8e9);
    expect(r.memoryFrom).toBe("LEADCAL_MEMORY_LIMIT");
  });

  it("takes LEADCAL_THREADS", () => {
    expect(dbResources("/d.duckdb", MACHINE, { LEADCAL_THREADS: "1" }).threads).toBe(1);
    expect(dbResources("/d.duckdb", MACHINE, { LEADCAL_THREADS: "8" }).threads).toBe(8);
  });

  it("puts the temporary files in a folder of their own inside LEADCAL_TEMP_DIR", () => {
    const r = dbResources("/d.duckdb", MACHINE, { LEADCAL_TEMP_DIR: "/scratch" });
    expect(r.tempDirectory).toBe("/scratch/leadcal-42-1.tmp");
    expect(r.tempBase).toBe("/scratch");
  });

  it("reads a blank variable as unset", () => {
    const env = { LEADCAL_MEMORY_LIMIT: "", LEADCAL_THREADS: " ", LEADCAL_TEMP_DIR: "" };
    expect(dbResources("/d.duckdb", MACHINE, env)).toEqual(dbResources("/d.duckdb", MACHINE, {}));
  });

  it.each([
    [
      { LEADCAL_MEMORY_LIMIT: "8" },
      /^LEADCAL_MEMORY_LIMIT: expected a size such as 8GB or 512MiB .*; got '8'$/,
    ],
    [{ LEADCAL_MEMORY_LIMIT: "lots" }, /^LEADCAL_MEMORY_LIMIT: expected a size .*; got 'lots'$/],
    [{ LEADCAL_MEMORY_LIMIT: "64KB" }, /^LEADCAL_MEMORY_LIMIT: expected at least 64MiB; got '64KB'$/],
    [{ LEADCAL_THREADS: "0" }, /^LEADCAL_THREADS: expected a whole number of threads, 1 or more; got '0'$/],
    [{ LEADCAL_THREADS: "2.5" }, /^LEADCAL_THREADS: .*got '2\.5'$/],
    [{ LEADCAL_THREADS: "all" }, /^LEADCAL_THREADS: .*got 'all'$/],
  ])("a bad value is a user error naming the variable: %o", (env, message) => {
    const e = thrown(() => dbResources("/d.duckdb", MACHINE, env));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(message);
  });
});
