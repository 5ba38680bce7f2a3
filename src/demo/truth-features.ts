/**
 * The features of the demo's ground truth (./truth.ts): what each reads from a lead and its activities.
 *
 * Every feature is point-in-time: it uses only the lead's own fields (captured on the form that created
 * the lead) and activities that happened strictly before the scoring moment.
 */

export const ACTIVITY_TYPES = [
  "page_view",
  "pricing_page_view",
  "return_visit",
  "content_download",
  "form_fill",
  "webinar_registration",
  "webinar_attendance",
  "email_open",
  "email_click",
  "demo_request",
  "intent_signal",
  "unsubscribe",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** A lead field read as a category; a blank value is the level "unknown". */
export interface CategoryFeature {
  kind: "category";
  name: string;
  description: string;
  /** The leads column it reads. */
  column: "industry" | "seniority" | "budget" | "authority" | "need" | "timeline";
}

/** employees cut into bands; blank is "unknown". */
export interface BandFeature {
  kind: "band";
  name: string;
  description: string;
  column: "employees";
  /** Lower edges of the bands after the first, in order: [50, 200] gives "1-49", "50-199", "200+". */
  edges: number[];
}

/** The kind of the email's domain: business, personal, student, competitor, or unknown when blank. */
export interface EmailKindFeature {
  kind: "email_kind";
  name: string;
  description: string;
  column: "email";
}

/** Count of activities of one type in the window before the moment, capped. A cap of 1 makes it a flag. */
export interface CountFeature {
  kind: "count";
  name: string;
  description: string;
  activityType: ActivityType;
  /** Only activities whose detail starts with this text. */
  detailPrefix?: string;
  /** Window length before the moment; null means any time before it. */
  windowDays: number | null;
  cap: number;
}

export type FeatureDef = CategoryFeature | BandFeature | EmailKindFeature | CountFeature;

export const EMPLOYEE_BAND_EDGES = [50, 200, 1000, 5000];

/** The regular expression the loader uses for student domains (src/load/columns.ts). */
export const STUDENT_DOMAIN_PATTERN = "(\\.edu$|\\.edu\\.|\\.ac\\.[a-z]+$|^student\\.)";

export const FEATURES: FeatureDef[] = [
  {
    kind: "band",
    name: "employees_band",
    column: "employees",
    edges: EMPLOYEE_BAND_EDGES,
    description:
      "leads.employees cut at 50, 200, 1000, 5000: 1-49, 50-199, 200-999, 1000-4999, 5000+; blank is unknown",
  },
  { kind: "category", name: "industry", column: "industry", description: "leads.industry; blank is unknown" },
  {
    kind: "category",
    name: "seniority",
    column: "seniority",
    description: "leads.seniority; blank is unknown",
  },
  {
    kind: "email_kind",
    name: "email_kind",
    column: "email",
    description:
      "domain of leads.email: competitor if in competitor_domains, personal if in personal_domains, student if it matches student_domain_pattern, else business; blank or no @ is unknown",
  },
  { kind: "category", name: "budget", column: "budget", description: "leads.budget; blank is unknown" },
  {
    kind: "category",
    name: "authority",
    column: "authority",
    description: "leads.authority; blank is unknown",
  },
  { kind: "category", name: "need", column: "need", description: "leads.need; blank is unknown" },
  { kind: "category", name: "timeline", column: "timeline", description: "leads.timeline; blank is unknown" },
  ...(
    [
      ["pricing_page_views_30d", "pricing_page_view", 30, 5],
      ["demo_request_30d", "demo_request", 30, 1],
      ["content_downloads_30d", "content_download", 30, 5],
      ["webinar_attendances_30d", "webinar_attendance", 30, 3],
      ["email_clicks_30d", "email_click", 30, 5],
      ["return_visits_30d", "return_visit", 30, 5],
      ["intent_signal_30d", "intent_signal", 30, 1],
      ["unsubscribed_before", "unsubscribe", null, 1],
    ] as const
  ).map(
    ([name, activityType, windowDays, cap]): CountFeature => ({
      kind: "count",
      name,
      activityType,
      windowDays,
      cap,
      description: `number of ${activityType} activities with occurred_at ${windowDays === null ? "before the moment (any time)" : `in [moment - ${windowDays} days, moment)`}, capped at ${cap}${cap === 1 ? " (so 0 or 1)" : ""}`,
    }),
  ),
  {
    kind: "count",
    name: "careers_page_view_30d",
    activityType: "page_view",
    detailPrefix: "/careers",
    windowDays: 30,
    cap: 1,
    description:
      "1 if a page_view whose detail starts with /careers (a job seeker) has occurred_at in [moment - 30 days, moment), else 0",
  },
];

/** The levels of a band feature: edges [50, 200] give "1-49", "50-199", "200+". */
export function bandLabels(edges: number[]): string[] {
  const labels = [`1-${(edges[0] ?? 1) - 1}`];
  for (let j = 0; j < edges.length; j++) {
    const next = edges[j + 1];
    labels.push(next === undefined ? `${edges[j]}+` : `${edges[j]}-${next - 1}`);
  }
  return labels;
}
