import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder test/helpers/fixtures-folder.ts makes for this run's shared fixtures. */
    sharedFixtures: string;
  }
}

/**
 * A fixture that several test files read, built once per test run by whichever file asks first:
 * `build` gets a folder of its own and returns what the tests need to know (plain JSON). A file that
 * asks while another builds waits for it; a build that failed fails every file that asks. Test files
 * run in processes of their own, so the claim is a folder made with mkdir (made by one process only)
 * and the result a JSON file beside it. Whoever reads a shared fixture must not change it: copy
 * what is to be changed (copyDb).
 */
export async function sharedFixture<T>(name: string, build: (dir: string) => Promise<T>): Promise<T> {
  const root = inject("sharedFixtures");
  const dir = join(root, name);
  const done = join(root, `${name}.json`);
  const failed = join(root, `${name}.failed`);
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return awaitBuilt<T>(name, done, failed);
  }
  try {
    const value = await build(dir);
    writeFileSync(`${done}.part`, JSON.stringify(value));
    renameSync(`${done}.part`, done);
    return value;
  } catch (e) {
    writeFileSync(failed, e instanceof Error ? (e.stack ?? e.message) : String(e));
    throw e;
  }
}

/** Waits for another process's build; the hook's timeout bounds the wait. */
async function awaitBuilt<T>(name: string, done: string, failed: string): Promise<T> {
  for (;;) {
    if (existsSync(done)) return JSON.parse(readFileSync(done, "utf8")) as T;
    if (existsSync(failed)) {
      throw new Error(`the shared fixture ${name} failed to build:\n${readFileSync(failed, "utf8")}`);
    }
    await sleep(200);
  }
}

/** Copies a DuckDB file, and its write-ahead log if it has one, so the copy can be changed. */
export function copyDb(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
}
