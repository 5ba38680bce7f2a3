import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Db, withDb } from "../../src/db/connection.ts";
import { type LoadResult, loadFiles } from "../../src/load/load.ts";
import { listPresets } from "../../src/load/mapping.ts";

/*
 * The CRM presets against synthetic files shaped like the real exports in
 * /work/shared/crm-exports/README.md (invented people, example domains, 555 numbers).
 * Each case loads through the real loader into a fresh DuckDB file.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "presets");
const fixture = (name: string) => join(FIXTURES, name);

async function withTempDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "leadcal-presets-"));
  try {
    return await withDb(join(dir, "leadcal.duckdb"), fn);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function load(db: Db, preset: string, file: string): Promise<LoadResult> {
  const [result] = await loadFiles(db, [fixture(file)], { preset });
  if (!result) throw new Error(`no result for ${file}`);
  return result;
}

type Row = Record<string, unknown>;

async function rows(db: Db, sql: string): Promise<Row[]> {
  return (await db.conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
}

async function byId(db: Db, sql: string, id: string): Promise<Map<string, Row>> {
  return new Map((await rows(db, sql)).map((r) => [String(r[id]), r]));
}

/** lead_id -> "stage@entered_at" in time order, as one comparable list per lead. */
async function stageHistory(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const r of await rows(
    db,
    "select lead_id, stage, strftime(entered_at, '%Y-%m-%d %H:%M') as at from lead_stage_changes order by lead_id, entered_at",
  )) {
    const id = String(r.lead_id);
    out[id] = [...(out[id] ?? []), `${r.stage}@${r.at}`];
  }
  return out;
}

async function extraTypes(db: Db, table: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of await rows(
    db,
    `select column_name, data_type from extra_columns where table_name = '${table}' order by column_name`,
  )) {
    out[String(r.column_name)] = String(r.data_type);
  }
  return out;
}

const LEAD_COLUMNS = `lead_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') as created_at, source, channel, campaign,
  company, employees, annual_revenue, industry, country, first_name, phone, job_title, seniority, department,
  email_domain_kind, authority, lifecycle_stage, is_converted, owner,
  strftime(updated_at, '%Y-%m-%d %H:%M:%S') as updated_at`;

const DEAL_COLUMNS = `deal_id, lead_id, account, strftime(created_at, '%Y-%m-%d %H:%M:%S') as created_at,
  strftime(closed_at, '%Y-%m-%d %H:%M:%S') as closed_at, outcome, stage, amount, owner`;

describe("the CRM presets", () => {
  it("are listed with a description", () => {
    const presets = new Map(listPresets().map((p) => [p.name, p.description]));
    for (const name of [
      "hubspot-contacts",
      "hubspot-deals",
      "salesforce-leads",
      "salesforce-opportunities",
    ]) {
      expect(presets.get(name), name).toMatch(/\w/);
    }
  });
});

