import { describe, expect, it } from "vitest";
import { filterRows, groupSum, medianOf, periodOf, sum } from "../../reports/components/cube.js";

/**
 * The pages' client-side sums over the loaders' small aggregate tables. Expected values are worked
 * by hand from the inline fixture below.
 */

const ROWS = [
  { quarter: "2025 Q1", channel: "paid", leads: 10, sqls: 2, cost: 100.5 },
  { quarter: "2025 Q1", channel: "organic", leads: 5, sqls: null, cost: 0 },
  { quarter: "2025 Q2", channel: "paid", leads: 7, sqls: 1, cost: 49.5 },
  { quarter: "2025 Q3", channel: "organic", leads: 3, cost: 20 },
];
const PERIODS = [
  { key: "all", label: "All", from: "2025 Q1", to: "2025 Q3" },
  { key: "h1", label: "First half", from: "2025 Q1", to: "2025 Q2" },
];

describe("periodOf", () => {
  it("finds the period with the key, and falls back to the first", () => {
    expect(periodOf(PERIODS, "h1")?.label).toBe("First half");
    expect(periodOf(PERIODS, "nope")?.key).toBe("all");
    expect(periodOf([], "all")).toBeUndefined();
  });
});

describe("filterRows", () => {
  it("keeps rows whose quarter is within the period, inclusive at both ends", () => {
    expect(filterRows(ROWS, { period: PERIODS[1] }).map((r) => r.quarter)).toEqual([
      "2025 Q1",
      "2025 Q1",
      "2025 Q2",
    ]);
  });
  it("keeps one channel, or every channel when it is null", () => {
    expect(filterRows(ROWS, { period: PERIODS[0], channel: "organic" }).map((r) => r.leads)).toEqual([5, 3]);
    expect(filterRows(ROWS, { period: PERIODS[0], channel: null })).toHaveLength(4);
  });
  it("keeps every row when there is no period, and reads another quarter field", () => {
    expect(filterRows(ROWS, { period: undefined })).toHaveLength(4);
    const rows = [{ q: "2025 Q1" }, { q: "2025 Q3" }];
    expect(filterRows(rows, { period: PERIODS[1], quarterKey: "q" })).toEqual([{ q: "2025 Q1" }]);
  });
});

describe("sum", () => {
  it("adds each field, counting missing values as zero", () => {
    // leads 10+5+7+3 = 25; sqls 2+0(null)+1+0(absent) = 3; cost 100.5+0+49.5+20 = 170
    expect(sum(ROWS, ["leads", "sqls", "cost"])).toEqual({ leads: 25, sqls: 3, cost: 170 });
  });
  it("gives zeros for no rows, and only the fields asked for", () => {
    expect(sum([], ["leads", "sqls"])).toEqual({ leads: 0, sqls: 0 });
    expect(sum(ROWS, [])).toEqual({});
    expect(sum([{ leads: null }], ["leads"])).toEqual({ leads: 0 });
  });
});

describe("groupSum", () => {
  it("sums each group, in the order the groups first appear", () => {
    expect(groupSum(ROWS, "channel", ["leads", "sqls"])).toEqual([
      { key: "paid", leads: 17, sqls: 3 },
      { key: "organic", leads: 8, sqls: 0 },
    ]);
    expect(groupSum(ROWS, "quarter", ["cost"])).toEqual([
      { key: "2025 Q1", cost: 100.5 },
      { key: "2025 Q2", cost: 49.5 },
      { key: "2025 Q3", cost: 20 },
    ]);
  });
  it("groups by a function of the row, keeping the key's type", () => {
    const byHalf = groupSum(ROWS, (r: { quarter: string }) => Number(r.quarter.slice(-1)) <= 2, ["leads"]);
    expect(byHalf).toEqual([
      { key: true, leads: 22 },
      { key: false, leads: 3 },
    ]);
    const numeric = groupSum(
      [
        { b: 2, n: 1 },
        { b: 0, n: 4 },
        { b: 2, n: 5 },
      ],
      "b",
      ["n"],
    );
    expect(numeric).toEqual([
      { key: 2, n: 6 },
      { key: 0, n: 4 },
    ]);
  });
  it("keeps a null key as its own group and gives nothing for no rows", () => {
    expect(
      groupSum(
        [
          { c: null, n: 1 },
          { c: "a", n: 2 },
          { c: null, n: 3 },
        ],
        "c",
        ["n"],
      ),
    ).toEqual([
      { key: null, n: 4 },
      { key: "a", n: 2 },
    ]);
    expect(groupSum([], "channel", ["leads"])).toEqual([]);
  });
});

describe("medianOf", () => {
  const MEDIANS = [
    { period: "all", channel: null, key: "first_touch", median: 42, n: 9 },
    { period: "all", channel: "paid", key: "first_touch", median: 30, n: 4 },
  ];
  it("finds the precomputed median for the period, channel and key", () => {
    expect(medianOf(MEDIANS, { period: "all", key: "first_touch" })?.median).toBe(42);
    expect(medianOf(MEDIANS, { period: "all", channel: "paid", key: "first_touch" })?.n).toBe(4);
  });
  it("gives null when none was computed", () => {
    expect(medianOf(MEDIANS, { period: "h1", key: "first_touch" })).toBeNull();
  });
});
