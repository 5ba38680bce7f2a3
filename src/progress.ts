/**
 * How a long step says how far it has got: the step's name and, when its work can be counted, how
 * much of how much is done ("cross-validation", 12, 30). Library code only calls it, when given one;
 * the CLI decides whether and how it shows (src/cli/progress.ts: a bar on a terminal, plain lines with
 * LEADCAL_PROGRESS, else nothing).
 */
export type OnProgress = (step: string, done?: number, total?: number) => void;

/** The progress of a part of a step, named under it: "scoring: storing". Undefined stays undefined. */
export function within(onProgress: OnProgress | undefined, step: string): OnProgress | undefined {
  return onProgress && ((part, done, total) => onProgress(`${step}: ${part}`, done, total));
}
