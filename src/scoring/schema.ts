import { z } from "zod";

/**
 * The scoring-definition format: the qualified-lead contract between marketing and sales, as a YAML
 * file. Every field is described here and, for people who do not read TypeScript, in ./FORMAT.md.
 * The schema is strict: a misspelt field is an error, not a silently ignored line.
 *
 * Conventions that hold throughout:
 * - `name` fields are short ids (`company_size`): lowercase letters, digits and `_`. They name the
 *   criterion in reasons, checks and the calibration; `label` is the text people read.
 * - Fit, situational and negative points are whole numbers; per-event engagement points may be
 *   fractional (decay makes them fractional anyway) and each engagement criterion is rounded to whole
 *   points after its decay and cap.
 * - Value matching is case-insensitive and ignores surrounding spaces. A value that is empty, or only
 *   spaces, or listed in `treat_as_missing`, is missing.
 */

/** A short id: starts with a letter; lowercase letters, digits and underscores. */
export const slug = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, "expected a short id of lowercase letters, digits and _ (like company_size)");

const wholePoints = z.number().int();
const positiveDays = z.number().positive();
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const oneOrMore = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

/**
 * One rule of a criterion on a lead column. Give exactly one way to match:
 * - `in`: the value is one of these (case-insensitive);
 * - `contains`: the value contains one of these pieces of text (case-insensitive);
 * - `matches`: the value matches this regular expression (RE2 syntax, case-insensitive);
 * - `min` and/or `max`: a numeric band, `min` included and `max` excluded (min <= value < max).
 */
export const valueRule = z.strictObject({
  in: z.array(scalar).min(1).optional(),
  contains: z.array(z.string().min(1)).min(1).optional(),
  matches: z.string().min(1).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Points a lead gets when this rule is the first of its criterion to match. */
  points: wholePoints,
  /** How this case reads in reasons and the explanation ("1,000 employees or more"). */
  label: z.string().min(1).optional(),
});
export type ValueRule = z.infer<typeof valueRule>;

/**
 * A fit or situational criterion: points from one lead column (canonical or an extra column the
 * loader kept). Rules are tried in order and the first match wins; a missing value scores `missing`,
 * a present value that matches no rule scores `otherwise`.
 */
export const columnCriterion = z.strictObject({
  name: slug,
  label: z.string().min(1).optional(),
  /** A sentence for the explanation: why this criterion matters. */
  description: z.string().optional(),
  /** The leads column the criterion reads. */
  column: z.string().min(1),
  /**
   * Criteria sharing a group are alternatives, not additions (company size by employees *or* by
   * revenue): the first of them, in file order, whose column has a value scores; the rest are skipped.
   * When every column of the group is missing, the first criterion's `missing` points apply.
   */
  group: slug.optional(),
  /** Numeric bands (min <= value < max), tried in order. */
  bands: z.array(valueRule).min(1).optional(),
  /** Value lists (in / contains / matches), tried in order. */
  values: z.array(valueRule).min(1).optional(),
  /** Points when the value is missing (default 0): missing is its own case, not a zero. */
  missing: wholePoints.default(0),
  /** Points when the value is present but matches no rule (default 0). */
  otherwise: wholePoints.default(0),
  /** Values that mean "not known" in this column ("unknown", "n/a"); they score as missing. */
  treat_as_missing: z.array(scalar).optional(),
  /**
   * For bands: calibration keeps the points monotone in the value (increasing, decreasing, or auto:
   * the direction the data shows), tying adjacent bands that would run against the trend.
   */
  monotone: z.enum(["increasing", "decreasing", "auto"]).optional(),
});
export type ColumnCriterion = z.infer<typeof columnCriterion>;

/** Half-life (an event loses half its points every N days) or a linear fade to zero over N days. */
export const decay = z.union([
  z.literal("none"),
  z.strictObject({ half_life_days: positiveDays }),
  z.strictObject({ fade_out_days: positiveDays }),
]);
export type Decay = z.infer<typeof decay>;

