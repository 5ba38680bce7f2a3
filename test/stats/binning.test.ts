import { describe, expect, it } from "vitest";
import {
  binNumeric,
  type CountRow,
  groupCategories,
  informationValue,
  ivTerm,
  type NumericBin,
  pairTest,
  woe,
} from "../../src/stats/binning.ts";

const NONE = { leads: 0, events: 0 };

/** Rows value 0..n-1 of `leads` leads each, with the given events. */
function rowsOf(events: number[], leads = 25): CountRow[] {
  return events.map((e, value) => ({ value, leads, events: e }));
}

describe("woe and information value", () => {
  it("takes optbinning's sign: ln(%non-events / %events), negative where events are richer", () => {
    // /usr/bin/python3 scripts/reference/binning_woe.py: math.log((80 / 900) / (20 / 100))
    expect(woe(20, 80, 100, 900, 0)).toBeCloseTo(-0.8109302162163288, 14);
  });

  it("matches optbinning's BinningTable formula without smoothing, an empty cell giving 0", () => {
    // scripts/reference/binning_woe.py: optbinning_table([5, 20, 30, 0], [95, 180, 70, 50]), the formula of
    // optbinning/binning/binning_statistics.py (BinningTable.build) restated in numpy
    const events = [5, 20, 30, 0];
    const nonEvents = [95, 180, 70, 50];
    const expectedWoe = [0.9728863994977894, 0.2256719976675683, -1.1242547192814472, 0];
    const expectedIv = [0.14554111845191325, 0.020775327748452782, 0.41399483333724174, 0];
    events.forEach((e, j) => {
      expect(woe(e, nonEvents[j] as number, 55, 395, 0)).toBeCloseTo(expectedWoe[j] as number, 13);
      expect(ivTerm(e, nonEvents[j] as number, 55, 395, 0)).toBeCloseTo(expectedIv[j] as number, 13);
    });
    const groups = events.map((e, j) => ({ events: e, leads: e + (nonEvents[j] as number) }));
    expect(informationValue(groups, 0)).toBeCloseTo(0.5803112795376077, 13);
  });

  it("smooths an empty cell towards the base rate instead of infinity", () => {
    // scripts/reference/binning_woe.py: smoothed_woe(0, 50, 100, 900) = ln(50.9 / 0.1) - ln(9)
    expect(woe(0, 50, 100, 900)).toBeCloseTo(4.0352234392143025, 13);
    expect(woe(100, 900, 100, 900)).toBe(0); // the whole population: no evidence
    expect(woe(3, 0, 3, 0)).toBe(0); // no non-events anywhere
  });

  it("refuses impossible counts", () => {
    expect(() => woe(-1, 5, 10, 10)).toThrow(RangeError);
    expect(() => woe(11, 5, 10, 10)).toThrow(/more than the total/);
    expect(() => informationValue([{ leads: 3, events: 4 }])).toThrow(/groups\[0\]: events 4/);
  });
});

describe("pairTest", () => {
  it("is Pearson's chi-square of the 2 x 2 table without continuity correction, p on 1 df", () => {
    // scipy 1.17.1: scipy.stats.chi2_contingency([[5, 45], [20, 30]], correction=False)[:2]
    const far = pairTest({ leads: 50, events: 5 }, { leads: 50, events: 20 });
    expect(far.chiSquare).toBeCloseTo(12, 12);
    expect(far.p).toBeCloseTo(0.0005320055051392492, 15);
    // scipy 1.17.1: chi2_contingency([[30, 220], [45, 205]], correction=False)[:2]
    const near = pairTest({ leads: 250, events: 30 }, { leads: 250, events: 45 });
    expect(near.chiSquare).toBeCloseTo(3.5294117647058822, 12);
    expect(near.p).toBeCloseTo(0.06028917399060221, 12);
  });

  it("gives p 1 when nothing tells the bins apart, and refuses impossible counts", () => {
    expect(pairTest({ leads: 0, events: 0 }, { leads: 10, events: 2 })).toEqual({ chiSquare: 0, p: 1 });
    expect(pairTest({ leads: 10, events: 0 }, { leads: 10, events: 0 })).toEqual({ chiSquare: 0, p: 1 });
    expect(pairTest({ leads: 10, events: 10 }, { leads: 5, events: 5 })).toEqual({ chiSquare: 0, p: 1 });
    expect(pairTest({ leads: 40, events: 4 }, { leads: 20, events: 2 }).p).toBeCloseTo(1, 12);
    expect(() => pairTest({ leads: 1, events: 2 }, { leads: 1, events: 0 })).toThrow(/a: events 2/);
  });
});

