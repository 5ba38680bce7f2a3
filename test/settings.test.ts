import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../src/errors.ts";
import { defaultSettings, loadSettings, parseSettings } from "../src/settings.ts";

describe("report settings", () => {
  it("defaults to the policy in the design: 30 minutes, one day, 3 calls and 3 emails in 14 days", () => {
    const s = defaultSettings();
    expect(s.serviceLevels).toMatchObject({
      firstTouchTargetMinutes: 30,
      firstTouchLimitMinutes: 1440,
      touchWindowDays: 14,
      minCalls: 3,
      minEmails: 3,
      sqlCommitmentPerQuarter: 150,
    });
    expect(s.funnel.outcomeWindowDays).toBe(180);
    expect(s.asOf).toBeNull();
  });

  it("keeps the defaults for keys a file leaves out", () => {
    const s = parseSettings(
      "service_levels:\n  min_calls: 5\n  sql_commitment_by_quarter:\n    '2025 Q3': 200\n",
    );
    expect(s.serviceLevels.minCalls).toBe(5);
    expect(s.serviceLevels.minEmails).toBe(3);
    expect(s.serviceLevels.sqlCommitmentByQuarter).toEqual({ "2025 Q3": 200 });
    expect(s.currency).toBe("USD");
  });

  it("reads the as-of date", () => {
    expect(parseSettings("report:\n  as_of: 2025-06-30\n").asOf).toBe("2025-06-30");
    expect(parseSettings("report:\n  as_of:\n").asOf).toBeNull();
  });

  it("names the file and the key of a bad value", () => {
    expect(() => parseSettings("service_levels:\n  min_calls: -1\n", "s.yaml")).toThrow(UserError);
    expect(() => parseSettings("service_levels:\n  min_calls: -1\n", "s.yaml")).toThrow(
      /^s\.yaml: service_levels\.min_calls: /,
    );
    expect(() => parseSettings("service_levels:\n  min_cals: 3\n", "s.yaml")).toThrow(/min_cals/);
    expect(() => parseSettings("service_levels:\n  sql_commitment_by_quarter:\n    Q3: 5\n")).toThrow(
      /2025 Q3/,
    );
    expect(() => parseSettings("a: [", "s.yaml")).toThrow(/s\.yaml: not valid YAML/);
  });

  it("reads a file, and gives the defaults when there is none", () => {
    const dir = mkdtempSync(join(tmpdir(), "leadcal-settings-"));
    try {
      const path = join(dir, "settings.yaml");
      expect(loadSettings(path)).toEqual(defaultSettings());
      writeFileSync(path, "funnel:\n  outcome_window_days: 90\n");
      expect(loadSettings(path)).toMatchObject({ funnel: { outcomeWindowDays: 90 }, source: path });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses the settings file that ships with leadcal", () => {
    const s = loadSettings(join(import.meta.dirname, "../data/settings.yaml"));
    expect(s.serviceLevels).toEqual(defaultSettings().serviceLevels);
    expect(s.funnel).toEqual(defaultSettings().funnel);
  });
});
