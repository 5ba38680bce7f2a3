/**
 * **Population stability bands**, the rule of thumb of credit-scorecard monitoring (Siddiqi,
 * Credit Risk Scorecards, Wiley 2006, ch. 8): PSI < 0.10 "stable" (no real change), 0.10 to 0.25
 * "look" (some change: investigate), > 0.25 "shifted" (the population has moved: the scores need
 * recalibrating). 0.10 itself is "look"; 0.25 itself is "look".
 *
 * Cost O(1). Throws a RangeError for a negative or NaN value.
 *
 * @example psiBands(0.04) // "stable"
 */
export function psiBands(value: number): "stable" | "look" | "shifted" {
  if (!(value >= 0)) throw new RangeError(`psiBands: PSI must be a number >= 0, got ${value}`);
  if (value < 0.1) return "stable";
  if (value <= 0.25) return "look";
  return "shifted";
}
