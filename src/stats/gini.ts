/**
 * **Gini coefficient** of a scorer (Somers' D of score against outcome): 2 * AUC - 1, so 0 is
 * random ranking and 1 a perfect one; negative means the ranking is upside down. The credit-scoring
 * name for the same information as the AUC (Hand, "Measuring classifier performance: a coherent
 * alternative to the area under the ROC curve", Machine Learning 77, 2009, section 2).
 *
 * Cost O(1). Throws a RangeError unless auc is in [0, 1].
 *
 * @example gini(0.75) // 0.5
 */
export function gini(auc: number): number {
  if (!(auc >= 0 && auc <= 1)) throw new RangeError(`gini: auc must be in [0, 1], got ${auc}`);
  return 2 * auc - 1;
}