describe("hubspot-contacts", () => {
  it("loads a 2026 label export: parsed HubSpot datetimes, label stages and sources, trimmed phones", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "hubspot-contacts", "hubspot-contacts-2026.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([6, 6, 0]);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect(leads.size).toBe(6);
      expect(leads.get("440555300001")).toMatchObject({
        created_at: "2026-01-05 09:15:00", // "YYYY-MM-DD HH:MM", no seconds
        updated_at: "2026-03-20 16:05:00",
        source: "Paid Search",
        channel: "paid_search",
        campaign: "Q1 Webinar",
        company: "Northwind Demo",
        employees: 100, // the range "100-500" as its lower bound
        country: "Portugal", // from Country/Region
        phone: "+15550100001", // exported as " +15550100001"
        job_title: "CTO",
        seniority: "manager", // Employment Seniority
        department: "Engineering", // Job function
        email_domain_kind: "business",
        authority: "decision_maker", // Buying Role "Decision Maker"
        lifecycle_stage: "won", // Customer
        owner: "Rita Owner",
      });
      expect(leads.get("440555300002")).toMatchObject({
        lifecycle_stage: "mql",
        annual_revenue: 2500000,
        employees: 25,
        email_domain_kind: "personal",
        authority: "influencer",
        channel: "organic_search",
      });
      // A multi-select Buying Role matches no key and is kept as written.
      expect(leads.get("440555300003")).toMatchObject({
        lifecycle_stage: "lead",
        email_domain_kind: "student",
        authority: "Decision Maker;Champion",
      });
      expect(leads.get("440555300004")?.lifecycle_stage).toBe("lead"); // Subscriber
      expect(leads.get("440555300005")).toMatchObject({ lifecycle_stage: "sql", employees: 1000 }); // 1000+
      expect(leads.get("440555300006")?.lifecycle_stage).toBeNull(); // Other is no stage
    });
  });

  it("unpivots the 2026 Date entered columns into stage history (Subscriber is not a stage)", async () => {
    await withTempDb(async (db) => {
      await load(db, "hubspot-contacts", "hubspot-contacts-2026.csv");
      expect(await stageHistory(db)).toEqual({
        "440555300001": [
          "lead@2026-01-05 09:15",
          "mql@2026-01-12 10:30",
          "sql@2026-01-20 14:45",
          "opportunity@2026-02-02 11:00",
          "won@2026-03-20 16:00",
        ],
        "440555300002": ["lead@2026-01-08 13:02", "mql@2026-02-01 08:00"],
        "440555300003": ["lead@2026-02-14 17:40"],
        "440555300005": ["lead@2026-01-15 11:11", "mql@2026-01-22 09:00", "sql@2026-02-03 15:30"],
        // Latest Disqualified Lead Date
        "440555300006": ["lead@2026-01-28 10:00", "disqualified@2026-02-10 12:00"],
      });
    });
  });

  it("keeps the unmapped 2026 columns as typed extras, but not the mapped or unpivoted ones", async () => {
    await withTempDb(async (db) => {
      await load(db, "hubspot-contacts", "hubspot-contacts-2026.csv");
      const types = await extraTypes(db, "leads");
      expect(types).toMatchObject({
        lead_status: "VARCHAR",
        unsubscribed_from_all_email: "BOOLEAN", // "true" / "false"
        first_conversion_date: "TIMESTAMP",
        date_entered_subscriber_lifecycle_stage_pipeline: "TIMESTAMP",
        date_exited_lead_lifecycle_stage_pipeline: "TIMESTAMP",
        associated_company_ids: "VARCHAR",
        billing_contact: "VARCHAR", // the real 2026 header has Billing Contact twice
      });
      // HubSpot writes counts as "4.0": kept as numbers (whole or not), not text
      expect(["BIGINT", "DOUBLE"]).toContain(types.number_of_sessions);
      expect(["BIGINT", "DOUBLE"]).toContain(types.number_of_form_submissions);
      expect(Object.keys(types)).not.toContain("date_entered_lead_lifecycle_stage_pipeline");
      const headers = (await rows(db, "select source_header from extra_columns")).map((r) => r.source_header);
      expect(headers).toContain("Προτιμώμενο προϊόν"); // a custom property with a non-Latin label
      expect(headers).not.toContain("Record ID");
      expect(headers).not.toContain("Original Traffic Source");
      const [ana] = await rows(
        db,
        `select lead_status, number_of_sessions::int as sessions, unsubscribed_from_all_email as unsub,
                strftime(first_conversion_date, '%Y-%m-%d %H:%M') as first_conv
         from leads where lead_id = '440555300001'`,
      );
      expect(ana).toEqual({
        lead_status: "Connected",
        sessions: 4,
        unsub: false,
        first_conv: "2026-01-05 09:15",
      });
      const [ben] = await rows(db, "select associated_company_ids from leads where lead_id = '440555300002'");
      expect(ben?.associated_company_ids).toBe("273183981266;273183981267");
    });
  });

  it("loads an internal-name export with internal values, and refuses a custom stage with a reason", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "hubspot-contacts", "hubspot-contacts-internal.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([5, 4, 1]);
      // 1066742671 is a portal's own stage (numeric internal id): the preset cannot know what it means.
      expect(r.rejects).toEqual([
        expect.objectContaining({ column: "lifecyclestage", count: 1, firstRow: 6 }),
      ]);
      expect(r.rejects[0]?.reason).toMatch(/unknown value/);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect([...leads.keys()].sort()).toEqual([
        "440555300101",
        "440555300102",
        "440555300103",
        "440555300104",
      ]);
      expect(leads.get("440555300101")).toMatchObject({
        created_at: "2025-11-03 08:20:00",
        lifecycle_stage: "won", // customer
        source: "Paid Search", // PAID_SEARCH
        channel: "paid_search",
        employees: 500,
        annual_revenue: 12000000,
        owner: "81234567", // hubspot_owner_id: the owner's id, not a name
      });
      expect(leads.get("440555300102")).toMatchObject({
        lifecycle_stage: "mql", // marketingqualifiedlead
        source: "Organic Social", // SOCIAL_MEDIA
        channel: "organic_social",
      });
      expect(leads.get("440555300103")).toMatchObject({
        source: "Direct Traffic",
        email_domain_kind: "personal",
      });
      expect(leads.get("440555300104")).toMatchObject({ lifecycle_stage: "sql", source: "Offline Sources" });
      expect(await stageHistory(db)).toEqual({
        "440555300101": [
          "lead@2025-11-03 08:20",
          "mql@2025-11-10 12:00",
          "sql@2025-11-20 15:00",
          "won@2026-01-10 09:00",
        ],
        "440555300102": ["lead@2025-12-01 14:00", "mql@2025-12-09 10:00"],
        "440555300103": ["lead@2025-12-05 09:45"],
        "440555300104": ["lead@2025-12-12 16:30", "mql@2025-12-15 10:00", "sql@2025-12-20 11:00"],
      });
      const types = await extraTypes(db, "leads");
      expect(["BIGINT", "DOUBLE"]).toContain(types.hs_analytics_num_visits); // "5.0"
      expect(types).toMatchObject({
        hs_lead_status: "VARCHAR",
        hs_email_optout: "BOOLEAN",
      });
    });
  });

  it("reads 2019 labels: Contact ID, Country, Original Source, Number of Visits, Became a ... Date", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "hubspot-contacts", "hubspot-contacts-2019.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([2, 2, 0]);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect(leads.get("1101")).toMatchObject({
        created_at: "2019-03-04 10:00:00",
        lifecycle_stage: "opportunity",
        source: "Referrals",
        channel: "referrals",
        country: "Canada",
      });
      expect(leads.get("1102")).toMatchObject({ source: "Email Marketing", channel: "email_marketing" });
      expect(await stageHistory(db)).toEqual({
        "1101": [
          "lead@2019-03-04 10:00",
          "mql@2019-03-11 09:30",
          "sql@2019-03-20 14:00",
          "opportunity@2019-04-02 16:45",
        ],
        "1102": ["lead@2019-03-06 12:30"],
      });
      const [kim] = await rows(
        db,
        "select number_of_visits::int as visits from leads where lead_id = '1101'",
      );
      expect(kim?.visits).toBe(4);
    });
  });

  it("reads a view export re-saved by Excel (BOM, no quotes, CRLF) that has no lifecycle dates", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "hubspot-contacts", "hubspot-contacts-excel-bom.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([2, 2, 0]);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect(leads.get("440555300201")).toMatchObject({
        created_at: "2026-02-27 08:00:00",
        phone: "+15550100201",
        owner: "Rita Owner",
      });
      expect(leads.get("440555300202")?.email_domain_kind).toBe("personal");
      expect(await stageHistory(db)).toEqual({});
    });
  });
});

