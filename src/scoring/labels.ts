import type { Condition, Decay, EngagementCriterion, RequiredField, ValueRule } from "./schema.ts";
import { asList } from "./sql-fragments.ts";

/** The words people read for each part of a definition; reasons, `explain` and the site share them. */

/** "company_size" -> "Company size" when no label is given. */
export function humanize(name: string): string {
  const s = name.replaceAll("_", " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function labelOf(c: { name: string; label?: string }): string {
  return c.label ?? humanize(c.name);
}

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
export function number(n: number): string {
  return fmt.format(n);
}

/** How a rule reads: "1,000 or more", "under 100", "100 to 199.99", "software or saas". */
export function ruleLabel(r: ValueRule | Condition): string {
  if ("label" in r && r.label) return r.label;
  if (r.in !== undefined) return r.in.map(String).join(" or ");
  if (r.contains !== undefined) return `contains ${r.contains.map((c) => `"${c}"`).join(" or ")}`;
  if (r.matches !== undefined) return `matches /${r.matches}/`;
  if (r.min !== undefined && r.max !== undefined) return `${number(r.min)} to under ${number(r.max)}`;
  if (r.min !== undefined) return `${number(r.min)} or more`;
  if (r.max !== undefined) return `under ${number(r.max)}`;
  return "any value";
}

export function decayLabel(d: Decay): string {
  if (d === "none") return "no decay";
  if ("half_life_days" in d) return `loses half its points every ${number(d.half_life_days)} days`;
  return `fades to nothing over ${number(d.fade_out_days)} days`;
}

export function activityLabel(f: Pick<EngagementCriterion, "activity" | "detail" | "party">): string {
  const types = asList(f.activity).join(" or ");
  const details = asList(f.detail);
  const detail = details.length ? ` on ${details.map((d) => `"${d}"`).join(" or ")}` : "";
  const party = f.party === "third" ? " from third parties" : f.party === "first" ? " (first-party)" : "";
  return `${types}${detail}${party}`;
}

/** A condition of a negative criterion in words. */
export function conditionLabel(c: Condition): string {
  if (c.inactive_days !== undefined) {
    const what = c.activity ? asList(c.activity).join(" or ") : "activity";
    return `no ${what} in the last ${number(c.inactive_days)} days`;
  }
  if (c.activity !== undefined) {
    const times = c.min_count && c.min_count > 1 ? `at least ${c.min_count} times` : "";
    const when = c.within_days ? `in the last ${number(c.within_days)} days` : "at any time";
    return [activityLabel(c as Pick<EngagementCriterion, "activity">), times, when].filter(Boolean).join(" ");
  }
  if (c.missing) return `${c.column} is missing`;
  const { label: _label, ...rule } = c as Condition & { label?: string };
  return `${c.column} ${c.in ? "is " : ""}${ruleLabel(rule)}`;
}

export function requiredFieldLabel(f: RequiredField): string {
  if (typeof f === "string") return humanize(f);
  if ("column" in f) return f.label ?? humanize(f.column);
  return f.label ?? f.one_of.map(humanize).join(" or ");
}

export function requiredFieldColumns(f: RequiredField): string[] {
  if (typeof f === "string") return [f];
  if ("column" in f) return [f.column];
  return f.one_of;
}

export function pointsText(p: number): string {
  return p > 0 ? `+${p}` : String(p);
}
