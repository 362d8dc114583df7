"""Writes data/breast_cancer.csv (scikit-learn's copy of the UCI Breast Cancer Wisconsin
(Diagnostic) data: 569 rows, 30 numeric features and the diagnosis as a text column) and
test/fixtures/knn_impute.json (scikit-learn's KNNImputer on a small matrix with gaps, the
reference for Hourglass's k-nearest-neighbour imputation baseline).

Run with Debian's Python: /usr/bin/python3 tools/make_tabular_data.py
"""
import csv
import json
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.impute import KNNImputer

d = load_breast_cancer()
with open('data/breast_cancer.csv', 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(list(d.feature_names) + ['diagnosis'])
    for row, target in zip(d.data, d.target):
        w.writerow([repr(float(v)) for v in row] + [d.target_names[target]])

rng = np.random.default_rng(7)
x = rng.normal(size=(40, 6))
x[:, 1] += 2 * x[:, 0]
gaps = rng.random(x.shape) < 0.2
gaps[0, :] = False
x_missing = np.where(gaps, np.nan, x)
filled = KNNImputer(n_neighbors=5).fit_transform(x_missing)
json.dump({'rows': 40, 'cols': 6, 'k': 5,
           'x': [None if np.isnan(v) else float(v) for v in x_missing.ravel()],
           'filled': [float(v) for v in filled.ravel()]},
          open('test/fixtures/knn_impute.json', 'w'))
print('wrote data/breast_cancer.csv and test/fixtures/knn_impute.json')
