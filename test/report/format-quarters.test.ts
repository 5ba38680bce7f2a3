import { describe, expect, it } from "vitest";
import * as page from "../../reports/components/format.js";
import { addQuarters, quarterOf, quarterRange, quarterStart } from "../../src/report/periods.ts";

/**
 * The pages cannot import from src/, so reports/components/format.js keeps its own quarter labels:
 * they must agree with src/report/periods.ts, which labels the data the pages receive.
 */
describe("the pages' quarter labels", () => {
  const quarters = quarterRange("2023 Q1", "2026 Q4");

  it("label every month's quarter as src/report/periods.ts does, from a date or a YYYY-MM month", () => {
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, "0");
      expect(page.quarterOf(`2025-${mm}`)).toBe(quarterOf(`2025-${mm}-15`));
      expect(page.quarterOf(`2025-${mm}-28`)).toBe(quarterOf(`2025-${mm}-28`));
    }
    expect(page.quarterOf("2025-07")).toBe("2025 Q3");
  });

  it("find the next quarter and a quarter's first day as src/report/periods.ts does", () => {
    for (const q of quarters) {
      expect(page.nextQuarter(q)).toBe(addQuarters(q, 1));
      expect(page.quarterStart(q)).toBe(quarterStart(q));
    }
    expect(page.nextQuarter("2025 Q4")).toBe("2026 Q1");
  });
});