describe("hubspot-deals", () => {
  it("loads a label export: outcome from Deal Stage, amount in company currency, contact as lead", async () => {
    await withTempDb(async (db) => {
      await load(db, "hubspot-contacts", "hubspot-contacts-2026.csv");
      const r = await load(db, "hubspot-deals", "hubspot-deals-2026.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([4, 4, 0]);
      const deals = await byId(db, `select ${DEAL_COLUMNS} from deals`, "deal_id");
      expect(deals.get("189164770001")).toMatchObject({
        lead_id: "440555300001",
        account: "273183981265",
        created_at: "2026-02-02 11:00:00",
        closed_at: "2026-03-20 16:00:00",
        outcome: "won",
        stage: "Closed Won",
        amount: 45362.12,
        owner: "Rita Owner",
      });
      expect(deals.get("189164770002")).toMatchObject({
        outcome: "lost",
        amount: 11015,
        lead_id: "440555300005",
      });
      expect(deals.get("189164770003")).toMatchObject({
        outcome: "open",
        amount: 9400,
        stage: "Contract Sent",
      });
      expect(deals.get("189164770004")).toMatchObject({ outcome: "open", lead_id: null, amount: 0 });
      const types = await extraTypes(db, "deals");
      expect(types).toMatchObject({ deal_name: "VARCHAR", pipeline: "VARCHAR", is_closed_won: "BOOLEAN" });
      // "Amount" (deal currency) is not the mapped amount here; it is kept under a name that does not clash.
      const kept = await rows(db, "select column_name from extra_columns where source_header = 'Amount'");
      expect(kept).toHaveLength(1);
    });
  });

  it("loads an internal-name export (closedwon, qualifiedtobuy); a deal with two contacts names no lead", async () => {
    await withTempDb(async (db) => {
      await load(db, "hubspot-contacts", "hubspot-contacts-internal.csv");
      const r = await load(db, "hubspot-deals", "hubspot-deals-internal.csv");
      // Associated Contact IDs "440555300101;440555300104" is one text, not a lead id: the row is refused.
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([5, 4, 1]);
      expect(r.rejects).toEqual([expect.objectContaining({ column: "lead_id", count: 1, firstRow: 6 })]);
      const deals = await byId(db, `select ${DEAL_COLUMNS} from deals`, "deal_id");
      expect(deals.get("189164770101")).toMatchObject({
        outcome: "won",
        stage: "closedwon",
        lead_id: "440555300101",
        amount: 20000,
        created_at: "2025-11-20 15:00:00",
        closed_at: "2026-01-10 09:00:00",
      });
      expect(deals.get("189164770102")).toMatchObject({
        outcome: "open",
        amount: 5400.5,
        lead_id: "440555300104",
      });
      expect(deals.get("189164770103")).toMatchObject({ outcome: "open", amount: null, closed_at: null });
      expect(deals.get("189164770104")?.outcome).toBe("lost");
    });
  });
});

describe("salesforce-leads", () => {
  it("loads a Latin-1 Data Export Lead.csv: statuses, 0/1 flags, 000000000000000AAA as missing", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "salesforce-leads", "salesforce-dataexport-Lead.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([5, 5, 0]);
      expect(r.notes.join("\n")).toMatch(/Latin-1/);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect(leads.get("00Q8a00001Lead1AAA")).toMatchObject({
        created_at: "2023-01-09 18:51:29",
        updated_at: "2023-02-01 10:02:11",
        first_name: "Lucía",
        company: "Café Demo SA",
        source: "Gestión directa",
        country: "Mexico",
        employees: 250,
        job_title: "Directora de Compras",
        lifecycle_stage: "sql", // Qualified, this org's converted status
        is_converted: true,
        owner: "0058a00000MNWuDAAX",
      });
      expect(leads.get("00Q8a00001Lead2AAA")).toMatchObject({ lifecycle_stage: "lead", is_converted: false });
      expect(leads.get("00Q8a00001Lead4AAA")?.lifecycle_stage).toBe("recycled"); // Nurturing
      expect(leads.get("00Q8a00001Lead5AAA")).toMatchObject({
        lifecycle_stage: "lead", // New
        annual_revenue: 9225.225,
        email_domain_kind: "personal",
      });
      const extras = await byId(
        db,
        "select lead_id, convertedopportunityid, convertedaccountid, rating, region_c, isdeleted from leads",
        "lead_id",
      );
      expect(extras.get("00Q8a00001Lead1AAA")).toMatchObject({
        convertedopportunityid: "0068a00001Opp01AAA",
        convertedaccountid: "0018a00001Acct1AAA",
        rating: "Warm",
        region_c: "Norte",
      });
      // converted without an opportunity: the null id reads as missing
      expect(extras.get("00Q8a00001Lead3AAA")?.convertedopportunityid).toBeNull();
      expect(extras.get("00Q8a00001Lead2AAA")?.convertedaccountid).toBeNull();
      expect(await stageHistory(db)).toEqual({
        "00Q8a00001Lead1AAA": ["lead@2023-01-09 18:51", "sql@2023-02-01 00:00"],
        "00Q8a00001Lead2AAA": ["lead@2023-01-15 09:00"],
        "00Q8a00001Lead3AAA": ["lead@2023-02-20 16:40", "sql@2023-03-07 00:00"],
        "00Q8a00001Lead4AAA": ["lead@2023-03-01 11:22"],
        "00Q8a00001Lead5AAA": ["lead@2023-03-10 20:05"],
      });
    });
  });

  it("loads a Data Loader extract: UPPERCASE headers, ISO ...Z times, true/false, default statuses", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "salesforce-leads", "salesforce-dataloader-LEAD.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([4, 4, 0]);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect(leads.get("00Q5j00000DL001EAA")).toMatchObject({
        created_at: "2024-01-31 12:34:56",
        updated_at: "2024-02-15 09:00:00",
        source: "Web",
        employees: 1200,
        annual_revenue: 50000000,
        lifecycle_stage: "sql", // Closed - Converted
        is_converted: true,
      });
      expect(leads.get("00Q5j00000DL002EAA")).toMatchObject({ lifecycle_stage: "lead", is_converted: false });
      expect(leads.get("00Q5j00000DL003EAA")?.lifecycle_stage).toBe("disqualified"); // Closed - Not Converted
      expect(leads.get("00Q5j00000DL004EAA")?.lifecycle_stage).toBe("lead"); // Open - Not Contacted
      expect(await stageHistory(db)).toEqual({
        "00Q5j00000DL001EAA": ["lead@2024-01-31 12:34", "sql@2024-02-15 00:00"],
        "00Q5j00000DL002EAA": ["lead@2024-02-01 08:00"],
        "00Q5j00000DL003EAA": ["lead@2024-02-05 16:45"],
        "00Q5j00000DL004EAA": ["lead@2024-02-10 07:00"],
      });
      expect(await extraTypes(db, "leads")).toMatchObject({ lead_score_c: "BIGINT", rating: "VARCHAR" });
    });
  });

  it("loads a lead report export: labels, en_US dates, 1,500; the footer lines are refused", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "salesforce-leads", "salesforce-report-leads.csv");
      // 2 leads, then a blank line and 5 footer lines (report name, copyright, confidentiality,
      // Generated By, company), each a row without the report's columns.
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([7, 2, 5]);
      const leads = await byId(db, `select ${LEAD_COLUMNS} from leads`, "lead_id");
      expect(leads.get("00Q5j00000RP001EAA")).toMatchObject({
        created_at: "2023-01-09 18:51:00", // 1/9/2023 6:51 PM
        company: "Trey Demo Research", // Company / Account
        owner: "Pat Analyst", // Lead Owner
        employees: 1500, // No. of Employees "1,500"
        lifecycle_stage: "lead",
        is_converted: false,
      });
      expect(leads.get("00Q5j00000RP002EAA")).toMatchObject({
        created_at: "2023-02-04 03:54:00",
        lifecycle_stage: "sql",
        is_converted: true,
      });
      expect(await stageHistory(db)).toEqual({
        "00Q5j00000RP001EAA": ["lead@2023-01-09 18:51"],
        "00Q5j00000RP002EAA": ["lead@2023-02-04 03:54", "sql@2023-02-20 00:00"],
      });
    });
  });
});

