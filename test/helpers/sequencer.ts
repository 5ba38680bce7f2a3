import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** A test file that may build the report site: it calls buildSite, or opens a shared site. */
const BUILDS = /buildSite\(|sharedDemoSite\(|sharedSampleSite\(/;

/**
 * Vitest's order (failed first, then the longest, by the last run's durations), rearranged so that
 * the files that build the site do not run at the same time where that can be helped: site builds
 * take turns (src/report/build.ts locks Framework's cache), so a second one started beside the first
 * leaves its worker waiting. Plays the run out on the workers with the last run's durations: a
 * worker that comes free while another builds takes the longest file that builds nothing.
 */
export class BuildsApartSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const duration = (f: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`)
        ?.duration ?? 0;
    const builds = sorted.filter((f) => BUILDS.test(readFileSync(f.moduleId, "utf8")));
    const others = sorted.filter((f) => !builds.includes(f));
    const workers = Array.from({ length: Math.max(1, this.ctx.config.maxWorkers) }, () => ({
      free: 0,
      builds: false,
    }));
    const order: TestSpecification[] = [];
    for (let left = sorted.length; left > 0; left--) {
      const w = workers.reduce((a, b) => (b.free < a.free ? b : a));
      const building = workers.some((o) => o !== w && o.builds && o.free > w.free);
      w.builds = builds.length > 0 && !(building && others.length > 0);
      const next = (w.builds ? builds : others).shift() as TestSpecification;
      w.free += duration(next);
      order.push(next);
    }
    return order;
  }
}
