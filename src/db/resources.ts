import { join, resolve } from "node:path";
import { UserError } from "../errors.ts";

/**
 * What DuckDB may use on this machine: how much memory, how many threads, and where it writes the
 * temporary files a sort, join or aggregate spills to when it does not fit in that memory. Derived from
 * the machine (./connection.ts reads it) unless the environment says otherwise:
 *
 * - memory_limit: MEMORY_SHARE of the machine's memory, or of the cgroup's limit when that is smaller
 *   (a container); the rest is left to Node (calibration holds its design in JavaScript arrays) and the
 *   system. LEADCAL_MEMORY_LIMIT sets it, as DuckDB writes sizes ("8GB", "512MiB").
 * - threads: the cores this process may use (os.availableParallelism()). LEADCAL_THREADS sets it; the
 *   same variable at 1 also keeps calibration's fit off its second thread (src/stats/logistic-parallel.ts),
 *   so LEADCAL_THREADS=1 runs the whole of leadcal on one core.
 * - temp_directory: `<database>.tmp` beside the database file (DuckDB's own default for a file, named so
 *   that it shows); a folder of its own in the system's temporary folder for an in-memory database. With
 *   LEADCAL_TEMP_DIR, a folder of its own inside that one. "Of its own" because DuckDB instances that
 *   share a temporary folder overwrite and delete each other's files (duckdb/duckdb#15173); only one
 *   process at a time writes to a database file, so `<database>.tmp` is its own already.
 *
 * Pure: the machine and the environment come in as arguments. A bad value of a variable is a UserError
 * naming it (whether LEADCAL_TEMP_DIR can be written to is checked by openDb, which can look).
 */

/** The share of the memory DuckDB may use: DuckDB's default is 80%, which leaves Node too little. */
export const MEMORY_SHARE = 0.7;

/** The smallest LEADCAL_MEMORY_LIMIT accepted: below it a slip of the unit ("64KB") is the likelier story. */
export const MIN_MEMORY_LIMIT = 64 * 2 ** 20;

export interface Machine {
  /** Physical memory in bytes (os.totalmem()). */
  totalMemory: number;
  /** The cgroup's memory limit in bytes, null without one (see parseCgroupMemory). */
  cgroupMemory: number | null;
  /** Cores this process may use (os.availableParallelism()). */
  cores: number;
  /** The system's temporary folder (os.tmpdir()). */
  tmpdir: string;
  /** Names this DuckDB instance among all others on the machine: the process id and a count within it. */
  instance: string;
}

export interface ResourceEnv {
  LEADCAL_MEMORY_LIMIT?: string;
  LEADCAL_THREADS?: string;
  LEADCAL_TEMP_DIR?: string;
}

export interface DbResources {
  /** As DuckDB reads it ("17256MiB", or the text of LEADCAL_MEMORY_LIMIT). */
  memoryLimit: string;
  memoryBytes: number;
  /** Where the limit comes from, in words. */
  memoryFrom: string;
  threads: number;
  threadsFrom: string;
  tempDirectory: string;
  tempDirectoryFrom: string;
  /** LEADCAL_TEMP_DIR's folder (resolved), which must exist or be creatable; null when it is not set. */
  tempBase: string | null;
}

const UNITS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  k: 1e3,
  kb: 1e3,
  kilobyte: 1e3,
  kilobytes: 1e3,
  m: 1e6,
  mb: 1e6,
  megabyte: 1e6,
  megabytes: 1e6,
  g: 1e9,
  gb: 1e9,
  gigabyte: 1e9,
  gigabytes: 1e9,
  t: 1e12,
  tb: 1e12,
  terabyte: 1e12,
  terabytes: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * A size as DuckDB's memory_limit reads it, in bytes: a number and a unit, KB, MB, GB, TB for powers of
 * 1000 and KiB, MiB, GiB, TiB for powers of 1024, any case, a space between allowed (the units of
 * DuckDB's DBConfig::ParseMemoryLimit). Null for anything else, a bare number included.
 *
 * @example parseSize("8GB") // 8e9
 * @example parseSize("1.5 GiB") // 1610612736
 */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!m) return null;
  const unit = UNITS[(m[2] as string).toLowerCase()];
  return unit === undefined ? null : Number(m[1]) * unit;
}

