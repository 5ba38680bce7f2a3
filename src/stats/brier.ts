import { checkProbabilities, countPositives } from "./check-inputs.ts";

/**
 * **Brier score**: the mean squared difference between predicted probability and outcome,
 * (1/n) sum (p_i - y_i)^2 (Brier, "Verification of forecasts expressed in terms of probability",
 * Monthly Weather Review 78, 1950). 0 is perfect; always predicting the base rate r scores
 * r(1 - r). Equal to sklearn.metrics.brier_score_loss.
 *
 * Cost O(n). Throws a RangeError for mismatched or empty arrays, a probability outside [0, 1] or a
 * label other than 0/1.
 *
 * @example brier([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]) // 0.0375
 */
export function brier(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  countPositives("brier", probabilities, labels);
  checkProbabilities("brier", probabilities);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const d = (probabilities[i] as number) - (labels[i] as number);
    sum += d * d;
  }
  return sum / probabilities.length;
}
