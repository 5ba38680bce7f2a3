import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UserError } from "./errors.ts";

/**
 * Report settings: the service-level policy sales and marketing signed, the funnel's outcome
 * window, and display choices. They live in `data/settings.yaml`; every key has a default, so a
 * missing file or a missing key is fine.
 */

const settingsSchema = z
  .object({
    service_levels: z
      .object({
        first_touch_target_minutes: z.number().positive().default(30),
        first_touch_limit_minutes: z.number().positive().default(1440),
        touch_window_days: z.number().int().positive().default(14),
        min_calls: z.number().int().nonnegative().default(3),
        min_emails: z.number().int().nonnegative().default(3),
        status_update_days: z.number().int().positive().default(14),
        sql_commitment_per_quarter: z.number().nonnegative().default(150),
        sql_commitment_by_quarter: z
          .record(z.string(), z.number().nonnegative())
          .nullish()
          .superRefine((byQuarter, ctx) => {
            for (const key of Object.keys(byQuarter ?? {})) {
              if (!/^\d{4} Q[1-4]$/.test(key)) {
                ctx.addIssue({
                  code: "custom",
                  path: [key],
                  message: `"${key}" is not a quarter; write it like "2025 Q3"`,
                });
              }
            }
          }),
      })
      .strict()
      .prefault({}),
    funnel: z
      .object({ outcome_window_days: z.number().int().positive().default(180) })
      .strict()
      .prefault({}),
    capacity: z
      .object({
        reps: z.number().int().positive().default(8),
        touches_per_rep_week: z.number().positive().default(60),
        touches_per_sql: z.number().positive().nullish(),
        min_conversion: z.number().min(0).max(1).default(0.1),
        mql_capture: z.number().gt(0).max(1).default(0.9),
        objective: z.enum(["wins", "revenue"]).default("wins"),
      })
      .strict()
      .prefault({}),
    report: z
      .object({
        currency: z.string().min(1).default("USD"),
        as_of: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).nullish(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export interface ReportSettings {
  serviceLevels: {
    firstTouchTargetMinutes: number;
    firstTouchLimitMinutes: number;
    touchWindowDays: number;
    minCalls: number;
    minEmails: number;
    statusUpdateDays: number;
    sqlCommitmentPerQuarter: number;
    sqlCommitmentByQuarter: Record<string, number>;
  };
  funnel: { outcomeWindowDays: number };
  /** Sales capacity and the thresholds' constraints (src/thresholds/). */
  capacity: {
    reps: number;
    touchesPerRepWeek: number;
    /** Touches the service level asks for each SQL (default: min_calls + min_emails). */
    touchesPerSql: number;
    /** The lowest conversion rate acceptable above the SQL threshold. */
    minConversion: number;
    /** The share of conversions the MQL threshold must still let through. */
    mqlCapture: number;
    objective: "wins" | "revenue";
  };
  currency: string;
  /** YYYY-MM-DD, or null for "the latest event in the data". */
  asOf: string | null;
  /** Where the settings came from: a file path, or "defaults". */
  source: string;
}

/** Where the settings file is: LEADCAL_SETTINGS, else data/settings.yaml under the working directory. */
export function resolveSettingsPath(flag?: string): string {
  return resolve(flag ?? process.env.LEADCAL_SETTINGS ?? "data/settings.yaml");
}

/** Parses settings YAML text; `file` names the source in error messages. */
export function parseSettings(text: string, file = "settings"): ReportSettings {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new UserError(`not valid YAML: ${(e as Error).message}`, { file });
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(top level)";
    throw new UserError(`${where}: ${issue?.message ?? "invalid"}`, { file });
  }
  const s = parsed.data;
  const asOf = s.report.as_of instanceof Date ? s.report.as_of.toISOString().slice(0, 10) : s.report.as_of;
  return {
    serviceLevels: {
      firstTouchTargetMinutes: s.service_levels.first_touch_target_minutes,
      firstTouchLimitMinutes: s.service_levels.first_touch_limit_minutes,
      touchWindowDays: s.service_levels.touch_window_days,
      minCalls: s.service_levels.min_calls,
      minEmails: s.service_levels.min_emails,
      statusUpdateDays: s.service_levels.status_update_days,
      sqlCommitmentPerQuarter: s.service_levels.sql_commitment_per_quarter,
      sqlCommitmentByQuarter: s.service_levels.sql_commitment_by_quarter ?? {},
    },
    funnel: { outcomeWindowDays: s.funnel.outcome_window_days },
    capacity: {
      reps: s.capacity.reps,
      touchesPerRepWeek: s.capacity.touches_per_rep_week,
      touchesPerSql: s.capacity.touches_per_sql ?? s.service_levels.min_calls + s.service_levels.min_emails,
      minConversion: s.capacity.min_conversion,
      mqlCapture: s.capacity.mql_capture,
      objective: s.capacity.objective,
    },
    currency: s.report.currency,
    asOf: asOf ?? null,
    source: file,
  };
}

/** The defaults, as if the settings file were empty. */
export function defaultSettings(): ReportSettings {
  return { ...parseSettings("", "defaults") };
}

/** Reads the settings file; a missing file gives the defaults. */
export function loadSettings(path = resolveSettingsPath()): ReportSettings {
  if (!existsSync(path)) return defaultSettings();
  return parseSettings(readFileSync(path, "utf8"), path);
}
