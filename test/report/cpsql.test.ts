import { describe, expect, it } from "vitest";
import {
  type ChannelRow,
  channelBars,
  channelRanking,
  channelRows,
  channelTable,
  costOf,
  directCost,
  known,
  type MonthRow,
  monthlyLines,
  monthlyRows,
  quarterRows,
  quarterTrend,
  rankingSentence,
  selectCosts,
  trendSentence,
  unitCosts,
} from "../../reports/components/cpsql.js";

/**
 * The Cost per SQL page's arithmetic. Expected values are worked by hand from the month rows below
 * (the loader's shape: one row per month and channel, cost booked to no channel under
 * "unallocated", each month's unallocated cost shared out over the channels by their SQLs).
 *
 * month    channel      cost?  mkt  sales  share  leads mqls sqls won
 * 2024-12  ads          no       0      0      0      5    2    1   0
 * 2025-01  ads          yes    600      0     60     20   10    4   1   unallocated 90 over 6 SQLs:
 * 2025-01  organic      yes      0      0     30     10    5    2   0     ads 4/6 = 60, organic 2/6 = 30
 * 2025-01  unallocated  yes      0     90      0      0    0    0   0
 * 2025-02  ads          no       0      0      0      8    4    2   0   no cost loaded this month
 * 2025-02  organic      no       0      0      0      4    2    1   1
 * 2025-04  ads          yes    300    100     20     10    6    2   1   unallocated 40 over 4 SQLs:
 * 2025-04  organic      yes      0      0     20      5    3    2   0     20 each
 * 2025-04  unallocated  yes      0     40      0      0    0    0   0
 * 2025-07  ads          yes    100      0      0      3    1    0   0   the as-of month: no SQL, so
 * 2025-07  unallocated  yes      0     10      0      0    0    0   0     its 10 is not shared out
 */
const m = (
  month: string,
  channel: string,
  hasCost: boolean,
  [marketing_cost, sales_cost, unallocated_share, leads, mqls, sqls, won]: number[],
): MonthRow => ({
  month,
  quarter: `${month.slice(0, 4)} Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`,
  channel,
  month_has_cost: hasCost,
  marketing_cost: marketing_cost as number,
  sales_cost: sales_cost as number,
  unallocated_share: unallocated_share as number,
  leads: leads as number,
  mqls: mqls as number,
  sqls: sqls as number,
  won: won as number,
});
const MONTHS = [
  m("2024-12", "ads", false, [0, 0, 0, 5, 2, 1, 0]),
  m("2025-01", "ads", true, [600, 0, 60, 20, 10, 4, 1]),
  m("2025-01", "organic", true, [0, 0, 30, 10, 5, 2, 0]),
  m("2025-01", "unallocated", true, [0, 90, 0, 0, 0, 0, 0]),
  m("2025-02", "ads", false, [0, 0, 0, 8, 4, 2, 0]),
  m("2025-02", "organic", false, [0, 0, 0, 4, 2, 1, 1]),
  m("2025-04", "ads", true, [300, 100, 20, 10, 6, 2, 1]),
  m("2025-04", "organic", true, [0, 0, 20, 5, 3, 2, 0]),
  m("2025-04", "unallocated", true, [0, 40, 0, 0, 0, 0, 0]),
  m("2025-07", "ads", true, [100, 0, 0, 3, 1, 0, 0]),
  m("2025-07", "unallocated", true, [0, 10, 0, 0, 0, 0, 0]),
];
const ALL = { from: "2024 Q4", to: "2025 Q3" };
const H1 = { from: "2025 Q1", to: "2025 Q2" };
const Q4 = { from: "2024 Q4", to: "2024 Q4" };
const RECORDED = { mql: true, sql: true, won: true };
const AS_OF = { asOfMonth: "2025-07", asOfQuarter: "2025 Q3" };

