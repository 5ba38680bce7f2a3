import { describe, expect, it } from "vitest";
import { scorecardRows } from "../../scripts/reference/scorecard-rows.ts";
import { chooseL2, type Design, fitLogistic, predictLogit } from "../../src/stats/logistic.ts";
import { defaultL2Grid } from "../../src/stats/logistic-cv.ts";

const rows = scorecardRows(200, 20240601);

describe("chooseL2: k-fold cross-validation of the penalty", () => {
  const cv = chooseL2(rows.design, rows.labels, { seed: 3, grid: [0.1, 1, 10, 100] });

  it("stratifies the folds by label: each fold has its share of events to within one row", () => {
    const events = [0, 0, 0, 0, 0];
    const size = [0, 0, 0, 0, 0];
    cv.foldOf.forEach((f, i) => {
      size[f] = (size[f] as number) + 1;
      events[f] = (events[f] as number) + (rows.labels[i] as number);
    });
    expect(size).toEqual([40, 40, 40, 40, 40]); // 144 events + 56 non-events dealt round-robin
    expect(Math.max(...events) - Math.min(...events)).toBeLessThanOrEqual(1);
  });

  it("the same seed gives the same folds; another seed other folds", () => {
    expect(chooseL2(rows.design, rows.labels, { seed: 3, grid: [1] }).foldOf).toEqual(cv.foldOf);
    expect(chooseL2(rows.design, rows.labels, { seed: 4, grid: [1] }).foldOf).not.toEqual(cv.foldOf);
  });

  it("reports the mean out-of-fold log loss per penalty, ascending, and the lowest as best", () => {
    // recomputed by hand from fitLogistic (itself checked against sklearn in logistic.test.ts)
    for (const { l2, cvLogLoss } of cv.grid) {
      let sum = 0;
      for (let f = 0; f < 5; f++) {
        const train = Uint8Array.from(cv.foldOf, (g) => (g === f ? 0 : 1));
        const eta = predictLogit(rows.design, fitLogistic(rows.design, rows.labels, { l2, rowMask: train }));
        cv.foldOf.forEach((g, i) => {
          if (g !== f) return;
          const p = 1 / (1 + Math.exp(-(eta[i] as number)));
          sum -= rows.labels[i] ? Math.log(p) : Math.log(1 - p);
        });
      }
      // chooseL2 fits to a gradient of 1e-6 per row (CV_TOLERANCE), these to 1e-9: the losses agree to ~1e-7
      expect(cvLogLoss).toBeCloseTo(sum / 200, 6);
    }
    expect(cv.grid.map((g) => g.l2)).toEqual([0.1, 1, 10, 100]);
    const lowest = cv.grid.reduce((a, b) => (b.cvLogLoss < a.cvLogLoss ? b : a));
    expect(cv.best).toBe(lowest.l2);
  });

  it("breaks a tie towards the larger penalty", () => {
    // only the intercept can move (every column is fixed by the data to 0): every penalty gives one loss
    const flat: Design = { rows: 200, columns: 2, categorical: [new Int32Array(200).fill(-1)], numeric: [] };
    const tie = chooseL2(flat, rows.labels, { seed: 1, grid: [1, 10, 100] });
    expect(new Set(tie.grid.map((g) => g.cvLogLoss)).size).toBe(1);
    expect(tie.best).toBe(100);
  });

  it("with maxRows, runs on a stratified subsample and says so", () => {
    const sub = chooseL2(rows.design, rows.labels, { seed: 2, maxRows: 100, grid: [1] });
    expect(sub.sampled).toBe(true);
    expect(sub.rows).toBe(100);
    const inCv = [...sub.foldOf].filter((f) => f !== 255);
    expect(inCv).toHaveLength(100);
    const events = [...sub.foldOf].reduce((s, f, i) => s + (f !== 255 ? (rows.labels[i] as number) : 0), 0);
    expect(events).toBe(72); // round(100 x 144 / 200): the event share is kept
  });

  it("uses only the rows in the mask (255 elsewhere)", () => {
    const masked = chooseL2(rows.design, rows.labels, { seed: 2, rowMask: rows.mask, grid: [1] });
    expect(masked.rows).toBe(129);
    masked.foldOf.forEach((f, i) => {
      expect(f === 255).toBe(rows.mask[i] === 0);
    });
  });

  it("the default grid is 11 penalties, trainRows x 10^-6 to trainRows x 10^-1", () => {
    const grid = defaultL2Grid(1000);
    expect(grid).toHaveLength(11);
    expect(grid[0]).toBeCloseTo(1e-3, 15);
    expect(grid[10]).toBeCloseTo(100, 10);
    expect(chooseL2(rows.design, rows.labels, { seed: 1 }).grid.map((g) => g.l2)).toEqual(defaultL2Grid(160));
  });

  it("refuses too few rows of a class for the folds, and bad grids", () => {
    const fewEvents = new Uint8Array(200);
    fewEvents[0] = 1;
    fewEvents[1] = 1;
    expect(() => chooseL2(rows.design, fewEvents, { seed: 1 })).toThrow(/at least 5 rows of each class/);
    expect(() => chooseL2(rows.design, rows.labels, { seed: 1, grid: [0] })).toThrow(RangeError);
    expect(() => chooseL2(rows.design, rows.labels, { seed: 1, grid: [] })).toThrow(/empty/);
  });
});
