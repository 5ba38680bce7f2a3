"""Reference values for test/stats/binning.test.ts: weight of evidence and information value.

    /usr/bin/python3 scripts/reference/binning_woe.py

optbinning is not installed here, so its formula is restated from its source
(optbinning/binning/binning_statistics.py, BinningTable.build): for bins with both events and
non-events, woe = log(1 / event_rate - 1) + log(total_events / total_nonevents), and
iv = jeffrey(p_event, p_nonevent) = (p_event - p_nonevent) * log(p_event / p_nonevent); bins with an
empty cell get 0 for both. The smoothed values use the pseudo-counts of src/stats/binning-woe.ts.
"""
import json
import math

import numpy as np


def optbinning_table(n_event, n_nonevent):
    n_event = np.asarray(n_event, dtype=float)
    n_nonevent = np.asarray(n_nonevent, dtype=float)
    te, tne = n_event.sum(), n_nonevent.sum()
    mask = (n_event > 0) & (n_nonevent > 0)
    woe = np.zeros(len(n_event))
    iv = np.zeros(len(n_event))
    er = n_event[mask] / (n_event[mask] + n_nonevent[mask])
    woe[mask] = np.log(1 / er - 1) + np.log(te / tne)
    pe, pne = n_event[mask] / te, n_nonevent[mask] / tne
    iv[mask] = (pe - pne) * np.log(pe / pne)
    return {"woe": woe.tolist(), "iv": iv.tolist(), "total_iv": float(iv.sum())}


def smoothed_woe(e, ne, te, tne, s=0.5):
    t = te + tne
    return math.log((ne + 2 * s * tne / t) / (e + 2 * s * te / t)) - math.log(tne / te)


def smoothed_table(n_event, n_nonevent, s=0.5):
    te, tne = sum(n_event), sum(n_nonevent)
    woe = [smoothed_woe(e, ne, te, tne, s) for e, ne in zip(n_event, n_nonevent)]
    iv = [(ne / tne - e / te) * w for e, ne, w in zip(n_event, n_nonevent, woe)]
    return {"woe": woe, "iv": iv, "total_iv": sum(iv)}


out = {
    "woe(20, 80, 100, 900, 0)": math.log((80 / 900) / (20 / 100)),
    "woe(0, 50, 100, 900, 0.5)": smoothed_woe(0, 50, 100, 900),
    "optbinning events [5,20,30,0] nonevents [95,180,70,50]": optbinning_table([5, 20, 30, 0], [95, 180, 70, 50]),
    # binNumeric hand case: four values of 25 leads, events 2, 5, 10, 20, plus 20 missing leads with 4 events
    "smoothed events [2,5,10,20,4] nonevents [23,20,15,5,16]": smoothed_table([2, 5, 10, 20, 4], [23, 20, 15, 5, 16]),
}
print(json.dumps(out, indent=1))
