"""scikit-learn baselines for the detection bench (bench/detect): the ADBench protocol.

For each dataset and split (a stratified 60/40 split made by bench/detect/run.ts, so that every
detector scores exactly the same rows): detectors fitted on the 60% without labels (it holds
anomalies, as real data does), the 40% scored, ROC-AUC and average precision. Every detector uses
default settings on features standardized with the training part's statistics.
Writes {dataset: {detector: [{rocAuc, ap}, ...one per split]}}.

usage: python3 baselines.py SPLITS.json DATA_DIR OUT.json
  SPLITS.json: {dataset: [{"seed": s, "train": [row indices], "test": [row indices]}, ...]}
"""
import json
import sys
import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM


def load(path):
    raw = np.genfromtxt(path, delimiter=",", names=True)
    names = raw.dtype.names
    x = np.stack([raw[n] for n in names if n != "anomaly"], axis=1).astype(np.float64)
    y = raw["anomaly"].astype(int)
    return x, y


def pca_error(train, test):
    # PCA's reconstruction error needs fewer components than features (all of them rebuild
    # everything exactly): keep those explaining 90% of the variance, a common default.
    pca = PCA(n_components=0.9, svd_solver="full").fit(train)
    rebuilt = pca.inverse_transform(pca.transform(test))
    return ((test - rebuilt) ** 2).sum(axis=1)


def knn_distance(train, test, k=5):
    # PyOD's KNN default: distance to the 5th nearest training row.
    nn = NearestNeighbors(n_neighbors=k).fit(train)
    return nn.kneighbors(test)[0][:, -1]


def detectors(seed):
    return {
        "iforest": lambda tr, te: -IsolationForest(random_state=seed).fit(tr).score_samples(te),
        "lof": lambda tr, te: -LocalOutlierFactor(novelty=True).fit(tr).score_samples(te),
        "ocsvm": lambda tr, te: -OneClassSVM().fit(tr).score_samples(te),
        "pca": pca_error,
        "knn": knn_distance,
    }


def main():
    splits_path, data_dir, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(splits_path) as f:
        splits = json.load(f)
    result = {}
    for name, runs in splits.items():
        x, y = load(f"{data_dir}/{name}.csv")
        result[name] = {}
        for run in runs:
            tr_idx, te_idx = np.array(run["train"]), np.array(run["test"])
            scaler = StandardScaler().fit(x[tr_idx])
            tr, te = scaler.transform(x[tr_idx]), scaler.transform(x[te_idx])
            for det, score in detectors(run["seed"]).items():
                s = score(tr, te)
                result[name].setdefault(det, []).append(
                    {"rocAuc": roc_auc_score(y[te_idx], s), "ap": average_precision_score(y[te_idx], s)}
                )
            print(f"  {name} split {run['seed']}: scikit-learn done", file=sys.stderr, flush=True)
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
