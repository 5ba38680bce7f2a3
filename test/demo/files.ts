import { rmSync } from "node:fs";
import { type DuckDBConnection, DuckDBInstance, quotedString as qs } from "@duckdb/node-api";
import { type GenerateResult, generateDemo } from "../../src/demo/generate.ts";
import { DEMO_FILES, type DemoFile } from "../../src/demo/write.ts";
import { tempDir } from "../helpers/cli.ts";

/** The end every demo test uses: a fixed date, so no test reads the clock. */
export const END = new Date(Date.UTC(2026, 10, 1));
export const END_SQL = "timestamp '2026-11-01 00:00:00'";

const VIEWS: Record<DemoFile, string> = {
  leads: "leads",
  stageChanges: "stage_changes",
  activities: "activities",
  salesTouches: "sales_touches",
  deals: "deals",
  costs: "costs",
};

export interface DemoFixture {
  result: GenerateResult;
  conn: DuckDBConnection;
  /** Rows of a query over views named after the files (leads, stage_changes, activities, ...). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  one(sql: string): Promise<Record<string, unknown>>;
  /** Closes the database and deletes the generated files. */
  close(): void;
}

/** Generates a demo into a temporary folder and opens its files, as written, in an in-memory DuckDB. */
export async function demoFixture(leads = 5000, seed = 42): Promise<DemoFixture> {
  const result = await generateDemo({ outDir: tempDir("leadcal-demo-"), leads, seed, end: END });
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  for (const key of Object.keys(DEMO_FILES) as DemoFile[]) {
    await conn.run(
      `create table ${VIEWS[key]} as select * from read_csv(${qs(result.files[key])}, header = true)`,
    );
  }
  const rows = async (sql: string) =>
    (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  return {
    result,
    conn,
    rows,
    one: async (sql) => (await rows(sql))[0] ?? {},
    close() {
      conn.closeSync();
      instance.closeSync();
      rmSync(result.outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Fits P(y) = sigmoid(a + b * x) by Newton-Raphson (two parameters, so the 2x2 system is solved
 * directly). Used to check that outcomes follow the ground-truth log-odds: a ≈ 0 and b ≈ 1.
 */
export function fitCalibration(x: number[], y: number[]): { a: number; b: number } {
  let a = 0;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let j = 0; j < x.length; j++) {
      const xj = x[j] ?? 0;
      const p = 1 / (1 + Math.exp(-(a + b * xj)));
      const w = p * (1 - p);
      ga += (y[j] ?? 0) - p;
      gb += ((y[j] ?? 0) - p) * xj;
      haa += w;
      hab += w * xj;
      hbb += w * xj * xj;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}