describe("binNumeric", () => {
  it("hand-worked: four values, increasing rates, a missing bin; WoE and IV as the direct formula", () => {
    const result = binNumeric(rowsOf([2, 5, 10, 20]), { leads: 20, events: 4 });
    // four values of 25% of the leads each: pre-bins 2, 7, 12, 17 of 20, one a value; nothing to merge
    expect(result.bins.map((b) => [b.min, b.max, b.leads, b.events])).toEqual([
      [null, 1, 25, 2],
      [1, 2, 25, 5],
      [2, 3, 25, 10],
      [3, null, 25, 20],
    ]);
    expect(result.trend).toBe("increasing");
    // scripts/reference/binning_woe.py: smoothed_table([2, 5, 10, 20, 4], [23, 20, 15, 5, 16])
    const woes = [1.6569767013765118, 0.696705289351807, -0.24105357155385554, -1.9354177285969776];
    result.bins.forEach((b, j) => {
      expect(b.woe).toBeCloseTo(woes[j] as number, 13);
    });
    expect(result.missing?.woe).toBeCloseTo(0.6887765069843196, 13);
    expect(result.missing?.rate).toBe(0.2);
    expect(result.iv).toBeCloseTo(1.3999364689016724, 13);
    const direct = informationValue([...result.bins, result.missing as { leads: number; events: number }]);
    expect(result.iv).toBeCloseTo(direct, 14);
  });

  it("monotone data stays monotone, within maxBins and minShare, cut at values of the data", () => {
    // 40 values x 25 leads; the rate climbs from 2% to 40% with a wobble of +-2 events
    const events = Array.from({ length: 40 }, (_, i) => Math.round(0.5 + i * 0.25) + ((i * 7) % 5) - 2 + 2);
    const rows = rowsOf(events);
    const result = binNumeric(rows, NONE);
    expect(result.trend).toBe("increasing");
    expect(result.bins.length).toBeLessThanOrEqual(8);
    for (const b of result.bins) expect(b.leads).toBeGreaterThanOrEqual(0.05 * 1000);
    for (let j = 1; j < result.bins.length; j++) {
      expect((result.bins[j] as { rate: number }).rate).toBeGreaterThanOrEqual(
        (result.bins[j - 1] as { rate: number }).rate,
      );
      expect(result.bins[j]?.min).toBe(result.bins[j - 1]?.max);
      expect(rows.some((r) => r.value === result.bins[j]?.min)).toBe(true);
    }
    expect(result.bins.reduce((s, b) => s + b.leads, 0)).toBe(1000);
    expect(result.missing).toBeNull();
  });

  it("decreasing data gets a decreasing trend", () => {
    const result = binNumeric(rowsOf([20, 15, 9, 8, 3, 1]), NONE);
    expect(result.trend).toBe("decreasing");
    for (let j = 1; j < result.bins.length; j++)
      expect((result.bins[j] as { rate: number }).rate).toBeLessThanOrEqual(
        (result.bins[j - 1] as { rate: number }).rate,
      );
  });

  it("merges a bin under minShare into a neighbour", () => {
    // the last value holds 10 of 1010 leads (1%): it cannot stand alone at minShare 5%
    const rows = [...rowsOf([1, 2, 3, 4], 250), { value: 10, leads: 10, events: 9 }];
    const result = binNumeric(rows, NONE, { monotone: "none" });
    for (const b of result.bins) expect(b.leads).toBeGreaterThanOrEqual(0.05 * 1010);
    expect(result.bins[result.bins.length - 1]?.leads).toBe(260);
  });

  it("respects maxBins", () => {
    const result = binNumeric(rowsOf(Array.from({ length: 40 }, (_, i) => i % 20)), NONE, {
      maxBins: 3,
      monotone: "none",
    });
    expect(result.bins.length).toBeLessThanOrEqual(3);
    expect(result.bins.length).toBeGreaterThan(1);
  });

  it("with maxPValue, merges neighbours that do not differ at that level", () => {
    // two plateaus, 10-11% and 29-31% over 4 values each: IV alone keeps more bins than two
    const rows = rowsOf([10, 11, 10, 11, 30, 29, 31, 30], 100);
    const free = binNumeric(rows, NONE, { monotone: "none" });
    expect(free.bins.length).toBeGreaterThan(2);
    const result = binNumeric(rows, NONE, { monotone: "none", maxPValue: 0.05 });
    expect(result.bins.map((b) => [b.min, b.max, b.leads, b.events])).toEqual([
      [null, 4, 400, 42],
      [4, null, 400, 120],
    ]);
    for (let j = 1; j < result.bins.length; j++)
      expect(pairTest(result.bins[j - 1] as NumericBin, result.bins[j] as NumericBin).p).toBeLessThanOrEqual(
        0.05,
      );
    expect(binNumeric(rows, NONE, { maxPValue: 0.05 }).trend).toBe("increasing");
    expect(() => binNumeric(rows, NONE, { maxPValue: 2 })).toThrow(/maxPValue/);
  });

  it("a U shape keeps its bins with trend none (a monotone fit would flatten it)", () => {
    const result = binNumeric(rowsOf([20, 12, 4, 2, 2, 4, 12, 20]), NONE);
    expect(result.trend).toBe("none");
    expect(result.bins.length).toBeGreaterThanOrEqual(3);
  });

  it("a constant column gives one bin and IV 0", () => {
    const result = binNumeric([{ value: 3, leads: 500, events: 40 }], NONE);
    expect(result.bins).toEqual([
      { min: null, max: null, leads: 500, events: 40, rate: 0.08, woe: 0, iv: 0 },
    ]);
    expect(result.iv).toBe(0);
    expect(result.trend).toBe("none");
  });

  it("all missing: no bins, the missing bin at WoE 0 and IV 0", () => {
    const result = binNumeric([], { leads: 50, events: 5 });
    expect(result.bins).toEqual([]);
    expect(result.missing).toEqual({ leads: 50, events: 5, rate: 0.1, woe: 0, iv: 0 });
    expect(result.iv).toBe(0);
  });

  it("refuses rows out of order, impossible counts and bad options", () => {
    expect(() => binNumeric(rowsOf([1, 2]).reverse(), NONE)).toThrow(/rows\[1\]: value 0 does not follow 1/);
    expect(() => binNumeric([{ value: 1, leads: 2, events: 3 }], NONE)).toThrow(/rows\[0\]: events 3/);
    expect(() => binNumeric(rowsOf([1]), NONE, { maxBins: 0 })).toThrow(RangeError);
    expect(() => binNumeric(rowsOf([1]), { leads: 1, events: 2 })).toThrow(/missing/);
  });
});