describe("cost of a selection", () => {
  const t = { marketing_cost: 300, sales_cost: 100, unallocated_share: 20 };
  it("is marketing + sales when blended, plus the share of unallocated for a channel", () => {
    expect(directCost(t)).toBe(400);
    expect(costOf(t, null)).toBe(400);
    expect(costOf(t, "ads")).toBe(420);
  });
  it("reads a count the data does not record as unknown, not zero", () => {
    expect(known(7, true)).toBe(7);
    expect(known(0, true)).toBe(0);
    expect(known(7, false)).toBeNull();
  });
  it("divides into cost per lead, MQL, SQL and won deal, null where it cannot", () => {
    // 400 / 10 leads = 40, / 8 MQLs = 50, / 4 SQLs = 100; no won deal: null, not infinity.
    expect(unitCosts(400, { leads: 10, mqls: 8, sqls: 4, won: 0 }, RECORDED)).toEqual({
      lead: 40,
      mql: 50,
      sql: 100,
      won: null,
    });
    // MQLs and wins the data does not record: null whatever the counts say.
    expect(unitCosts(400, { leads: 10, mqls: 8, sqls: 4, won: 2 }, { mql: false, won: false })).toEqual({
      lead: 40,
      mql: null,
      sql: 100,
      won: null,
    });
    // Unknown cost (a quarter with no month of cost): every figure unknown. Zero cost is $0 a lead.
    expect(unitCosts(null, { leads: 10, mqls: 8, sqls: 4, won: 2 }, RECORDED)).toEqual({
      lead: null,
      mql: null,
      sql: null,
      won: null,
    });
    expect(unitCosts(0, { leads: 10, mqls: 8, sqls: 4, won: 2 }, RECORDED).lead).toBe(0);
  });
});

describe("selectCosts", () => {
  it("blends every cost over the months with cost, including the unallocated", () => {
    const s = selectCosts(MONTHS, { period: ALL, channel: null });
    expect([...s.monthsWithCost]).toEqual(["2025-01", "2025-04", "2025-07"]);
    expect(s.selected).toHaveLength(11);
    // costed = every row but 2024-12 and 2025-02 (8 rows).
    expect(s.costed).toHaveLength(8);
    // marketing 600 + 300 + 100 = 1000; sales 90 + 100 + 40 + 10 = 240; shares 60+30+20+20 = 130
    // leads 20+10+10+5+3 = 48; MQLs 10+5+6+3+1 = 25; SQLs 4+2+2+2 = 10; won 1+1 = 2
    expect(s.totals).toEqual({
      marketing_cost: 1000,
      sales_cost: 240,
      unallocated_share: 130,
      leads: 48,
      mqls: 25,
      sqls: 10,
      won: 2,
    });
    // Blended: 1000 + 240 = 1240 (the shares are not added again), of which 90 + 40 + 10 = 140 is unallocated.
    expect(s.cost).toBe(1240);
    expect(s.unallocatedCost).toBe(140);
  });
  it("loads a channel with its share of the unallocated, over the same months", () => {
    const s = selectCosts(MONTHS, { period: ALL, channel: "ads" });
    expect(s.selected.map((r) => r.month)).toEqual(["2024-12", "2025-01", "2025-02", "2025-04", "2025-07"]);
    expect(s.costed.map((r) => r.month)).toEqual(["2025-01", "2025-04", "2025-07"]);
    // own 600 + 400 + 100 = 1100, share 60 + 20 = 80: 1180 over 4 + 2 = 6 SQLs.
    expect(s.cost).toBe(1180);
    expect(s.totals.sqls).toBe(6);
    expect(s.unallocatedCost).toBe(0);
    // allCosted is every channel's, whatever the filter: 8 rows as blended.
    expect(s.allCosted).toHaveLength(8);
  });
  it("leaves out the months with no cost: a period with none costs nothing over no SQLs", () => {
    const s = selectCosts(MONTHS, { period: Q4, channel: null });
    expect(s.monthsWithCost.size).toBe(0);
    expect(s.selected).toHaveLength(1); // 2024-12 ads: 1 SQL, but its cost is unknown
    expect(s.totals.sqls).toBe(0);
    expect(s.cost).toBe(0);
  });
  it("counts a month as costed when any channel has cost in it, not only the chosen one", () => {
    // Only the unallocated row carries cost in 2025-05; organic's SQLs there still count, with the
    // share of the unallocated they carry.
    const rows = [
      m("2025-05", "organic", false, [0, 0, 50, 3, 0, 2, 0]),
      m("2025-05", "unallocated", true, [0, 50, 0, 0, 0, 0, 0]),
    ];
    const s = selectCosts(rows, { period: H1, channel: "organic" });
    expect([...s.monthsWithCost]).toEqual(["2025-05"]);
    expect(s.cost).toBe(50); // 0 own + 50 share
    expect(s.totals.sqls).toBe(2);
  });
});

