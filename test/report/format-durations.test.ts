import { describe, expect, it } from "vitest";
import { duration } from "../../reports/components/format.js";
import { duration as cliDuration } from "../../src/scoring/explain.ts";

/**
 * The Service levels page states the policy's durations in words. The pages cannot import from
 * src/, so reports/components/format.js keeps its own copy of the wording that `leadcal definition
 * explain` and the Definition page's contract use (src/scoring/explain.ts): they must agree.
 */
describe("the policy's durations in words", () => {
  it("reads whole days, whole hours and minutes, one day and one hour in words", () => {
    expect(duration(30)).toBe("30 minutes"); // the default target
    expect(duration(1440)).toBe("one day"); // the default limit: 24 x 60
    expect(duration(60)).toBe("one hour");
    expect(duration(240)).toBe("4 hours"); // 240 / 60
    expect(duration(2880)).toBe("2 days"); // 2 x 1440
    expect(duration(10080)).toBe("7 days"); // a week is said in days
  });
  it("keeps a duration that is not a whole number of hours or days in the smaller unit", () => {
    expect(duration(90)).toBe("90 minutes"); // not "1.5 hours"
    expect(duration(2160)).toBe("36 hours"); // 1.5 days: whole hours
    expect(duration(1500)).toBe("25 hours"); // 25 x 60: whole hours, not days
    expect(duration(1530)).toBe("1,530 minutes"); // 25.5 hours: minutes, thousands separated
    expect(duration(7.5)).toBe("7.5 minutes");
  });
  it("says what src/scoring/explain.ts says, for every figure a settings file might hold", () => {
    const figures = [
      1, 5, 7.5, 15, 30, 45, 59, 60, 61, 90, 120, 240, 600, 1439, 1440, 1441, 1500, 2160, 2880,
    ];
    for (const m of [...figures, 3 * 1440, 7 * 1440, 14 * 1440, 10_000.25])
      expect(duration(m)).toBe(cliDuration(m));
  });
});
