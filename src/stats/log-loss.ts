import { checkProbabilities, countPositives } from "./check-inputs.ts";

/**
 * **Logarithmic loss** (cross-entropy, negative mean log-likelihood of the outcomes):
 * -(1/n) sum [y_i ln p_i + (1 - y_i) ln(1 - p_i)], with each p clipped to [eps, 1 - eps] first, as
 * sklearn.metrics.log_loss(y, p, eps=1e-15) does, so a confident wrong answer of exactly 0 or 1
 * costs -ln(1e-15) = 34.5 instead of infinity. (sklearn 1.2's default eps="auto" clips at float64
 * machine epsilon, 2.2e-16, instead: pass eps = 2.220446049250313e-16 to match that.)
 *
 * Cost O(n). Throws a RangeError for mismatched or empty arrays, a probability outside [0, 1], a
 * label other than 0/1, or eps outside (0, 0.5).
 *
 * @example logLoss([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]) // 0.19763488164214868
 */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>, eps = 1e-15): number {
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`logLoss: eps must be in (0, 0.5), got ${eps}`);
  countPositives("logLoss", probabilities, labels);
  checkProbabilities("logLoss", probabilities);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(Math.max(probabilities[i] as number, eps), 1 - eps);
    sum += labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return -sum / probabilities.length;
}
