import { describe, expect, it } from "vitest";
import { auc } from "../../src/stats/auc.ts";
import { bootstrapAuc } from "../../src/stats/bootstrap-auc.ts";
import { seededRandom } from "../../src/stats/random.ts";
import { randomCase } from "./random-case.ts";

describe("bootstrapAuc", () => {
  it("agrees with a row-resampling bootstrap in numpy to Monte Carlo error", () => {
    const { points, labels } = randomCase(7, 5000);
    // scripts/reference/stats_reference.py: 2000 stratified row resamples with
    // np.random.default_rng(1), roc_auc_score each, np.percentile(aucs, [2.5, 97.5])
    // = [0.6934757503951411, 0.7247082110163606]. The percentile ends of two independent
    // bootstraps differ by Monte Carlo error of about 0.001 here; allow 0.003.
    const ci = bootstrapAuc(points, labels, { seed: 1, replicates: 2000 });
    expect(Math.abs(ci.low - 0.6934757503951411)).toBeLessThan(0.003);
    expect(Math.abs(ci.high - 0.7247082110163606)).toBeLessThan(0.003);
    const point = auc(points, labels);
    expect(ci.low).toBeLessThan(point);
    expect(ci.high).toBeGreaterThan(point);
  });

  it("is deterministic for a seed and changes with it", () => {
    const { points, labels } = randomCase(3, 2000);
    const a = bootstrapAuc(points, labels, { seed: 9, replicates: 200 });
    expect(bootstrapAuc(points, labels, { seed: 9, replicates: 200 })).toEqual(a);
    expect(bootstrapAuc(points, labels, { seed: 10, replicates: 200 })).not.toEqual(a);
  });

  it("does not depend on row order", () => {
    const { points, labels } = randomCase(3, 2000);
    const order = Array.from({ length: 2000 }, (_, i) => i);
    const random = seededRandom(4);
    order.sort(() => random() - 0.5);
    const shuffledPoints = order.map((i) => points[i] as number);
    const shuffledLabels = order.map((i) => labels[i] as number);
    expect(bootstrapAuc(shuffledPoints, shuffledLabels, { seed: 2, replicates: 100 })).toEqual(
      bootstrapAuc(points, labels, { seed: 2, replicates: 100 }),
    );
  });

  it("narrows with a lower level and collapses to 0.5 when all scores tie", () => {
    const { points, labels } = randomCase(3, 2000);
    const wide = bootstrapAuc(points, labels, { seed: 1, replicates: 300 });
    const narrow = bootstrapAuc(points, labels, { seed: 1, replicates: 300, level: 0.5 });
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
    expect(bootstrapAuc([1, 1, 1, 1], [0, 1, 0, 1], { seed: 1, replicates: 50 })).toEqual({
      low: 0.5,
      high: 0.5,
    });
  });

  it("redraws replicates that lost a class when a class has one lead", () => {
    const ci = bootstrapAuc([1, 2, 3, 4, 5], [0, 0, 0, 0, 1], { seed: 1, replicates: 100 });
    expect(ci).toEqual({ low: 1, high: 1 });
  });

  it("throws for an empty class and bad options", () => {
    expect(() => bootstrapAuc([1, 2], [0, 0], { seed: 1 })).toThrow(/no converted leads/);
    expect(() => bootstrapAuc([1, 2], [0, 1], { seed: 1, replicates: 1 })).toThrow(/replicates/);
    expect(() => bootstrapAuc([1, 2], [0, 1], { seed: 1, level: 1 })).toThrow(/level/);
    expect(() => bootstrapAuc([], [], { seed: 1 })).toThrow(/empty/);
  });
});