describe("groupCategories", () => {
  const rows = [
    { value: "web", leads: 600, events: 60 },
    { value: "event", leads: 300, events: 90 },
    { value: "partner", leads: 70, events: 35 },
    { value: "fax", leads: 20, events: 1 },
    { value: "telex", leads: 10, events: 0 },
  ];

  it("pools levels under minLeads or minShare into other, ordered by rate descending", () => {
    const result = groupCategories(rows, { leads: 100, events: 10 });
    expect(result.levels.map((l) => [l.label, l.values, l.leads, l.events])).toEqual([
      ["partner", ["partner"], 70, 35],
      ["event", ["event"], 300, 90],
      ["web", ["web"], 600, 60],
      ["other", ["fax", "telex"], 30, 1],
    ]);
    // partner holds 7% of 1000 leads and fax 2%: a 10% minShare pools partner too
    const strict = groupCategories(rows, NONE, { minShare: 0.1 });
    expect(strict.levels.find((l) => l.label === "other")?.values).toEqual(["partner", "fax", "telex"]);
  });

  it("the total IV is the direct sum over the levels and the missing group", () => {
    const result = groupCategories(rows, { leads: 100, events: 10 });
    const direct = informationValue([...result.levels, result.missing as { leads: number; events: number }]);
    expect(result.iv).toBeCloseTo(direct, 14);
    expect(result.missing?.rate).toBe(0.1);
  });

  it("pools a summed tail as listing its values would, and flags the pooled level", () => {
    const listed = groupCategories(rows, { leads: 100, events: 10 });
    // fax and telex not listed but summed: the same levels (other lists no value) and the same IV
    const summed = groupCategories(
      rows.slice(0, 3),
      { leads: 100, events: 10 },
      { tail: { leads: 30, events: 1 } },
    );
    expect(summed.levels.map((l) => [l.label, l.pooled, l.leads, l.events, l.woe])).toEqual(
      listed.levels.map((l) => [l.label, l.pooled, l.leads, l.events, l.woe]),
    );
    expect(summed.levels.find((l) => l.pooled)?.values).toEqual([]);
    expect(summed.iv).toBeCloseTo(listed.iv, 14);
    // a value spelled "other" is a level of its own, told apart from the pooled one by the flag
    const named = groupCategories([{ value: "other", leads: 500, events: 50 }, ...rows.slice(3)], NONE);
    expect(named.levels.map((l) => [l.label, l.pooled, l.values])).toEqual([
      ["other", false, ["other"]],
      ["other", true, ["fax", "telex"]],
    ]);
    expect(() => groupCategories(rows, NONE, { tail: { leads: 1, events: 2 } })).toThrow(/tail: events 2/);
  });

  it("refuses a repeated value", () => {
    expect(() => groupCategories([rows[0], rows[0]] as typeof rows, NONE)).toThrow(/"web" appears twice/);
  });
});
