import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { runDemo } from "../../src/demo/index.ts";
import { tempDir } from "../helpers/cli.ts";

describe("runDemo on a database that already holds a demo", () => {
  it("refuses a demo made with other options, unless asked to replace it (as npm start does next month)", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "demo.duckdb");
    const outDir = join(dir, "demo");
    await runDemo({ dbPath, outDir, leads: 300, end: new Date("2026-10-01T00:00:00Z") });
    const later = { dbPath, outDir, leads: 300, end: new Date("2026-11-01T00:00:00Z") };
    await expect(runDemo(later)).rejects.toThrow(
      /already holds the demo with seed 42, 300 leads, ending 2026-10-01/,
    );
    const r = await runDemo({ ...later, replaceOtherDemo: true });
    expect(r.loads.every((l) => l.status === "loaded")).toBe(true);
    const newest = await withDb(dbPath, async ({ conn }) =>
      (
        await conn.runAndReadAll(
          "select max(created_at)::varchar m, (select count(*) from load_batches)::int b from leads",
        )
      ).getRowObjectsJS(),
    );
    expect(newest[0]?.b).toBe(6);
    expect(String(newest[0]?.m) < "2026-11-01").toBe(true);
    expect(String(newest[0]?.m) >= "2026-10-01").toBe(true);
  });

  it("still refuses a database holding a user's own loads", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "mine.duckdb");
    const { writeFileSync } = await import("node:fs");
    const f = join(dir, "leads.csv");
    writeFileSync(f, "lead_id\nX1\n");
    const { loadFiles } = await import("../../src/load/load.ts");
    await withDb(dbPath, (db) => loadFiles(db, [f], { table: "leads" }));
    await expect(
      runDemo({ dbPath, outDir: join(dir, "demo"), leads: 300, replaceOtherDemo: true }),
    ).rejects.toThrow(/already holds data loaded from .*leads.csv/);
  });
});