describe("monthlyRows and monthlyLines", () => {
  it("gives each month's blended figures, unknown where the month has no cost", () => {
    const sel = selectCosts(MONTHS, { period: ALL, channel: null });
    const rows = monthlyRows(sel, { channel: null, recorded: RECORDED, asOfMonth: AS_OF.asOfMonth });
    expect(rows.map((r) => r.month)).toEqual(["2024-12", "2025-01", "2025-02", "2025-04", "2025-07"]);
    // 2024-12: no cost loaded; its lead and SQL still count.
    expect(rows[0]).toMatchObject({
      quarter: "2024 Q4",
      marketing_cost: null,
      cost: null,
      cpsql: null,
      leads: 5,
      sqls: 1,
    });
    // 2025-01: 600 marketing + 90 sales = 690 over 4 + 2 = 6 SQLs = 115. No channel: no share, no direct figure.
    expect(rows[1]).toEqual({
      month: "2025-01",
      quarter: "2025 Q1",
      marketing_cost: 600,
      sales_cost: 90,
      unallocated_share: null,
      cost: 690,
      leads: 30,
      mqls: 15,
      sqls: 6,
      won: 1,
      cpsql: 115,
      direct_cpsql: null,
      to_date: false,
    });
    // 2025-07, the as-of month: 110 of cost and no SQL, so no cost per SQL.
    expect(rows[4]).toMatchObject({ cost: 110, sqls: 0, cpsql: null, to_date: true });
    // The line has the months with cost and SQLs: 2025-01 (115) and 2025-04 (400 + 40 = 440 / 4 = 110).
    expect(monthlyLines(rows, null)).toEqual([
      { month: "2025-01", series: "blended (all cost / all SQLs)", value: 115, sqls: 6, cost: 690 },
      { month: "2025-04", series: "blended (all cost / all SQLs)", value: 110, sqls: 4, cost: 440 },
    ]);
  });
  it("gives a channel's fully loaded and direct cost per SQL", () => {
    const sel = selectCosts(MONTHS, { period: ALL, channel: "ads" });
    const rows = monthlyRows(sel, { channel: "ads", recorded: RECORDED, asOfMonth: AS_OF.asOfMonth });
    // 2025-01 ads: own 600, share 60: loaded 660 / 4 = 165, direct 600 / 4 = 150.
    expect(rows[1]).toMatchObject({ unallocated_share: 60, cost: 660, cpsql: 165, direct_cpsql: 150 });
    // 2025-04 ads: own 400, share 20: loaded 420 / 2 = 210, direct 400 / 2 = 200.
    expect(monthlyLines(rows, "ads")).toEqual([
      {
        month: "2025-01",
        series: "fully loaded (own + share of unallocated)",
        value: 165,
        sqls: 4,
        cost: 660,
      },
      { month: "2025-01", series: "direct (own cost only)", value: 150, sqls: 4, cost: 600 },
      {
        month: "2025-04",
        series: "fully loaded (own + share of unallocated)",
        value: 210,
        sqls: 2,
        cost: 420,
      },
      { month: "2025-04", series: "direct (own cost only)", value: 200, sqls: 2, cost: 400 },
    ]);
  });
  it("shows the counts of stages the data does not record as unknown", () => {
    const sel = selectCosts(MONTHS, { period: ALL, channel: null });
    const rows = monthlyRows(sel, { recorded: { mql: false, sql: true, won: false }, asOfMonth: undefined });
    expect(rows[1]).toMatchObject({ mqls: null, sqls: 6, won: null, to_date: false });
  });
});

