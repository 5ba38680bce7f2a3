import type { DuckDBConnection } from "@duckdb/node-api";
import { type BatchStatus, type RejectReason, readStatus, type TableStatus } from "../db/status.ts";
import type { ReportSettings } from "../settings.ts";
import { type Coverage, readCoverage } from "./coverage.ts";
import { prepareMilestones, type StageInfo } from "./milestones.ts";
import { type AsOf, resolveAsOf } from "./periods.ts";
import { queryRows } from "./query.ts";

/**
 * The Data page: what is loaded (tables, rows, date ranges), the load batches, rejected rows
 * counted by reason, the stage history, and what each page can compute from all that.
 * Reject reasons are shown with quoted values masked (`'…'`): a refused value can be personal data.
 */

export interface StageEntryRow {
  stage: string;
  entries: number;
  dated: number;
  leads: number;
}

export interface PageReadiness {
  page: string;
  status: "complete" | "partial" | "missing";
  needs: string;
  detail: string;
}

export interface DataReport {
  asOf: AsOf;
  tables: TableStatus[];
  batches: BatchStatus[];
  rejects: RejectReason[];
  stages: StageEntryRow[];
  funnelStages: StageInfo[];
  pages: PageReadiness[];
  lastLoadAt: string | null;
  coverage: Coverage;
}

const STAGES_SQL = `
select stage, count(*)::integer as entries, count(entered_at)::integer as dated,
       count(distinct lead_id)::integer as leads
from lead_stage_changes
group by stage
order by case stage when 'lead' then 1 when 'mql' then 2 when 'sql' then 3 when 'opportunity' then 4
  when 'won' then 5 when 'lost' then 6 when 'disqualified' then 7 when 'recycled' then 8 else 9 end, stage
`;

/** Masks what could be a person's data in free text: e-mail addresses and long digit runs. */
export function maskReason(reason: string): string {
  return reason
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/[^\s@'"]+@[^\s@'"]+/g, "…@…")
    .replace(/\+?\d[\d\s().-]{6,}\d/g, "…");
}

function readiness(c: Coverage, stages: StageInfo[]): PageReadiness[] {
  const rec = (k: string) => stages.some((s) => s.key === k && s.recorded);
  const pages: PageReadiness[] = [];
  const lacking = (items: [boolean, string][]) => items.filter(([ok]) => !ok).map(([, what]) => what);

  const overviewMissing = lacking([
    [rec("mql"), "MQL stage"],
    [rec("sql"), "SQL stage"],
    [rec("won"), "won deals"],
    [c.wonDealsWithAmount > 0, "deal amounts"],
    [c.costs > 0, "costs"],
  ]);
  pages.push({
    page: "Overview",
    needs: "leads; stage history; won deals with amounts; costs",
    status: c.leads === 0 ? "missing" : overviewMissing.length ? "partial" : "complete",
    detail: c.leads === 0 ? "no leads" : overviewMissing.length ? `no ${overviewMissing.join(", ")}` : "",
  });

  const funnelMissing = lacking([
    [rec("mql"), "MQL stage"],
    [rec("sql"), "SQL stage"],
    [rec("opportunity"), "opportunity stage"],
    [rec("won"), "won stage"],
    [c.leadsWithEmployees > 0, "company size"],
    [c.leadsWithIndustry > 0, "industry"],
  ]);
  pages.push({
    page: "Funnel",
    needs: "leads with dates and channel; stage history or deals; company size and industry",
    status: c.leads === 0 ? "missing" : funnelMissing.length ? "partial" : "complete",
    detail: c.leads === 0 ? "no leads" : funnelMissing.length ? `no ${funnelMissing.join(", ")}` : "",
  });

  const costMissing = lacking([
    [c.costs > 0, "costs"],
    [rec("sql"), "SQL stage"],
  ]);
  pages.push({
    page: "Cost per SQL",
    needs: "costs by period, channel and team; SQL stage dates",
    status: costMissing.length === 2 ? "missing" : costMissing.length ? "partial" : "complete",
    detail: costMissing.length ? `no ${costMissing.join(", ")}` : "",
  });

  const slaMissing = lacking([
    [c.sqlEntries > 0, "SQL stage dates"],
    [c.salesTouches > 0, "sales touches"],
  ]);
  pages.push({
    page: "Service levels",
    needs: "dated SQL stage changes; sales touches (calls, emails, meetings)",
    status: c.sqlEntries === 0 ? "missing" : slaMissing.length ? "partial" : "complete",
    detail: slaMissing.length ? `no ${slaMissing.join(", ")}` : "",
  });
  return pages;
}

export async function dataReport(conn: DuckDBConnection, settings: ReportSettings): Promise<DataReport> {
  const asOf = await resolveAsOf(conn, settings);
  const milestones = await prepareMilestones(conn);
  const coverage = await readCoverage(conn);
  const status = await readStatus(conn);
  const stages = await queryRows<StageEntryRow>(conn, STAGES_SQL);
  return {
    asOf,
    tables: status.tables,
    batches: status.batches,
    rejects: status.rejects.map((r) => ({ ...r, reason: maskReason(r.reason) })),
    stages,
    funnelStages: milestones.stages,
    pages: readiness(coverage, milestones.stages),
    lastLoadAt: status.lastLoadAt,
    coverage,
  };
}
