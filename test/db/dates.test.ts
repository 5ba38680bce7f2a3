import { describe, expect, it } from "vitest";
import { addDays, daysBetween } from "../../src/db/dates.ts";

describe("addDays", () => {
  it("moves across month, year and leap-day boundaries, forwards and back", () => {
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(addDays("2025-07-14", 0)).toBe("2025-07-14");
    // 180 days after 1 July 2025: 31+31+30+31+30+27 -> 28 December 2025.
    expect(addDays("2025-07-01", 180)).toBe("2025-12-28");
  });
});

describe("daysBetween", () => {
  it("counts whole calendar days, negative when the second date is earlier", () => {
    expect(daysBetween("2025-01-01", "2025-03-01")).toBe(59);
    expect(daysBetween("2024-01-01", "2024-03-01")).toBe(60);
    expect(daysBetween("2025-03-01", "2025-01-01")).toBe(-59);
    expect(daysBetween("2025-07-01", addDays("2025-07-01", 180))).toBe(180);
  });
});
