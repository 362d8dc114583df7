#!/usr/bin/python3
"""scikit-learn reference values for the ranking metrics (run: npm run fixtures): ROC-AUC and
average precision on seeded scores with ties, written to test/fixtures/metrics.json."""
import json
import os

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

rng = np.random.default_rng(5)
cases = []
for n, ties in ((50, False), (200, True), (31, True)):
    labels = (rng.random(n) < 0.3).astype(int)
    labels[0], labels[1] = 0, 1
    scores = rng.normal(size=n) + labels * 0.8
    if ties:
        scores = np.round(scores, 1)
    cases.append({'scores': scores.tolist(), 'labels': labels.tolist(),
                  'rocAuc': float(roc_auc_score(labels, scores)), 'averagePrecision': float(average_precision_score(labels, scores))})
out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'metrics.json')
with open(out, 'w') as f:
    json.dump({'generator': 'tools/make_metric_fixtures.py', 'cases': cases}, f)
    f.write('\n')
print(len(cases), 'metric cases')
