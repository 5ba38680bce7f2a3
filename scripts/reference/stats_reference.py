"""Reference values for test/stats/*.test.ts on the shared random case randomCase(7, 5000)
(scripts/reference/mulberry32.py), from scikit-learn 1.2.1, scipy 1.10.1 and numpy (Debian's, for
/usr/bin/python3). Run: /usr/bin/python3 scripts/reference/stats_reference.py
"""

import json
import sys

import numpy as np
from scipy import stats
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score, roc_curve

sys.path.insert(0, "scripts/reference")
from delong import delong_paired  # noqa: E402
from mulberry32 import random_case  # noqa: E402

points, points_b, prob, labels = (np.array(v) for v in random_case(7, 5000))
n = len(labels)
out = {}

out["auc"] = roc_auc_score(labels, points)
out["aucB"] = roc_auc_score(labels, points_b)

fpr, tpr, _ = roc_curve(labels, points, drop_intermediate=False)
out["rocVertices"] = len(fpr)
keep = [int(np.floor(j * (len(fpr) - 1) / 100 + 0.5)) for j in range(101)]  # JS Math.round
out["rocThinned"] = [[float(fpr[i]), float(tpr[i])] for i in keep[:3]] + [[float(fpr[keep[50]]), float(tpr[keep[50]])]]
out["rocThinnedSums"] = [float(sum(fpr[keep])), float(sum(tpr[keep]))]


def expected_top(k, scores, y):
    """Conversions expected in the top k leads (k may be fractional) when ties are broken at random:
    each lead is in the top k with probability clip((k - leads scoring higher) / leads tied with it, 0, 1)."""
    order = np.unique(scores)
    above = {s: int((scores > s).sum()) for s in order}
    tied = {s: int((scores == s).sum()) for s in order}
    chance = np.array([min(max((k - above[s]) / tied[s], 0.0), 1.0) for s in scores])
    return float((chance * y).sum())


out["gainsAt"] = {str(j): expected_top(j * n / 100, points, labels) / labels.sum() for j in (0, 7, 10, 33, 50, 100)}

r = stats.ks_2samp(points[labels == 1], points[labels == 0])
out["ks"] = [float(r.statistic), float(r.statistic_location)]

out["brier"] = brier_score_loss(labels, prob)
out["logLoss"] = log_loss(labels, prob)

prob_true, prob_pred = calibration_curve(labels, prob, n_bins=10, strategy="quantile")
out["reliabilityObserved"] = prob_true.tolist()
out["reliabilityPredicted"] = prob_pred.tolist()
out["ece"] = float(np.mean(np.abs(prob_true - prob_pred)))  # equal bins of 500 leads: weights all 1/10

# Hosmer-Lemeshow over the same deciles of risk (5000 distinct probabilities: 10 groups of 500).
order = np.argsort(prob)
stat = 0.0
for g in np.array_split(order, 10):
    o, e, m = labels[g].sum(), prob[g].sum(), len(g)
    stat += (o - e) ** 2 / (e * (1 - e / m))
out["hosmerLemeshow"] = [float(stat), float(stats.chi2.sf(stat, 8))]

out["lift"] = []
for f in (0.1, 0.2, 0.3):
    conv = expected_top(f * n, points, labels)
    out["lift"].append([conv, conv / (f * n) / labels.mean()])

out["delong"] = {k: float(v) for k, v in delong_paired(points, points_b, labels).items()}


# Score PSI: training = first 2500 rows' points, recent = last 2500 rows' second scorer. Bins: each
# distinct training value goes to the decile where the middle of its run of ranks falls.
def score_psi(train, recent, bins=10):
    values, counts = np.unique(train, return_counts=True)
    before = np.cumsum(counts) - counts
    group = np.minimum(bins - 1, np.floor(bins * (before + counts / 2) / len(train))).astype(int)
    _, group = np.unique(group, return_inverse=True)
    lows = np.array([values[group == g].min() for g in range(group.max() + 1)])
    expected = np.array([counts[group == g].sum() for g in range(len(lows))]) / len(train)
    where = np.maximum(np.searchsorted(lows, recent, side="right") - 1, 0)
    actual = np.bincount(where, minlength=len(lows)) / len(recent)
    e, a = np.maximum(expected, 1e-4), np.maximum(actual, 1e-4)
    return float(np.sum((a - e) * np.log(a / e))), len(lows)


out["scorePsi"] = score_psi(points[:2500], points_b[2500:])
out["scorePsiSame"] = score_psi(points[:2500], points[2500:])

# A row-resampling bootstrap of the AUC (numpy, stratified by class, 2000 replicates) to compare
# the Poisson cell bootstrap with: the intervals should agree to Monte Carlo error.
rng = np.random.default_rng(1)
pos, neg = np.where(labels == 1)[0], np.where(labels == 0)[0]
aucs = []
for _ in range(2000):
    idx = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
    aucs.append(roc_auc_score(labels[idx], points[idx]))
out["bootstrapRows"] = np.percentile(aucs, [2.5, 97.5]).tolist()

print(json.dumps(out, indent=1))