describe("salesforce-opportunities", () => {
  it("loads a Latin-1 Data Export Opportunity.csv with custom stage names: outcome from ForecastCategory", async () => {
    await withTempDb(async (db) => {
      const r = await load(db, "salesforce-opportunities", "salesforce-dataexport-Opportunity.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([4, 4, 0]);
      const deals = await byId(db, `select ${DEAL_COLUMNS} from deals`, "deal_id");
      expect(deals.get("0068a00001Opp01AAA")).toMatchObject({
        lead_id: null, // Opportunity.csv names no lead
        account: "0018a00001Acct1AAA",
        created_at: "2023-02-01 10:02:11",
        closed_at: "2023-05-11 00:00:00",
        outcome: "won", // Closed
        stage: "Ganada",
        amount: 275000,
        owner: "0058a00000MNWuDAAX",
      });
      expect(deals.get("0068a00001Opp02AAA")).toMatchObject({
        outcome: "lost",
        stage: "Perdida",
        amount: 48000.5,
      });
      expect(deals.get("0068a00001Opp03AAA")).toMatchObject({ outcome: "open", stage: "Negociación" });
      expect(deals.get("0068a00001Opp04AAA")).toMatchObject({ outcome: "open", amount: null });
      const extras = await byId(
        db,
        "select deal_id, iswon, isclosed, currencyisocode, campaignid, contactid, loss_reason_c from deals",
        "deal_id",
      );
      expect(extras.get("0068a00001Opp01AAA")).toMatchObject({
        currencyisocode: "MXN",
        campaignid: null, // 000000000000000AAA
        contactid: "0038a00001Cont1AAA",
      });
      expect(extras.get("0068a00001Opp02AAA")?.loss_reason_c).toBe("Precio");
    });
  });

  it("links a Data Loader opportunity to its lead through a LeadId column; outcome from default stage names", async () => {
    await withTempDb(async (db) => {
      await load(db, "salesforce-leads", "salesforce-dataloader-LEAD.csv");
      const r = await load(db, "salesforce-opportunities", "salesforce-dataloader-OPPORTUNITY.csv");
      expect([r.rowsRead, r.rowsLoaded, r.rowsRejected]).toEqual([4, 4, 0]);
      const deals = await byId(db, `select ${DEAL_COLUMNS} from deals`, "deal_id");
      expect(deals.get("0065j00000DLOp1AAA")).toMatchObject({
        lead_id: "00Q5j00000DL001EAA",
        created_at: "2024-02-15 09:00:00",
        closed_at: "2024-03-29 00:00:00",
        outcome: "won",
        amount: 125000,
      });
      expect(deals.get("0065j00000DLOp2AAA")).toMatchObject({ outcome: "open", lead_id: null });
      expect(deals.get("0065j00000DLOp3AAA")?.outcome).toBe("lost");
      expect(deals.get("0065j00000DLOp4AAA")).toMatchObject({ outcome: "open", stage: "Qualify" });
      // the lead side carries the same link
      const [lead] = await rows(
        db,
        "select convertedopportunityid from leads where lead_id = '00Q5j00000DL001EAA'",
      );
      expect(lead?.convertedopportunityid).toBe("0065j00000DLOp1AAA");
    });
  });
});
