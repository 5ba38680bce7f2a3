import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { dataFingerprint } from "../calibrate/registry.ts";
import { naiveUtc } from "../scoring/as-of.ts";
import { loadDefinitionFile } from "../scoring/load-definition.ts";
import type { ReportSettings } from "../settings.ts";
import { costPerSqlReport } from "./cost-per-sql.ts";
import { dataReport } from "./data-status.ts";
import { definitionReport, resolveDefinitionPath } from "./definition.ts";
import { funnelReport } from "./funnel.ts";
import { modelReport } from "./model.ts";
import { overviewReport } from "./overview.ts";
import { queryRows } from "./query.ts";
import { serviceLevelReport } from "./service-levels.ts";
import { thresholdsReport } from "./thresholds.ts";

/**
 * The pages' data computed ahead (table report_cache): each page's report query result, stored by the
 * commands that change its inputs, with a fingerprint of those inputs. The data loaders print the
 * stored JSON when its fingerprint matches the current inputs, and compute the page as before when it
 * does not, so a stale row is never published. Fingerprints read no large table: the load batches (as
 * calibration's dataFingerprint), the model registry, the newest threshold run, the score runs of the
 * definition's version, the settings as parsed, the definition file's text, and leadcal's own source.
 */

/** What a page's numbers depend on, besides leadcal's own code. */
type Input = "data" | "settings" | "definition" | "models" | "thresholds";

interface Page {
  query: (conn: DuckDBConnection, settings: ReportSettings) => Promise<unknown>;
  inputs: Input[];
  /** The command that computes the page ahead, as the build's note names it. */
  by: string;
}

export const PAGES = {
  "data-status": { query: dataReport, inputs: ["data", "settings"], by: "leadcal check" },
  funnel: { query: funnelReport, inputs: ["data", "settings"], by: "leadcal check" },
  "cost-per-sql": { query: costPerSqlReport, inputs: ["data", "settings"], by: "leadcal check" },
  "service-levels": { query: serviceLevelReport, inputs: ["data", "settings"], by: "leadcal check" },
  definition: { query: definitionReport, inputs: ["data", "settings", "definition"], by: "leadcal score" },
  model: { query: modelReport, inputs: ["models"], by: "leadcal calibrate" },
  thresholds: {
    query: thresholdsReport,
    inputs: ["settings", "models", "thresholds"],
    by: "leadcal thresholds",
  },
  overview: {
    query: overviewReport,
    inputs: ["data", "settings", "models", "thresholds"],
    by: "leadcal thresholds",
  },
} satisfies Record<string, Page>;

export type PageName = keyof typeof PAGES;

/** The pages each command refreshes: those whose inputs it changes (load refreshes none). */
export const DATA_PAGES: PageName[] = ["data-status", "funnel", "cost-per-sql", "service-levels"];

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The parts of src/ no page's figures come from: loading, the demo generator, the commands. */
const NOT_PAGE_CODE = new Set(["load", "demo", "cli"]);

let codeHash: string | null = null;
/** sha256 over the files of src/ the pages are computed by (paths and contents): other code, stale pages. */
function codeFingerprint(): string {
  if (codeHash) return codeHash;
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!(dir === SRC && NOT_PAGE_CODE.has(e.name))) walk(p);
      } else h.update(`${relative(SRC, p)}\n`).update(readFileSync(p));
    }
  };
  walk(SRC);
  codeHash = h.digest("hex");
  return codeHash;
}

async function inputText(conn: DuckDBConnection, input: Input, settings: ReportSettings): Promise<string> {
  switch (input) {
    case "data":
      return dataFingerprint(conn);
    case "settings":
      return JSON.stringify(settings);
    case "models":
      return JSON.stringify(
        await queryRows(
          conn,
          `select version, status, origin, parent_version, created_at::varchar as c, approved_at::varchar as a,
             approvals::varchar as ap, target_stage, horizon_days, holdout_rule, md5(coalesce(report::varchar, '')) as r
           from model_versions order by version`,
        ),
      );
    case "thresholds":
      return JSON.stringify(
        await queryRows(
          conn,
          "select max(run_id) as run, count(*)::integer as n, max(created_at)::varchar as at from threshold_runs",
        ),
      );
    case "definition": {
      const file = resolveDefinitionPath();
      const loaded = loadDefinitionFile(file);
      // Any score run of this version may have replaced rows of the run the page describes.
      const runs = await queryRows(
        conn,
        "select max(run_id) as run, count(*)::integer as n from score_runs where definition_version = $v",
        { v: loaded.def.version },
      );
      return `${resolve(file)}\t${file}\t${loaded.sha256}\t${JSON.stringify(runs)}`;
    }
  }
}

/** The fingerprint of a page's current inputs; null when they cannot be read (the page is then computed). */
export async function pageFingerprint(
  conn: DuckDBConnection,
  page: PageName,
  settings: ReportSettings,
): Promise<string | null> {
  try {
    const h = createHash("sha256").update(`${page}\n${codeFingerprint()}\n`);
    for (const input of PAGES[page].inputs) h.update(`${input}\n${await inputText(conn, input, settings)}\n`);
    return h.digest("hex");
  } catch {
    return null;
  }
}

/** The stored JSON of a page if its fingerprint is `fingerprint`, else null. */
export async function cachedPage(
  conn: DuckDBConnection,
  page: PageName,
  fingerprint: string,
): Promise<string | null> {
  try {
    const rows = await queryRows<{ json: string }>(
      conn,
      "select json from report_cache where page = $page and fingerprint = $fp",
      { page, fp: fingerprint },
    );
    return rows[0]?.json ?? null;
  } catch {
    return null; // a database from before the cache: no table yet
  }
}

/**
 * Computes and stores the pages whose stored JSON is missing or stale (read-write connection). A page
 * whose query fails is not stored (the build then fails on it, saying why). Returns the pages stored.
 */
export async function refreshPages(
  conn: DuckDBConnection,
  pages: PageName[],
  settings: ReportSettings,
): Promise<PageName[]> {
  const done: PageName[] = [];
  for (const page of pages) {
    const fp = await pageFingerprint(conn, page, settings);
    if (fp === null || (await cachedPage(conn, page, fp)) !== null) continue;
    let json: string;
    try {
      json = JSON.stringify(await PAGES[page].query(conn, settings));
    } catch {
      continue; // left to the build, which computes the page and reports why it cannot
    }
    // The inputs as they were when the page was read: a fingerprint that moved meanwhile is not stored.
    if ((await pageFingerprint(conn, page, settings)) !== fp) continue;
    await conn.run(
      `insert or replace into report_cache (page, fingerprint, json, computed_at)
       values ($page, $fp, $json, $at::timestamp)`,
      { page, fp, json, at: naiveUtc(new Date()) },
    );
    done.push(page);
  }
  return done;
}
