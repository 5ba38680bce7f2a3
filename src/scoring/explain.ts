import type { ReportSettings } from "../settings.ts";
import type { Contract, ContractItem, ContractSection } from "./contract-types.ts";
import { decayFactor } from "./decay.ts";
import {
  activityLabel,
  conditionLabel,
  decayLabel,
  humanize,
  labelOf,
  number,
  pointsText,
  requiredFieldLabel,
  ruleLabel,
} from "./labels.ts";
import { pointRanges, type Range } from "./point-ranges.ts";
import { completenessStage, conditionKind } from "./rules.ts";
import type { ColumnCriterion, Decay, Definition, NegativeCriterion } from "./schema.ts";
import { BASE_STAGE } from "./schema.ts";

/** Service levels are kept in the report settings (data/settings.yaml); pass them to include them. */
export type ServiceLevelTerms = Omit<ReportSettings["serviceLevels"], "sqlCommitmentByQuarter">;

const OUTCOME_WORDS: Record<Definition["outcome"]["stage"], string> = {
  sql: "becomes a sales-qualified lead (SQL)",
  opportunity: "becomes an opportunity",
  won: "becomes a won deal",
};

/**
 * A definition's contract in plain language (./contract-types.ts): the summary, then a section per part of
 * the score, the thresholds, the grades, the service levels when given, and the version's review,
 * approvals, calibration and notes.
 */
