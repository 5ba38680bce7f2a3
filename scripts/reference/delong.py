"""DeLong, DeLong & Clarke-Pearson (1988) straight from the definition, O(P * N): the reference
for src/stats/delong-paired.ts (which uses the O(n log n) placement form of Sun & Xu, 2014).

psi(x, y) = 1 if x > y, 1/2 if x == y, 0 otherwise, for a converted lead's score x and a
non-converted lead's score y. V10_i = mean_j psi(x_i, y_j), V01_j = mean_i psi(x_i, y_j).
S10, S01 = sample covariance matrices (divisor m - 1) of the (A, B) components;
Var(B - A) = (S10_AA + S10_BB - 2 S10_AB) / P + (S01_AA + S01_BB - 2 S01_AB) / N.
"""

import numpy as np
from scipy import stats


def components(scores, labels):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels)
    x = scores[labels == 1][:, None]
    y = scores[labels == 0][None, :]
    kernel = (x > y) + 0.5 * (x == y)
    return kernel.mean(axis=1), kernel.mean(axis=0)


def delong_paired(scores_a, scores_b, labels):
    v10a, v01a = components(scores_a, labels)
    v10b, v01b = components(scores_b, labels)
    s10 = np.cov(np.vstack([v10a, v10b]))
    s01 = np.cov(np.vstack([v01a, v01b]))
    m, n = len(v10a), len(v01a)
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / n
    auc_a, auc_b = v10a.mean(), v10b.mean()
    se = float(np.sqrt(var))
    z = (auc_b - auc_a) / se
    z975 = stats.norm.ppf(0.975)
    return dict(aucA=auc_a, aucB=auc_b, difference=auc_b - auc_a, se=se, z=z,
                pValue=2 * stats.norm.sf(abs(z)), low=auc_b - auc_a - z975 * se, high=auc_b - auc_a + z975 * se)


if __name__ == "__main__":
    # The small inline case of test/stats/delong-paired.test.ts.
    a = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.9, 0.55, 0.3, 0.6]
    b = [0.2, 0.5, 0.3, 0.6, 0.9, 0.1, 0.8, 0.7, 0.3, 0.4]
    y = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1]
    print({k: float(v) for k, v in delong_paired(a, b, y).items()})
