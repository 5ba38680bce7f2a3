import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withDb } from "../../src/db/connection.ts";
import { type DemoSite, listFiles, sharedDemoSite } from "./demo-site.ts";
import { MultiMatcher } from "./pii-scan.ts";

describe("the built site carries no personal data", () => {
  let site: DemoSite;
  let needles: { kind: string; value: string }[];
  beforeAll(async () => {
    site = await sharedDemoSite();
    // Every lead's personal fields, straight from the database the site was built from.
    const leads = await withDb(
      site.dbPath,
      async (db) =>
        (
          await db.conn.runAndReadAll("select lead_id, first_name, last_name, email, phone from leads")
        ).getRowObjectsJson() as Record<string, string | null>[],
      { readOnly: true },
    );
    needles = leads.flatMap((l) => [
      { kind: "email", value: l.email ?? "" },
      { kind: "name", value: `${l.first_name ?? ""} ${l.last_name ?? ""}`.trim() },
      { kind: "phone", value: l.phone ?? "" },
      { kind: "id", value: l.lead_id ?? "" },
    ]);
  }, 300_000);

  it("builds every page from the demo", () => {
    expect(site.pages).toEqual(
      expect.arrayContaining([
        "cost-per-sql.html",
        "data.html",
        "funnel.html",
        "index.html",
        "service-levels.html",
      ]),
    );
    // The scan below is only meaningful if the demo has people in it.
    expect(needles.filter((n) => n.kind === "id").length).toBe(20_000);
    expect(needles.filter((n) => n.kind === "email" && n.value.includes("@")).length).toBeGreaterThan(1000);
    expect(needles.filter((n) => n.kind === "phone" && n.value.length >= 7).length).toBeGreaterThan(1000);
  });

  it("has no lead's e-mail, name, phone or id in any file of dist/", () => {
    const usable = needles.filter((n) => n.value.length >= 5);
    const kindOf = new Map(usable.map((n) => [n.value.toLowerCase(), n.kind]));
    const matcher = new MultiMatcher(usable.map((n) => n.value));
    const hits: string[] = [];
    const files = listFiles(site.outDir);
    for (const f of files) {
      for (const found of matcher.find(readFileSync(join(site.outDir, f), "utf8"))) {
        hits.push(`${f}: ${kindOf.get(found)} ${found}`);
      }
    }
    expect(files.length).toBeGreaterThan(20);
    expect(hits).toEqual([]);
  });

  it("would catch a leak: the scanner finds planted values in a real page", () => {
    const page = readFileSync(join(site.outDir, "funnel.html"), "utf8");
    const [email, name] = [needles.find((n) => n.kind === "email"), needles.find((n) => n.kind === "name")];
    const matcher = new MultiMatcher(needles.map((n) => n.value).filter((v) => v.length >= 5));
    const planted = `${page}<td>${email?.value.toUpperCase()}</td><td>${name?.value}</td>`;
    expect(matcher.find(planted).sort()).toEqual(
      [email?.value.toLowerCase(), name?.value.toLowerCase()].sort(),
    );
  });
});

describe("MultiMatcher", () => {
  it("finds whole-word matches of many needles, case-insensitively", () => {
    const m = new MultiMatcher(["Eric Li", "ann@x.io", "L000001", "he", "she", "hers"]);
    expect(m.find("numeric literal")).toEqual([]);
    expect(m.find('{"name":"ERIC LI"}')).toEqual(["eric li"]);
    expect(m.find("mail ann@x.io, id L000001.")).toEqual(["ann@x.io", "l000001"]);
    expect(m.find("id L0000012")).toEqual([]);
    expect(m.find("ushers she hers").sort()).toEqual(["hers", "she"]);
  });
});