describe("quarterTrend", () => {
  it("compares the last two quarters before the as-of quarter", () => {
    // Blended: 2025 Q1 costed in January only, 690 / 6 = 115; Q2 440 / 4 = 110; Q3 is to date (and
    // has no SQL); 2024 Q4 has no month with cost. (110 - 115) / 115 = -1/23.
    const t = quarterTrend(selectCosts(MONTHS, { period: ALL }), { asOfQuarter: AS_OF.asOfQuarter });
    expect(t.last).toEqual({ quarter: "2025 Q2", cpsql: 110 });
    expect(t.prev).toEqual({ quarter: "2025 Q1", cpsql: 115 });
    expect(t.change).toBeCloseTo(-1 / 23, 12);
  });
  it("follows the channel's fully loaded cost", () => {
    // ads: Q1 660 / 4 = 165; Q2 420 / 2 = 210: (210 - 165) / 165 = 45/165 = 3/11.
    const t = quarterTrend(selectCosts(MONTHS, { period: ALL, channel: "ads" }), {
      channel: "ads",
      asOfQuarter: AS_OF.asOfQuarter,
    });
    expect(t.change).toBeCloseTo(3 / 11, 12);
  });
  it("has no trend with fewer than two quarters to compare", () => {
    // Only 2024 Q4, which has no cost: nothing to compare.
    expect(quarterTrend(selectCosts(MONTHS, { period: Q4 }), { asOfQuarter: null })).toEqual({
      last: null,
      prev: null,
      change: null,
    });
    // 2025 Q1 and Q2 only, and Q2 is (as if) the as-of quarter: one quarter left.
    const one = quarterTrend(selectCosts(MONTHS, { period: H1 }), { asOfQuarter: "2025 Q2" });
    expect(one).toEqual({ last: { quarter: "2025 Q1", cpsql: 115 }, prev: null, change: null });
  });
  it("counts a complete last quarter when the data runs to its end (no as-of quarter)", () => {
    // Q3 has cost but no SQL, so it is skipped whatever the as-of quarter: still Q2 against Q1.
    const t = quarterTrend(selectCosts(MONTHS, { period: ALL }), { asOfQuarter: null });
    expect(t.last?.quarter).toBe("2025 Q2");
  });
  it("reads as a sentence, down when the cost fell or held, up when it rose", () => {
    const sel = selectCosts(MONTHS, { period: ALL });
    const trend = quarterTrend(sel, { asOfQuarter: AS_OF.asOfQuarter });
    // 1240 / 10 = 124; -1/23 = -4.3%, shown as "down 4%". Amounts of 100 or more print without cents.
    expect(
      trendSentence({
        periodText: "2024 Q4 to 2025 Q3",
        cost: sel.cost,
        sqls: sel.totals.sqls,
        trend,
        currency: "USD",
      }),
    ).toBe(
      "Blended cost per SQL over 2024 Q4 to 2025 Q3 was $124 (10 SQLs for $1,240); in 2025 Q2 it was $110, down 4% on 2025 Q1.",
    );
    // Q2 against Q1 at hand-picked costs per SQL: 15 and 15 held (0, "down 0%"); 210 against 165 rose
    // by 45/165 = 27.3% ("up 27%"). Amounts under 100 print with cents.
    const q2OnQ1 = (last: number, prev: number) => ({
      last: { quarter: "2025 Q2", cpsql: last },
      prev: { quarter: "2025 Q1", cpsql: prev },
      change: (last - prev) / prev,
    });
    const cases: [Parameters<typeof trendSentence>[0], string][] = [
      [
        {
          channel: "organic",
          periodText: "2025 Q1",
          cost: 50,
          sqls: 4,
          trend: q2OnQ1(15, 15),
          currency: "USD",
        },
        "Cost for organic per SQL over 2025 Q1 was $12.50 (4 SQLs for $50.00); in 2025 Q2 it was $15.00, down 0% on 2025 Q1.",
      ],
      [
        { channel: "ads", periodText: "x", cost: 1180, sqls: 6, trend: q2OnQ1(210, 165), currency: "EUR" },
        "Cost for ads per SQL over x was €197 (6 SQLs for €1,180); in 2025 Q2 it was €210, up 27% on 2025 Q1.",
      ],
    ];
    for (const [input, sentence] of cases) expect(trendSentence(input)).toBe(sentence);
  });
  it("ends the sentence at the period's figure without a trend, and shows no SQLs as —", () => {
    const none = { last: null, prev: null, change: null };
    expect(trendSentence({ periodText: "2024 Q4", cost: 0, sqls: 0, trend: none, currency: "USD" })).toBe(
      "Blended cost per SQL over 2024 Q4 was — (0 SQLs for $0.00).",
    );
  });
});