/** Which activities an engagement or negative criterion counts. */
const activityFilter = {
  /** Activity types that count (`pricing_page_view`, or a list). */
  activity: oneOrMore(z.string().min(1)),
  /** Detail patterns (page, asset, campaign), `*` as a wildcard, case-insensitive; any one may match. */
  detail: oneOrMore(z.string().min(1)).optional(),
  /** Only first-party events (your own site and emails) or only third-party intent data. */
  party: z.enum(["first", "third"]).optional(),
};

/**
 * An engagement criterion: each matching event inside the window earns `points`, scaled by decay
 * according to its age at the as-of moment; the criterion is capped at `cap` and rounded to whole
 * points (halves away from zero).
 */
export const engagementCriterion = z.strictObject({
  name: slug,
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  ...activityFilter,
  /** Points per event before decay. */
  points: z.number().refine(Number.isFinite, "expected a number"),
  /** The most this criterion can add (or, for negative points, take away), after decay. */
  cap: z.number().positive().optional(),
  /** Only events of the last N days count (default: engagement.window_days). */
  window_days: positiveDays.optional(),
  /** How an event's points fade with age (default: engagement.decay). */
  decay: decay.optional(),
});
export type EngagementCriterion = z.infer<typeof engagementCriterion>;

export const engagementSection = z.strictObject({
  /** Window for criteria that do not set their own (default 90 days). */
  window_days: positiveDays.default(90),
  /** Decay for criteria that do not set their own (default none). */
  decay: decay.default("none"),
  /** The most engagement can add in total, after each criterion's own cap. */
  cap: z.number().int().positive().optional(),
  criteria: z.array(engagementCriterion).default([]),
});
export type EngagementSection = z.infer<typeof engagementSection>;

/**
 * A condition of a negative criterion. Exactly one kind:
 * - on a lead column: `column` with one of `in`, `contains`, `matches`, `min`/`max`, or `missing: true`;
 * - on activities: `activity` (+ `detail`, `party`), optionally only within `within_days`, at least
 *   `min_count` times (default 1);
 * - inactivity: `inactive_days`: no activity (of the listed `activity` types, default any) in that
 *   many days before the as-of moment, for a lead that has existed at least that long.
 */
export const condition = z.strictObject({
  column: z.string().min(1).optional(),
  in: z.array(scalar).min(1).optional(),
  contains: z.array(z.string().min(1)).min(1).optional(),
  matches: z.string().min(1).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  missing: z.literal(true).optional(),
  activity: oneOrMore(z.string().min(1)).optional(),
  detail: oneOrMore(z.string().min(1)).optional(),
  party: z.enum(["first", "third"]).optional(),
  within_days: positiveDays.optional(),
  min_count: z.number().int().positive().optional(),
  inactive_days: positiveDays.optional(),
});
export type Condition = z.infer<typeof condition>;

/** A negative criterion: subtracts points (or disqualifies) when its condition holds. */
export const negativeCriterion = condition.extend({
  name: slug,
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Points subtracted (zero or less). */
  points: wholePoints.max(0, "negative criteria subtract points: expected 0 or less"),
  /** A lead meeting this condition is disqualified whatever its points (competitors, for instance). */
  disqualify: z.boolean().default(false),
  /** Several conditions, any one of which triggers the criterion (instead of one inline condition). */
  any_of: z.array(condition).min(1).optional(),
});
export type NegativeCriterion = z.infer<typeof negativeCriterion>;

/** A field sales needs before a lead is handed over: one column, or one of several. */
export const requiredField = z.union([
  z.string().min(1),
  z.strictObject({ column: z.string().min(1), label: z.string().min(1).optional() }),
  z.strictObject({ one_of: z.array(z.string().min(1)).min(2), label: z.string().min(1).optional() }),
]);
export type RequiredField = z.infer<typeof requiredField>;

export const completenessSection = z.strictObject({
  /** The stage that needs every field: a lead with enough points but gaps stays one stage below. */
  required_for: slug.optional(),
  fields: z.array(requiredField).min(1),
});