export function explainDefinition(
  def: Definition,
  opts: { serviceLevels?: ServiceLevelTerms } = {},
): Contract {
  const sections: ContractSection[] = [];
  const ranges = pointRanges(def);
  const pit = def.point_in_time;
  const summary = [
    `The score estimates whether a lead ${OUTCOME_WORDS[def.outcome.stage]} within ${def.outcome.horizon_days} days.`,
    `Score = fit + situational + engagement + negative points. Fit adds ${range(ranges.fit)}, situational (BANT) ${range(ranges.situational)}, engagement ${range(ranges.engagement)}, and negative criteria ${range(ranges.negative)}.`,
    `Only what happened before the moment a lead is scored counts. For calibration and backtests each lead is scored when it became ${stageWord(pit.stage)} (or ${pit.days_after_created} days after it was created, if it never did).`,
  ];

  if (def.fit.length) {
    sections.push({
      id: "fit",
      title: "Fit: who they are",
      intro: ["The first matching case of each criterion counts; values are matched ignoring case."],
      items: columnItems(def.fit),
    });
  }
  if (def.situational.length) {
    sections.push({
      id: "situational",
      title: "Situational (BANT): budget, authority, need, timeline",
      intro: [],
      items: columnItems(def.situational),
    });
  }
  const eng = def.engagement;
  if (eng.criteria.length) {
    const intro = [
      `Each event earns points, counted over the last ${number(eng.window_days)} days unless a criterion says otherwise.`,
      `By default an event ${decayLabel(eng.decay)}${decayExample(eng.decay)}.`,
    ];
    if (eng.cap !== undefined) intro.push(`Engagement adds at most ${eng.cap} points in total.`);
    intro.push("Each criterion is rounded to whole points after its decay and cap.");
    sections.push({
      id: "engagement",
      title: "Engagement: what they did",
      intro,
      items: eng.criteria.map((c) => {
        const parts = [`${pointsText(c.points)} per event`];
        if (c.cap !== undefined) parts.push(`at most ${pointsText(c.points < 0 ? -c.cap : c.cap)}`);
        if (c.window_days !== undefined) parts.push(`only the last ${number(c.window_days)} days`);
        if (c.decay !== undefined) parts.push(`each event ${decayLabel(c.decay)}`);
        const desc = c.description ? ` ${c.description}` : "";
        return { text: `${labelOf(c)} (${activityLabel(c)}): ${parts.join("; ")}.${desc}` };
      }),
    });
  }
  if (def.negative.length) {
    sections.push({
      id: "negative",
      title: "Negative: warning signs",
      intro: ["Points come off when the condition holds; a disqualified lead is out whatever its points."],
      items: def.negative.map(negativeItem),
    });
  }

  const handover = completenessStage(def);
  if (def.completeness && handover) {
    const below =
      def.thresholds[def.thresholds.findIndex((t) => t.stage === handover) - 1]?.stage ?? BASE_STAGE;
    sections.push({
      id: "completeness",
      title: "Completeness: what sales needs",
      intro: [
        `Before a lead becomes ${stageWord(handover)}, these must be filled in. A lead with enough points but a gap stays ${stageWord(below)} until it is filled.`,
      ],
      items: def.completeness.fields.map((f) => ({ text: requiredFieldLabel(f) })),
    });
  }

  const thresholdItems: ContractItem[] = def.thresholds.map((t) => {
    const extra: string[] = [];
    if (t.min_fit !== undefined) extra.push(`at least ${t.min_fit} fit points (fit + situational)`);
    if (t.min_engagement !== undefined) extra.push(`at least ${t.min_engagement} engagement points`);
    if (
      handover &&
      def.thresholds.findIndex((x) => x.stage === t.stage) >=
        def.thresholds.findIndex((x) => x.stage === handover)
    ) {
      extra.push("every required field filled in");
    }
    const desc = t.description ? ` ${t.description}` : "";
    return {
      text: `${t.label ?? t.stage.toUpperCase()}: ${t.min_score} points or more${extra.length ? `, with ${joinAnd(extra)}` : ""}.${desc}`,
    };
  });
  const first = def.thresholds[0];
  thresholdItems.unshift({
    text: `Below ${first?.min_score ?? 0} points a lead stays a lead, for marketing to nurture.`,
  });
  if (def.negative.some((n) => n.disqualify)) {
    thresholdItems.push({
      text: "A lead meeting a disqualifying condition is disqualified, whatever its points.",
    });
  }
  sections.push({
    id: "thresholds",
    title: "Thresholds: when a lead moves up",
    intro: [],
    items: thresholdItems,
  });

  if (def.grades) {
    const bands = def.grades.bands;
    sections.push({
      id: "grades",
      title: "Grades",
      intro: [
        `Grades read ${def.grades.on === "fit" ? "fit points (fit + situational): how good the profile is" : "the total score"}.`,
      ],
      items: bands.map((b, i) => {
        const prev = bands[i - 1]?.min;
        const span =
          b.min === undefined
            ? `below ${prev ?? 0}`
            : prev === undefined
              ? `${number(b.min)} or more`
              : `${number(b.min)} to under ${number(prev)}`;
        return { text: `${b.grade}: ${span}${b.label ? ` (${b.label})` : ""}` };
      }),
    });
  }

  const sl = opts.serviceLevels;
  if (sl) {
    sections.push({
      id: "service_levels",
      title: "Service levels",
      intro: ["What each side commits to once a lead is handed over (from the report settings)."],
      items: [
        {
          text: `Sales makes a first touch on a new SQL within ${duration(sl.firstTouchTargetMinutes)}, and never later than ${duration(sl.firstTouchLimitMinutes)}.`,
        },
        {
          text: `In the first ${sl.touchWindowDays} days sales makes at least ${sl.minCalls} calls and ${sl.minEmails} emails, and updates the status within ${sl.statusUpdateDays} days.`,
        },
        {
          text: `Marketing delivers ${number(sl.sqlCommitmentPerQuarter)} SQLs a quarter, tracked week by week.`,
        },
      ],
    });
  }

  const about: ContractItem[] = [];
  if (def.review)
    about.push({
      text: `Marketing and sales review this definition every ${def.review.every}${def.review.next ? `; next review ${def.review.next}` : ""}.`,
    });
  for (const a of def.approved ?? [])
    about.push({ text: `Approved by ${a.by}${a.role ? ` (${a.role})` : ""} on ${a.on}.` });
  if (def.calibration) {
    const c = def.calibration;
    about.push({
      text: `Calibrated: a score of ${number(c.base_score)} means odds of ${number(c.base_odds)} to 1, and every ${number(c.points_to_double_odds)} points more doubles the odds.`,
    });
  }
  if (def.notes) about.push({ text: def.notes.trim() });
  if (about.length) sections.push({ id: "about", title: "About this version", intro: [], items: about });

  return {
    title: def.name ?? "Qualified-lead definition",
    version: def.version,
    status: def.status ?? "unspecified",
    summary,
    sections,
  };
}