/** Bytes for people, in powers of 1024 to one decimal: "16.8 GiB", "953.7 MiB". */
export function formatSize(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * A cgroup's memory limit from the text of its file: cgroup v2's memory.max holds a number of bytes or
 * "max"; cgroup v1's memory.limit_in_bytes a number, about 2^63 when unlimited (larger than any
 * machine's memory, so dbResources ignores it). Null for "max" or anything that is not a number.
 */
export function parseCgroupMemory(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** Memory, threads and temporary folder for the DuckDB database at `dbPath` (or ":memory:"). */
export function dbResources(dbPath: string, machine: Machine, env: ResourceEnv): DbResources {
  return { ...memory(machine, env), ...threads(machine, env), ...tempDirectory(dbPath, machine, env) };
}

/** The options DuckDBInstance.create takes for them. */
export function duckdbOptions(r: DbResources): Record<string, string> {
  return { memory_limit: r.memoryLimit, threads: String(r.threads), temp_directory: r.tempDirectory };
}

/** The value of a variable, unless it is unset or blank (`LEADCAL_X= leadcal ...` means the default). */
function given(value: string | undefined): string | null {
  return value === undefined || value.trim() === "" ? null : value.trim();
}

function memory(
  machine: Machine,
  env: ResourceEnv,
): Pick<DbResources, "memoryLimit" | "memoryBytes" | "memoryFrom"> {
  const raw = given(env.LEADCAL_MEMORY_LIMIT);
  if (raw !== null) {
    const bytes = parseSize(raw);
    if (bytes === null) {
      throw new UserError(
        `LEADCAL_MEMORY_LIMIT: expected a size such as 8GB or 512MiB (a number and a unit: KB, MB, GB, TB or KiB, MiB, GiB, TiB); got '${raw}'`,
      );
    }
    if (bytes < MIN_MEMORY_LIMIT) {
      throw new UserError(`LEADCAL_MEMORY_LIMIT: expected at least 64MiB; got '${raw}'`);
    }
    return { memoryLimit: raw, memoryBytes: bytes, memoryFrom: "LEADCAL_MEMORY_LIMIT" };
  }
  const limited = machine.cgroupMemory !== null && machine.cgroupMemory < machine.totalMemory;
  const of = limited ? (machine.cgroupMemory as number) : machine.totalMemory;
  const mib = Math.floor((of * MEMORY_SHARE) / 2 ** 20);
  const share = `${Math.round(MEMORY_SHARE * 100)}%`;
  return {
    memoryLimit: `${mib}MiB`,
    memoryBytes: mib * 2 ** 20,
    memoryFrom: limited
      ? `${share} of the cgroup's memory limit, ${formatSize(of)}`
      : `${share} of the machine's ${formatSize(of)}`,
  };
}

function threads(machine: Machine, env: ResourceEnv): Pick<DbResources, "threads" | "threadsFrom"> {
  const raw = given(env.LEADCAL_THREADS);
  if (raw === null) {
    const cores = Math.max(1, machine.cores);
    return { threads: cores, threadsFrom: `the ${cores === 1 ? "core" : `${cores} cores`} available` };
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UserError(`LEADCAL_THREADS: expected a whole number of threads, 1 or more; got '${raw}'`);
  }
  return { threads: n, threadsFrom: "LEADCAL_THREADS" };
}

function tempDirectory(
  dbPath: string,
  machine: Machine,
  env: ResourceEnv,
): Pick<DbResources, "tempDirectory" | "tempDirectoryFrom" | "tempBase"> {
  const raw = given(env.LEADCAL_TEMP_DIR);
  const own = `leadcal-${machine.instance}.tmp`;
  if (raw !== null) {
    const base = resolve(raw);
    return {
      tempDirectory: join(base, own),
      tempDirectoryFrom: "a folder of its own inside LEADCAL_TEMP_DIR",
      tempBase: base,
    };
  }
  if (dbPath === ":memory:") {
    return {
      tempDirectory: join(machine.tmpdir, own),
      tempDirectoryFrom: "a folder of its own in the system's temporary folder",
      tempBase: null,
    };
  }
  return { tempDirectory: `${dbPath}.tmp`, tempDirectoryFrom: "beside the database", tempBase: null };
}

/** The settings as `leadcal status` shows them: DuckDB's own values, where each came from, what sets it. */
export function formatResources(
  applied: { memoryLimit: string; threads: number; tempDirectory: string },
  r: DbResources,
): string[] {
  const from = (why: string, variable: string) =>
    why === variable ? `set by ${variable}` : `${why} (${variable})`;
  return [
    "DuckDB settings (from this machine unless a variable sets them)",
    `  memory limit     ${applied.memoryLimit}: ${from(r.memoryFrom, "LEADCAL_MEMORY_LIMIT")}`,
    `  threads          ${applied.threads}: ${from(r.threadsFrom, "LEADCAL_THREADS")}`,
    `  temporary files  ${applied.tempDirectory}: ${r.tempBase === null ? `${r.tempDirectoryFrom} (LEADCAL_TEMP_DIR)` : r.tempDirectoryFrom}`,
  ];
}
