"""Reference values for test/stats/logistic.test.ts, from scikit-learn's LogisticRegression.

Run with Debian's Python (scikit-learn 1.2.1, scipy 1.10.1):
    /usr/bin/python3 scripts/reference/logistic_sklearn.py

The data come from the Park-Miller "minimal standard" generator (state * 16807 mod 2^31 - 1), whose
products stay below 2^53, so the TypeScript test rebuilds the same rows bit for bit. Each case is fitted
with newton-cg (tol 1e-10) and with lbfgs (tol 1e-10, max_iter 10000); the script prints both and how
far apart they are, with the largest gradient of the objective at each solution; the test uses
the newton-cg values.
"""
import json
import math

import numpy as np
from sklearn.linear_model import LogisticRegression

M31 = 2147483647


def park_miller(seed):
    state = seed
    while True:
        state = (state * 16807) % M31
        yield state / M31


def scorecard_rows(n, seed):
    """Blocks a (3 levels, cols 0-2), b (5 columns 3-7; level 4 never drawn), c (cols 8-9); x1 col 10, x2 col 11."""
    u = park_miller(seed)
    rows = []
    for _ in range(n):
        a = math.floor(next(u) * 3)
        b = math.floor(next(u) * 4)
        c = math.floor(next(u) * 2)
        x1 = math.floor(next(u) * 1000) / 1000 * 3
        x2 = math.floor(next(u) * 1000) / 1000 - 0.5
        eta = -0.5 + [0.8, 0, -0.6][a] + [0.3, -0.2, 0.5, 0][b] + [0.4, 0][c] + 0.7 * x1 - 1.0 * x2
        y = 1 if next(u) < 1 / (1 + math.exp(-eta)) else 0
        w = 0.5 + math.floor(next(u) * 4) / 2
        mask = 1 if next(u) < 0.7 else 0
        rows.append((a, b, c, x1, x2, y, w, mask))
    return rows


def dense(rows, constant_c=False):
    X = np.zeros((len(rows), 12))
    for i, (a, b, c, x1, x2, *_rest) in enumerate(rows):
        X[i, a] = 1
        X[i, 3 + b] = 1
        X[i, 8 + (0 if constant_c else c)] = 1
        X[i, 10] = x1
        X[i, 11] = x2
    return X


def max_gradient(X, y, lam, w, theta):
    """max |d/d theta| of sum_i w_i logloss_i + lam/2 ||coef||^2 at theta = [intercept, coef...]."""
    w = np.ones(len(y)) if w is None else w
    p = 1 / (1 + np.exp(-(theta[0] + X @ theta[1:])))
    r = w * (p - y)
    g = np.concatenate([[r.sum()], X.T @ r + lam * theta[1:]])
    return float(np.abs(g).max())


def fit(X, y, lam, w=None):
    out = {}
    for solver, tol in (("newton-cg", 1e-10), ("lbfgs", 1e-10)):
        m = LogisticRegression(C=1 / lam, solver=solver, tol=tol, max_iter=10000)
        m.fit(X, y, sample_weight=w)
        theta = np.concatenate([m.intercept_, m.coef_[0]])
        out[solver] = {"theta": [float(v) for v in theta], "max_gradient": max_gradient(X, y, lam, w, theta)}
    gap = max(abs(a - b) for a, b in zip(out["newton-cg"]["theta"], out["lbfgs"]["theta"]))
    return {
        "intercept_then_coef": out["newton-cg"]["theta"],
        "max_gradient": out["newton-cg"]["max_gradient"],
        "lbfgs_max_gradient": out["lbfgs"]["max_gradient"],
        "lbfgs_gap": gap,
    }


rows = scorecard_rows(200, 20240601)
X = dense(rows)
y = np.array([r[5] for r in rows])
w = np.array([r[6] for r in rows])
mask = np.array([r[7] for r in rows]) == 1

cases = {}
cases["plain l2=1"] = fit(X, y, 1.0)
cases["weights l2=2"] = fit(X, y, 2.0, w)
cases["rowMask l2=0.5"] = fit(X[mask], y[mask], 0.5)
# tied columns 3 and 4 (levels 0 and 1 of block b) and columns 10 and 11 (the two numerics): merge each pair
merged = np.column_stack([X[:, 0:3], X[:, 3] + X[:, 4], X[:, 5:10], X[:, 10] + X[:, 11]])
cases["tied [3,4] [10,11] l2=1 (merged design)"] = fit(merged, y, 1.0)
# column 1 (level 1 of block a) fixed at 0 = the design without it
cases["fixedZero [1] l2=1 (column dropped)"] = fit(np.delete(X, 1, axis=1), y, 1.0)
Xc = dense(rows, constant_c=True)
cases["constant block c l2=1"] = fit(Xc, y, 1.0)
# perfect separation: y = 1 exactly when block a is at level 0
ys = np.array([1 if r[0] == 0 else 0 for r in rows[:40]])
cases["separated (y = a==0) first 40 rows l2=1"] = fit(X[:40], ys, 1.0)
cases["separated (y = a==0) first 40 rows l2=0.01"] = fit(X[:40], ys, 0.01)

print(json.dumps({"n": len(rows), "events": int(y.sum()), "mask_rows": int(mask.sum()), "cases": cases}, indent=1))
