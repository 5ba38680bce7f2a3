import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/connection.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { insertRows } from "./fixture.ts";

async function demoLikeDb(dir: string): Promise<string> {
  const path = join(dir, "t.duckdb");
  const db = await openDb(path);
  try {
    await insertRows(db.conn, "leads", [
      {
        lead_id: "a",
        created_at: "2025-01-01",
        employees: 1200,
        industry: "software",
        seniority: "vp",
        budget: "confirmed",
        need: "high",
        timeline: "this_quarter",
        last_name: "Ng",
        email: "a@acme.com",
        email_domain_kind: "business",
        company: "Acme",
        job_title: "VP Sales",
        channel: "referral",
      },
      { lead_id: "b", created_at: "2025-02-01", industry: "retail", email_domain_kind: "personal" },
    ]);
    await insertRows(db.conn, "activities", [
      { activity_id: "1", lead_id: "a", occurred_at: "2025-03-01", activity_type: "demo_request" },
      { activity_id: "2", lead_id: "a", occurred_at: "2025-03-02", activity_type: "pricing_page_visit" },
    ]);
  } finally {
    db.close();
  }
  return path;
}

describe("leadcal definition check", () => {
  it("validates the starter definition without a database, and says it checked the format only", async () => {
    const dir = tempDir();
    const r = await runCli(["--db", join(dir, "none.duckdb"), "definition", "check", "data/definition.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /data\/definition\.yaml: the format is valid \(version 2026\.1; 7 fit, 4 situational, 11 engagement and 6 negative criteria; 2 thresholds\)/,
    );
    expect(r.stdout).toMatch(/No database at .*: checked the format only/);
  });

  it("checks against the data: activity types never seen, criteria matching no lead, coverage, stages", async () => {
    const dir = tempDir();
    const path = await demoLikeDb(dir);
    const r = await runCli(["--db", path, "definition", "check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Against .* \(2 leads, 2 activities\), as of 2025-03-03 00:00:00 UTC:/);
    expect(r.stdout).toMatch(
      /warning +line \d+, engagement\.criteria\[1\]\.activity: activity type pricing_page_view never occurs in the loaded activities \(did you mean pricing_page_visit\?\)/,
    );
    expect(r.stdout).toMatch(
      /warning +line \d+, fit\[2\]\.values\[1\]: industry: no lead is in "financial services"/,
    );
    expect(r.stdout).toMatch(
      /warning +line \d+, fit\[5\]\.column: job_function: no lead has a value in department/,
    );
    expect(r.stdout).toMatch(/engagement +demo_request +demo_request +50\.0%/);
    expect(r.stdout).toMatch(
      /Stages if scored now: lead 1 \(50\.0%\), mql 0 \(0\.0%\), sql 1 \(50\.0%\), disqualified 0 \(0\.0%\)/,
    );
    const strict = await runCli(["--db", path, "definition", "check", "--strict"]);
    expect(strict.code).toBe(1);
  });

  it("fails on a column leads does not have, naming the line", async () => {
    const dir = tempDir();
    const path = await demoLikeDb(dir);
    const file = join(dir, "d.yaml");
    writeFileSync(
      file,
      "version: 1\noutcome: { stage: won, horizon_days: 180 }\nfit:\n  - { name: x, column: revenue, bands: [{ min: 1, points: 1 }] }\nthresholds: [{ stage: mql, min_score: 1 }]\n",
    );
    const r = await runCli(["--db", path, "definition", "check", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error +line 4, fit\[0\]\.column: leads has no column revenue/);
  });

  it("lists every format problem of a broken file and exits 1", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "version: 1\noutcome: { stage: sql, horizon_days: -5 }\nthresholds: []\nfit: [{ name: Bad Name, column: x }]\n",
    );
    const r = await runCli(["--db", join(dir, "none.duckdb"), "definition", "check", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: the definition is not valid`);
    expect(r.stdout).toMatch(/error +line 2, outcome\.horizon_days: expected more than 0, got -5/);
    expect(r.stdout).toMatch(/error +line 3, thresholds: needs at least 1 entry/);
    expect(r.stdout).toMatch(
      /error +line 4, fit\[0\]\.name: expected a short id of lowercase letters, digits and _ \(like company_size\); got "Bad Name"/,
    );
  });

  it("says plainly when the file is not there", async () => {
    const r = await runCli(["definition", "check", "nope.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("leadcal: nope.yaml: scoring definition not found\n");
  });
});

describe("leadcal definition explain", () => {
  it("prints the whole contract in plain language, service levels included", async () => {
    const r = await runCli(["definition", "explain", "data/definition.yaml"]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Starter qualified-lead definition, version 2026\.1 \(approved\)/);
    expect(out).toContain(
      "The score estimates whether a lead becomes a sales-qualified lead (SQL) within 90 days.",
    );
    expect(out).toContain("Company size: by employees when known, otherwise by annual_revenue.");
    expect(out).toContain("1,000 to 4,999 employees: +20");
    expect(out).toContain(
      "By default an event loses half its points every 30 days (an event 30 days old counts 50% of its",
    );
    expect(out).toContain(
      "Demo requests (demo_request): +25 per event; at most +25; each event fades to nothing over 45",
    );
    expect(out).toContain("Works for a competitor (email_domain_kind is competitor, or email matches");
    expect(out).toContain("Before a lead becomes an SQL, these must be filled in.");
    expect(out).toContain(
      "Sales qualified lead (SQL): 70 points or more, with at least 25 fit points (fit + situational)",
    );
    expect(out).toMatch(
      /Sales makes a first touch on a new SQL within 30 minutes, and never later than one day\./,
    );
    expect(out).toContain("F: below 5");
  });

  it("prints JSON for other tools", async () => {
    const r = await runCli(["definition", "explain", "--json"]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.version).toBe("2026.1");
    expect(c.sections.map((s: { id: string }) => s.id)).toEqual([
      "fit",
      "situational",
      "engagement",
      "negative",
      "completeness",
      "thresholds",
      "grades",
      "service_levels",
      "about",
    ]);
  });
});

describe("leadcal score", () => {
  it("scores, prints the stages and where it stored them", async () => {
    const dir = tempDir();
    const path = await demoLikeDb(dir);
    const r = await runCli(["--db", path, "score", "--as-of", "2025-03-10"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Scored 2 leads with data\/definition\.yaml version 2026\.1, as of 2025-03-10 00:00:00 UTC \(as given\)\./,
    );
    expect(r.stdout).toMatch(/ {2}sql +1 \(50\.0%\)/);
    expect(r.stdout).toMatch(/Run 1, /);
  });

  it("refuses a bad --as-of without a stack trace", async () => {
    const dir = tempDir();
    const path = await demoLikeDb(dir);
    const r = await runCli(["--db", path, "score", "--as-of", "last week"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^leadcal: --as-of: expected latest, now, per-lead, a date \(2025-06-30\) or a time/,
    );
  });
});