describe("quarterRows", () => {
  it("costs each quarter over its months with cost, and counts all its months", () => {
    const sel = selectCosts(MONTHS, { period: ALL });
    const rows = quarterRows(sel, { recorded: RECORDED, asOfQuarter: AS_OF.asOfQuarter });
    expect(rows.map((r) => r.label)).toEqual(["2024 Q4", "2025 Q1", "2025 Q2", "2025 Q3 (to date)"]);
    // 2024 Q4: no month with cost: cost and every ratio unknown; its 1 SQL still counts.
    expect(rows[0]).toEqual({
      quarter: "2024 Q4",
      label: "2024 Q4",
      cost: null,
      sqls: 1,
      cpsql: null,
      months: 0,
      cost_per_lead: null,
      cost_per_mql: null,
      cost_per_won: null,
      leads: 5,
      mqls: 2,
      won: 0,
    });
    // 2025 Q1: counts over January and February (leads 30 + 12 = 42, MQLs 15 + 6 = 21, SQLs 6 + 3 = 9,
    // won 1 + 1 = 2), but the ratios over January only: 690 / 6 SQLs = 115, / 30 leads = 23,
    // / 15 MQLs = 46, / 1 won = 690.
    expect(rows[1]).toEqual({
      quarter: "2025 Q1",
      label: "2025 Q1",
      cost: 690,
      sqls: 9,
      cpsql: 115,
      months: 1,
      cost_per_lead: 23,
      cost_per_mql: 46,
      cost_per_won: 690,
      leads: 42,
      mqls: 21,
      won: 2,
    });
    // 2025 Q3: 110 over 3 leads and 1 MQL; no SQL and no win: unknown per SQL and per win.
    expect(rows[3]).toMatchObject({
      cost: 110,
      cpsql: null,
      cost_per_mql: 110,
      cost_per_won: null,
      months: 1,
    });
    expect(rows[3]?.cost_per_lead).toBeCloseTo(110 / 3, 12);
  });
  it("loads a channel's quarters, and leaves out what the data does not record", () => {
    const sel = selectCosts(MONTHS, { period: H1, channel: "ads" });
    const rows = quarterRows(sel, { channel: "ads", recorded: { mql: false, sql: true, won: false } });
    // ads in 2025 Q1: 660 over its 4 January SQLs = 165; Q2: 420 / 2 = 210.
    expect(
      rows.map((r) => [r.quarter, r.cost, r.cpsql, r.mqls, r.cost_per_mql, r.won, r.cost_per_won]),
    ).toEqual([
      ["2025 Q1", 660, 165, null, null, null, null],
      ["2025 Q2", 420, 210, null, null, null, null],
    ]);
  });
});