function columnItems(list: ColumnCriterion[]): ContractItem[] {
  const items: ContractItem[] = [];
  const seenGroups = new Set<string>();
  for (const c of list) {
    if (c.group) {
      if (seenGroups.has(c.group)) continue;
      seenGroups.add(c.group);
      const members = list.filter((m) => m.group === c.group);
      items.push({
        text: `${humanize(c.group)}: by ${members.map((m) => `${m.column}`).join(" when known, otherwise by ")}.`,
        cases: [
          ...members.flatMap((m) => casesOf(m, `${labelOf(m)}: `, false)),
          `none of them known: ${pointsText(c.missing)}`,
        ],
      });
      continue;
    }
    items.push({
      text: `${labelOf(c)} (column ${c.column}).${c.description ? ` ${c.description}` : ""}`,
      cases: casesOf(c, "", true),
    });
  }
  return items;
}

function casesOf(c: ColumnCriterion, prefix: string, showMissing: boolean): string[] {
  const rules = c.bands ?? c.values ?? [];
  const cases = rules.map((r) => `${prefix}${ruleLabel(r)}: ${pointsText(r.points)}`);
  if (c.otherwise !== 0 || c.values) cases.push(`${prefix}any other value: ${pointsText(c.otherwise)}`);
  if (showMissing) {
    const extra = c.treat_as_missing?.length ? ` (or ${c.treat_as_missing.map(String).join(", ")})` : "";
    cases.push(`${prefix}not known${extra}: ${pointsText(c.missing)}`);
  }
  return cases;
}

function negativeItem(n: NegativeCriterion): ContractItem {
  const conds = n.any_of ?? [n];
  const when = conds.map(conditionLabel).join(", or ");
  const effect = n.disqualify
    ? n.points !== 0
      ? `${pointsText(n.points)} and disqualified`
      : "disqualified"
    : pointsText(n.points);
  const inactivity = conds.some((c) => conditionKind(c) === "inactivity")
    ? " Applies only to leads that have existed that long, and only when activities are loaded."
    : "";
  const desc = n.description ? ` ${n.description}` : "";
  return { text: `${labelOf(n)} (${when}): ${effect}.${inactivity}${desc}` };
}

function decayExample(d: Decay): string {
  if (d === "none") return "";
  const age = "half_life_days" in d ? d.half_life_days : d.fade_out_days / 2;
  const share = decayFactor(d, age);
  return ` (an event ${number(age)} days old counts ${number(Math.round(share * 100))}% of its points)`;
}

function range(r: Range): string {
  const hi = Number.isFinite(r.max) ? pointsText(r.max) : "no upper limit";
  const lo = Number.isFinite(r.min) ? pointsText(r.min) : "no lower limit";
  if (r.min === r.max) return `${pointsText(r.min)} points`;
  return `from ${lo} to ${hi} points`;
}

function stageWord(stage: string): string {
  const upper = ["mql", "sql"].includes(stage) ? stage.toUpperCase() : stage;
  return `${/^[aeiouAEIOU]|^[MS]QL$/.test(upper) ? "an" : "a"} ${upper}`;
}

function joinAnd(xs: string[]): string {
  if (xs.length <= 1) return xs.join("");
  return `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;
}

/** A policy's duration in words: "30 minutes", "4 hours", "one day" (the Service levels page has a copy). */
export function duration(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "one day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "one hour" : `${minutes / 60} hours`;
  return `${number(minutes)} minutes`;
}
