#!/usr/bin/python3
"""numpy / scikit-learn reference values for the series baselines (run: npm run fixtures), written
to test/fixtures/series_baselines.json: on two NAB series (rows with one timestamp averaged),
Sub-PCA (standard scaling with n - 1, windows of 64 steps as float32, sklearn PCA keeping the
fewest components with 90% of the variance, at most 32; per-window mean squared reconstruction
error; step score = mean over covering windows), the rolling z-score over the 64 past values
(population deviation), and their ROC-AUC / average precision against the NAB windows."""
import csv
import json
import os

import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import average_precision_score, roc_auc_score

ROOT = os.path.join(os.path.dirname(__file__), '..')
WINDOW, SHARE, MAX_K = 64, 0.9, 32


def read(name):
    with open(os.path.join(ROOT, 'data', 'nab', name)) as f:
        rows = list(csv.reader(f))[1:]
    times, values = [], []
    for t, v in rows:
        if times and times[-1] == t:
            values[-1].append(float(v))
        else:
            times.append(t)
            values.append([float(v)])
    return times, np.array([np.mean(v) for v in values])


def sub_pca(x):
    scaled = (x - x.mean()) / x.std(ddof=1)
    n = len(scaled) - WINDOW + 1
    windows = np.stack([scaled[i:i + WINDOW] for i in range(n)]).astype(np.float32).astype(np.float64)
    pca = PCA(n_components=min(WINDOW, MAX_K), svd_solver='full').fit(windows)
    cum = np.cumsum(pca.explained_variance_ratio_)
    k = int(np.argmax(cum >= SHARE) + 1) if cum[-1] >= SHARE else len(cum)
    v = pca.components_[:k]
    c = windows - pca.mean_
    err = ((c - c @ v.T @ v) ** 2).mean(axis=1)
    total, count = np.zeros(len(x)), np.zeros(len(x))
    for i in range(n):
        total[i:i + WINDOW] += err[i]
        count[i:i + WINDOW] += 1
    return total / count, k


def rolling_z(x):
    sd_all = x.std()
    z = np.zeros(len(x))
    for t in range(2, len(x)):
        past = x[max(0, t - WINDOW):t]
        z[t] = abs(x[t] - past.mean()) / max(past.std(), 1e-6 * sd_all)
    return z


with open(os.path.join(ROOT, 'data', 'nab', 'windows.json')) as f:
    all_windows = json.load(f)
cases = []
for name in ('realTraffic/speed_7578.csv', 'realAdExchange/exchange-2_cpc_results.csv'):
    times, x = read(name)
    labels = np.array([any(a[:19] <= t <= b[:19] for a, b in all_windows[name]) for t in times], dtype=int)
    pca_scores, k = sub_pca(x)
    z = rolling_z(x)
    cases.append({
        'name': name, 'components': k,
        'subPca': [float(f'{v:.9g}') for v in pca_scores], 'zScore': [float(f'{v:.12g}') for v in z],
        'subPcaRocAuc': float(roc_auc_score(labels, pca_scores)), 'zRocAuc': float(roc_auc_score(labels, z)),
        'subPcaAp': float(average_precision_score(labels, pca_scores)), 'zAp': float(average_precision_score(labels, z)),
    })
    print(name, 'k', k, 'Sub-PCA AUC', cases[-1]['subPcaRocAuc'], 'z AUC', cases[-1]['zRocAuc'])
with open(os.path.join(ROOT, 'test', 'fixtures', 'series_baselines.json'), 'w') as f:
    json.dump({'generator': 'tools/make_series_fixtures.py', 'window': WINDOW, 'cases': cases}, f)
    f.write('\n')