describe("channels", () => {
  const sel = selectCosts(MONTHS, { period: ALL, channel: "organic" });
  const rows = channelRows(sel, { recorded: RECORDED });

  it("costs every channel over the months with cost, whatever the channel filter", () => {
    expect(rows.map((r) => r.channel)).toEqual(["ads", "organic", "unallocated"]);
    // ads: own 600 + 400 + 100 = 1100, share 60 + 20 = 80, loaded 1180; leads 20 + 10 + 3 = 33,
    // MQLs 10 + 6 + 1 = 17, SQLs 4 + 2 = 6, won 2. Per SQL 1100 / 6 own, 1180 / 6 loaded;
    // per lead 1100 / 33, per MQL 1100 / 17, per won 1100 / 2 = 550 (own cost).
    const ads = rows[0] as ChannelRow;
    expect(ads).toMatchObject({
      direct_cost: 1100,
      unallocated_share: 80,
      loaded_cost: 1180,
      leads: 33,
      sqls: 6,
    });
    expect(ads.direct_cpsql).toBeCloseTo(1100 / 6, 12);
    expect(ads.loaded_cpsql).toBeCloseTo(1180 / 6, 12);
    expect(ads.cost_per_lead).toBeCloseTo(1100 / 33, 12);
    expect(ads.cost_per_mql).toBeCloseTo(1100 / 17, 12);
    expect(ads.cost_per_won).toBe(550);
    // organic: no cost of its own, 30 + 20 = 50 of share over 4 SQLs = 12.5; no win: per win unknown.
    expect(rows[1]).toMatchObject({
      direct_cost: 0,
      loaded_cost: 50,
      direct_cpsql: 0,
      loaded_cpsql: 12.5,
      cost_per_lead: 0,
      cost_per_won: null,
    });
    // unallocated: its own 90 + 40 + 10 = 140, and no per-unit figure.
    expect(rows[2]).toEqual({
      channel: "unallocated",
      direct_cost: 140,
      unallocated_share: null,
      loaded_cost: null,
      leads: 0,
      mqls: 0,
      sqls: 0,
      won: 0,
      direct_cpsql: null,
      loaded_cpsql: null,
      cost_per_lead: null,
      cost_per_mql: null,
      cost_per_won: null,
    });
  });
  it("tables the channels dearest first, then the unallocated, then the blended total", () => {
    const table = channelTable(rows, sel, { recorded: { mql: false, sql: true, won: true } });
    expect(table.map((r) => r.channel)).toEqual(["ads", "organic", "unallocated", "All channels (blended)"]);
    // Blended: 1100 + 0 + 140 = 1240 over 10 SQLs = 124, 48 leads, 2 won = 620; MQLs not recorded.
    expect(table[3]).toMatchObject({
      direct_cost: 1240,
      loaded_cost: 1240,
      unallocated_share: null,
      direct_cpsql: null,
      loaded_cpsql: 124,
      cost_per_mql: null,
      cost_per_won: 620,
    });
    expect(table[3]?.cost_per_lead).toBeCloseTo(1240 / 48, 12);
  });
  it("stacks own cost and share of unallocated per SQL, for the channels with SQLs", () => {
    const bars = channelBars(rows);
    expect(bars.map((b) => [b.channel, b.partOrder])).toEqual([
      ["ads", 0],
      ["ads", 1],
      ["organic", 0],
      ["organic", 1],
    ]);
    // ads: 1100 / 6 own, then 1180 / 6 - 1100 / 6 = 80 / 6 of share; organic 0, then 12.5.
    expect(bars[0]?.value).toBeCloseTo(1100 / 6, 12);
    expect(bars[1]?.value).toBeCloseTo(80 / 6, 9);
    expect(bars[3]).toMatchObject({ value: 12.5, loaded: 12.5, direct: 0, sqls: 4 });
  });
  it("ranks nothing when no channel has 10 SQLs, and names the channels with no cost of their own", () => {
    const r = channelRanking(rows);
    expect(r).toEqual({ ranked: [], noCost: ["organic"] });
    expect(rankingSentence(r, "USD")).toBe(
      "Too few channels with 10+ SQLs and their own cost to compare. organic has no cost of its own (organic or unbudgeted): only a share of unallocated cost.",
    );
  });
  it("ranks the channels with 10+ SQLs and own cost, cheapest fully loaded first", () => {
    const ch = (channel: string, sqls: number, direct_cost: number, loaded_cpsql: number) =>
      ({ channel, sqls, direct_cost, loaded_cpsql }) as ChannelRow;
    const r = channelRanking([
      ch("search", 12, 1200, 110),
      ch("events", 10, 500, 60),
      ch("partners", 9, 100, 12), // 9 SQLs: too few to rank
      ch("organic", 20, 0, 5), // no own cost: not ranked, named
      ch("referral", 3, 0, 4), // few SQLs but no own cost: named too
      ch("webinar", 0, 0, 0), // no SQL: neither
      ch("unallocated", 0, 300, 0),
    ]);
    expect(r.ranked.map((x) => x.channel)).toEqual(["events", "search"]);
    expect(r.noCost).toEqual(["organic", "referral"]);
    expect(rankingSentence(r, "USD")).toBe(
      "Cheapest per SQL: events at $60.00 fully loaded; dearest: search at $110. organic, referral have no cost of their own (organic or unbudgeted): only a share of unallocated cost.",
    );
    expect(rankingSentence({ ranked: r.ranked, noCost: [] }, "USD")).toBe(
      "Cheapest per SQL: events at $60.00 fully loaded; dearest: search at $110.",
    );
  });
});
