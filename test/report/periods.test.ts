import { describe, expect, it } from "vitest";
import {
  addQuarters,
  isLastDayOfQuarter,
  periodOptions,
  quarterOf,
  quarterRange,
  quarterStart,
} from "../../src/report/periods.ts";

describe("quarters", () => {
  it("labels, shifts and lists quarters", () => {
    expect(quarterOf("2025-07-14")).toBe("2025 Q3");
    expect(quarterOf("2025-12-31 23:59:59")).toBe("2025 Q4");
    expect(addQuarters("2025 Q1", -1)).toBe("2024 Q4");
    expect(addQuarters("2024 Q4", 5)).toBe("2026 Q1");
    expect(quarterStart("2025 Q3")).toBe("2025-07-01");
    expect(quarterRange("2024 Q3", "2025 Q2")).toEqual(["2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]);
    expect(quarterRange("2025 Q2", "2025 Q1")).toEqual([]);
    expect(() => addQuarters("2025-Q1", 1)).toThrow(/not a quarter label/);
  });

  it("offers all quarters, the last four up to the as-of quarter, and each quarter with data", () => {
    expect(periodOptions(["2024 Q1", "2025 Q2", "2024 Q1"], "2025 Q3")).toEqual([
      { key: "all", label: "All quarters (2024 Q1 to 2025 Q3)", from: "2024 Q1", to: "2025 Q3" },
      { key: "last4", label: "Last 4 quarters (2024 Q4 to 2025 Q3)", from: "2024 Q4", to: "2025 Q3" },
      { key: "2025 Q2", label: "2025 Q2", from: "2025 Q2", to: "2025 Q2" },
      { key: "2024 Q1", label: "2024 Q1", from: "2024 Q1", to: "2024 Q1" },
    ]);
    // Four quarters or fewer of history: "last 4" would be the same as "all".
    expect(periodOptions(["2025 Q1"], "2025 Q2").map((p) => p.key)).toEqual(["all", "2025 Q1"]);
    expect(periodOptions([], null)).toEqual([]);
  });
});

describe("isLastDayOfQuarter", () => {
  it("is true only on 31 March, 30 June, 30 September and 31 December", () => {
    expect(["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"].map(isLastDayOfQuarter)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["2025-03-30", "2025-07-01", "2025-11-30", "2024-02-29"].map(isLastDayOfQuarter)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
