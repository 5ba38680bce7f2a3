// Conversion whatever the dates (src/report/conversion.ts): KPI cards, one chart per segment and a
// table, for data that has no cohorts to show (a leads file with a converted flag and no dates).
import { html } from "htl";
import { rateBars } from "./charts.js";
import { count, percent } from "./format.js";
import { kpiCard } from "./kpi.js";
import { takeaway } from "./notes.js";
import { dataTable } from "./table.js";

/** Groups with fewer leads are shown but not named best or worst. */
const MIN_COMPARE = 30;
const UNNAMED = new Set(["Other", "(not set)"]);

const interval = (r) => (r.low === null ? "—" : `${percent(r.low)} to ${percent(r.high)}`);

/** Should a page show this view: leads are loaded, but the funnel has no cohorts to show? */
export function showsConversionOnly(conv, { hasCohorts }) {
  return conv.overall.leads > 0 && !hasCohorts;
}

/** The plain sentence saying why there are no cohorts, timing or trend. `dated`: leads with a date. */
export function noDatesSentence(conv, { dated }) {
  const all = `all ${count(conv.overall.leads)} leads loaded`;
  return dated === 0
    ? `The data has no dates: no lead carries a creation date, a dated stage or a dated deal. So there are no cohorts, no time between stages and no trend over time; the figures below count ${all}.`
    : `No stage after the first carries a date${conv.basis.flag ? " (the converted flag has none)" : ""}, so there are no cohorts of conversion, no time between stages and no trend; the figures below count ${all}, whatever their dates.`;
}

/** What counted as converted, with the split by evidence when the data has both. */
export function countedSentence(conv) {
  const o = conv.overall;
  if (o.converted === null) return `Nothing in the data says which leads converted: ${conv.counted}.`;
  const split =
    conv.basis.flag && conv.basis.stages
      ? ` (${count(o.byFlag)} by the flag, ${count(o.byStage)} by the stage history, ${count(o.byBoth)} of them by both)`
      : "";
  return `Converted means ${conv.counted}: ${count(o.converted)} of ${count(o.leads)} leads${split}.`;
}

/** KPI cards: leads, converted, conversion rate with its 95% interval. */
export function conversionKpis(conv) {
  const o = conv.overall;
  const what =
    conv.basis.flag && conv.basis.stages
      ? "flag true or SQL or later, each lead once"
      : conv.basis.flag
        ? "converted flag true"
        : "reached SQL or later";
  return html`<div class="grid grid-cols-3">
    ${kpiCard("Leads, all loaded (no date needed)", o.leads, undefined, { format: count })}
    ${kpiCard(`Converted leads (${what})`, o.converted, undefined, { format: count })}
    ${kpiCard("Conversion rate, converted / leads", o.rate, undefined, {
      format: (x) => percent(x),
      note: o.rate === null ? undefined : `95% interval ${interval(o)}`,
    })}
  </div>`;
}

function bestWorst(rows, label) {
  const big = rows.filter((r) => r.leads >= MIN_COMPARE && !UNNAMED.has(r.group));
  if (big.length < 2) return `Too few ${label} groups with ${MIN_COMPARE}+ leads to compare.`;
  const s = big.slice().sort((a, b) => b.rate - a.rate);
  const top = s[0];
  const bottom = s.at(-1);
  const apart =
    top.low > bottom.high
      ? "their 95% intervals do not overlap, so the gap is larger than chance alone would give"
      : "their 95% intervals overlap, so the gap may be chance";
  return `By ${label}: ${top.group} converts best (${percent(top.rate)} of ${count(top.leads)}), ${bottom.group} worst (${percent(bottom.rate)} of ${count(bottom.leads)}); ${apart}.`;
}

/** One chart and takeaway per segment the data has, in an element. */
export async function segmentCharts(conv, { width }) {
  const div = document.createElement("div");
  // One scale for every segment, so a bar's length means the same rate in each chart.
  const top = Math.max(0.1, ...conv.rows.map((r) => r.high ?? 0));
  const domain = [0, Math.min(1, Math.ceil(top * 10) / 10)];
  for (const seg of conv.segments) {
    const rows = conv.rows
      .filter((r) => r.segment === seg.key)
      .map((r) => ({
        group: r.group,
        rate: r.rate,
        low: r.low,
        high: r.high,
        reached: r.converted,
        leads: r.leads,
      }));
    const leads = rows.reduce((a, r) => a + r.leads, 0);
    div.append(
      await rateBars(rows, {
        width,
        interval: true,
        domain,
        sort: seg.key === "size_band" ? rows.map((r) => r.group) : "rate",
        title: `Share of leads converted, by ${seg.label}: all ${count(leads)} leads, whatever their dates`,
        subtitle: `Percent of the group's leads converted (${conv.counted}). Line: 95% interval (Wilson). Values with fewer than ${conv.minCell} leads are grouped as Other.`,
        xTitle: "share of leads converted",
      }),
      takeaway(bestWorst(rows, seg.label)),
    );
  }
  return div;
}

/** Every segment's groups in one table, with the rate and its interval. */
export function segmentTable(conv, { filename }) {
  const label = Object.fromEntries(conv.segments.map((s) => [s.key, s.label]));
  return dataTable(
    conv.rows.map((r) => ({ ...r, segment: label[r.segment] })),
    {
      filename,
      rows: 20,
      columns: [
        { key: "segment", label: "Segment" },
        { key: "group", label: "Group" },
        { key: "leads", label: "Leads", format: count },
        { key: "converted", label: "Converted leads", format: count },
        { key: "rate", label: "Conversion rate", format: (x) => percent(x) },
        { key: "low", label: "95% interval from", format: (x) => percent(x) },
        { key: "high", label: "95% interval to", format: (x) => percent(x) },
      ],
    },
  );
}

/** Segments the data has no value for, in a sentence ("" when none is absent). */
export function absentSentence(conv) {
  const names = {
    channel: "channel",
    source: "source",
    industry: "industry",
    size_band: "company size",
    country: "country",
  };
  return conv.absent.length
    ? `Not in the data, so not shown: ${conv.absent.map((k) => names[k]).join(", ")}.`
    : "";
}

/** The Method bullets for this view (<li> elements; the page wraps them in its list). */
export function conversionMethod(conv) {
  return html`${[
    html`<li><strong>Which leads.</strong> Every lead loaded, whatever its dates: ${count(conv.overall.leads)} leads, none left out.</li>`,
    html`<li><strong>Converted</strong> means ${conv.counted}.${conv.overall.flagMissing ? ` ${count(conv.overall.flagMissing)} leads with no converted value count as not converted.` : ""}</li>`,
    html`<li><strong>Conversion rate</strong> is converted leads divided by leads. Its 95% interval is the Wilson score interval: with fewer leads in a group the interval is wider, so two groups whose intervals overlap may not truly differ.</li>`,
    html`<li><strong>Small groups.</strong> Values held by fewer than ${conv.minCell} leads, and those beyond the ${conv.maxNamed} largest, are grouped as Other (with the smallest named values added if Other would still be under ${conv.minCell}), so no figure points at a handful of leads. "(not set)" counts leads with no value.</li>`,
    html`<li><strong>No dates, so not shown.</strong> Cohorts, time between stages and trends need dates the data does not have.</li>`,
  ]}`;
}
