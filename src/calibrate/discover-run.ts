import type { DuckDBConnection } from "@duckdb/node-api";
import type { OnProgress } from "../progress.ts";
import type { Definition } from "../scoring/schema.ts";
import { type Candidate, prepareCandidates, withCandidates } from "./discover.ts";
import { selectCandidates } from "./discover-select.ts";
import { type FeatureSet, readFeatures, scoreFeatures } from "./features.ts";
import type { DiscoveredRow, LeftOut } from "./report.ts";
import type { Sample } from "./sample.ts";

/**
 * --discover, end to end: the candidates (./discover.ts), every one scored at zero points with the
 * real scorer, forward selection by cross-validation (./discover-select.ts), and the features of the
 * champion plus the kept criteria, ready for the fit.
 */
export async function discoverCriteria(
  conn: DuckDBConnection,
  champion: Definition,
  opts: {
    exclude: string[];
    include: string[];
    seed: number;
    say: (line: string) => void;
    onProgress?: OnProgress;
    /** The leads read when a part was over the cap (./sample.ts); the candidates' counts are of every lead. */
    sample?: Sample;
  },
): Promise<{
  fs: FeatureSet;
  kept: Candidate[];
  discovered: DiscoveredRow[];
  leftOut: LeftOut[];
  notes: string[];
}> {
  const notes: string[] = [];
  const discovered: DiscoveredRow[] = [];
  const leftOut: LeftOut[] = [];
  let kept: Candidate[] = [];
  const step: OnProgress = opts.onProgress ?? (() => {});
  step("binning the other lead columns and activity types");
  opts.say("discovering: binning the other lead columns and activity types on the training leads");
  const prep = await prepareCandidates(conn, champion, { exclude: opts.exclude, include: opts.include });
  notes.push(...prep.notes);
  for (const l of prep.leftOut) {
    leftOut.push({ name: l.name, reason: l.reason });
    if (l.kind)
      discovered.push({
        name: l.name,
        kind: l.kind,
        informationValue: 0,
        singleAuc: null,
        bands: 0,
        decision: "left out",
        reason: l.reason,
      });
  }
  // Every candidate scored once, at zero points (so totals are the champion's); the design of the
  // champion plus the kept ones is then read from the same scored table.
  const extended = withCandidates(champion, prep.candidates);
  step(`features: every lead scored at its moment, with ${prep.candidates.length} candidates`);
  await scoreFeatures(conn, extended, opts.sample);
  if (prep.candidates.length) {
    const all = await readFeatures(conn, extended);
    opts.say(`discovering: ${prep.candidates.length} candidates, forward selection by cross-validation`);
    const sel = selectCandidates(all, prep.candidates, { seed: opts.seed, onProgress: opts.onProgress });
    kept = sel.kept;
    discovered.push(...sel.discovered);
    leftOut.push(...sel.leftOut);
    notes.push(...sel.notes);
  }
  notes.push(
    "lead columns carry no history: whether a column's value was already known at a lead's scoring moment cannot be checked; --discover leaves out what predicts the outcome almost perfectly or fills in later in a lead's life, and no more",
  );
  const fs = await readFeatures(conn, withCandidates(champion, kept));
  return { fs, kept, discovered, leftOut, notes };
}