/** A layer of the funnel reached by points: MQL at 40, SQL at 65, and more if you like. */
export const threshold = z.strictObject({
  stage: slug,
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Total points needed (>=). */
  min_score: wholePoints,
  /** Also at least this many fit points (fit + situational), so engagement alone cannot carry a lead. */
  min_fit: wholePoints.optional(),
  /** Also at least this many engagement points, so a perfect profile that never engaged waits. */
  min_engagement: wholePoints.optional(),
});
export type Threshold = z.infer<typeof threshold>;

export const gradeBand = z.strictObject({
  grade: z.string().min(1).max(3),
  /** Lowest score of the band (>=). The last band takes everything below and has no min. */
  min: z.number().optional(),
  label: z.string().min(1).optional(),
});

export const gradesSection = z.strictObject({
  /** What the grade reads: the total score, or fit alone (profile quality, as some CRMs do). */
  on: z.enum(["total", "fit"]).default("total"),
  bands: z.array(gradeBand).min(2),
});

export const outcomeSection = z.strictObject({
  /** What the score predicts: the lead reaches this stage. */
  stage: z.enum(["sql", "opportunity", "won"]),
  /** ... within this many days of the moment it is scored. */
  horizon_days: z.number().int().positive(),
});

/**
 * When each lead is scored for calibration and backtests (`score --as-of per-lead`): the moment it
 * entered `stage` (or any later funnel stage), else `days_after_created` days after it was created.
 */
export const pointInTimeSection = z.strictObject({
  stage: z.enum(["lead", "mql", "sql", "opportunity"]).default("mql"),
  days_after_created: z.number().int().min(0).default(14),
});

export const approval = z.strictObject({
  by: z.string().min(1),
  role: z.string().optional(),
  on: z
    .union([z.string(), z.date()])
    .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d)),
});

/**
 * Points-to-probability scaling written by calibration: a score of `base_score` means odds of
 * `base_odds` (wins : losses), and every `points_to_double_odds` more points double them. Other
 * fields calibration writes (training window, metrics) are kept as they are.
 */
export const calibrationSection = z.looseObject({
  base_score: z.number(),
  base_odds: z.number().positive(),
  points_to_double_odds: z.number().positive(),
});

export const definitionSchema = z.strictObject({
  /** The definition's version, quoted in every score it produces ("2026.1", "2026-Q1"). */
  version: z.union([z.string().min(1), z.number()]).transform(String),
  name: z.string().min(1).optional(),
  /** draft (proposed), approved (current) or retired. */
  status: z.enum(["draft", "approved", "retired"]).optional(),
  /** Free text: what changed, why, what to watch. */
  notes: z.string().optional(),
  approved: z.array(approval).optional(),
  /** How often marketing and sales review the contract, and when next. */
  review: z
    .strictObject({
      every: z.enum(["month", "quarter", "half-year", "year"]),
      next: z
        .union([z.string(), z.date()])
        .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
        .optional(),
    })
    .optional(),
  outcome: outcomeSection,
  point_in_time: pointInTimeSection.default({ stage: "mql", days_after_created: 14 }),
  fit: z.array(columnCriterion).default([]),
  situational: z.array(columnCriterion).default([]),
  engagement: engagementSection.default({ window_days: 90, decay: "none", criteria: [] }),
  negative: z.array(negativeCriterion).default([]),
  completeness: completenessSection.optional(),
  thresholds: z.array(threshold).min(1),
  grades: gradesSection.optional(),
  /** How many reasons each score keeps, largest first (default 3). */
  top_reasons: z.number().int().min(1).max(10).default(3),
  calibration: calibrationSection.optional(),
});

/** A definition as written (before defaults). */
export type DefinitionInput = z.input<typeof definitionSchema>;
/** A validated definition, defaults filled in. */
export type Definition = z.infer<typeof definitionSchema>;

/** Stage names the scorer gives itself: below every threshold, and knocked out. */
export const BASE_STAGE = "lead";
export const DISQUALIFIED_STAGE = "disqualified";
