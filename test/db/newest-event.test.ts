import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/connection.ts";
import { newestEventAt } from "../../src/db/newest-event.ts";
import { formatStatus, readStatus } from "../../src/db/status.ts";
import { resolveAsOf } from "../../src/report/periods.ts";
import { latestMoment } from "../../src/scoring/as-of.ts";
import { loadSettings } from "../../src/settings.ts";

/**
 * One meaning of "the latest moment in the data", shared by `leadcal status`, the report pages'
 * as-of date and scoring's `--as-of latest`. Record metadata (leads.updated_at) and cost periods
 * are not events.
 */
async function withMemoryDb<T>(sql: string, fn: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>) {
  const db = await openDb(":memory:");
  try {
    await db.conn.run(BATCH + sql);
    return await fn(db);
  } finally {
    db.close();
  }
}

const BATCH = `
  insert into load_batches (batch_id, file_name, file_path, checksum_sha256, size_bytes, format, mapping,
    target_tables, started_at, finished_at, rows_read, rows_loaded, rows_rejected, rows_inserted, rows_updated)
  values (1, 'leads.csv', '/x/leads.csv', 'abc', 10, 'csv', 'leadcal-leads', ['leads'],
    '2025-05-01 10:00:00', '2025-05-01 10:00:01', 2, 2, 0, 2, 0);
`;

const DATED = `
  insert into leads (lead_id, created_at, updated_at, batch_id) values
    ('L1', '2025-03-01 09:00:00', '2025-09-30 23:00:00', 1),
    ('L2', '2025-03-02 10:00:00', null, 1);
  insert into lead_stage_changes values ('L1', 'mql', '2025-03-10 12:00:00', 1);
  insert into deals (deal_id, lead_id, created_at, closed_at, outcome, batch_id) values
    ('D1', 'L1', '2025-03-20 08:00:00', '2025-04-14 17:30:00', 'won', 1);
  insert into activities values ('A1', 'L2', '2025-04-02 11:00:00', 'page_view', null, null, 1);
  insert into costs values ('2025-12-01', '2025-12-31', 'web', 'marketing', 100, 'USD', 1);
`;

describe("the newest event in the data", () => {
  it("is the same moment for status, the report pages and scoring's latest", async () => {
    await withMemoryDb(DATED, async (db) => {
      // The deal closed 2025-04-14 17:30 is the newest event: not updated_at (09-30), not the cost month (12).
      expect(await newestEventAt(db.conn)).toBe("2025-04-14 17:30:00");
      const status = await readStatus(db.conn, new Date("2025-04-15T12:00:00Z"));
      const report = await resolveAsOf(db.conn, { ...loadSettings(), asOf: null });
      const scoring = await latestMoment(db.conn);
      expect(status.latestEventAt?.slice(0, 10)).toBe("2025-04-14");
      expect(report.date).toBe("2025-04-14");
      // Scoring takes the midnight after it, so the whole last day counts.
      expect(scoring).toBe("2025-04-15 00:00:00");
      expect(status.daysSinceLatestEvent).toBe(1);
      expect(formatStatus(status).at(-1)).toMatch(/newest event 2025-04-14 \(1 day ago\)$/);
    });
  });

  it("is null for leads with a converted flag and no dates, and status says so plainly", async () => {
    const sql = `
      insert into leads (lead_id, channel, is_converted, batch_id) values
        ('L1', 'web', true, 1), ('L2', 'ads', false, 1);`;
    await withMemoryDb(sql, async (db) => {
      expect(await newestEventAt(db.conn)).toBeNull();
      expect(await latestMoment(db.conn)).toBeNull();
      expect((await resolveAsOf(db.conn, { ...loadSettings(), asOf: null })).date).toBeNull();
      const line = formatStatus(await readStatus(db.conn)).at(-1) ?? "";
      expect(line).toMatch(/^Freshness: last load 2025-05-01 10:00:01 UTC; no event carries a date/);
      expect(line).not.toMatch(/undefined|null/);
    });
  });
});
