// Ranking metrics for anomaly scores against 0/1 labels: ROC-AUC (Mann-Whitney, ties counted
// half) and PR-AUC as average precision (scikit-learn's definition).

import { HourglassError } from '../engine/errors.js';

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): { pos: number; neg: number } {
  if (scores.length !== labels.length) throw new HourglassError(`${scores.length} scores but ${labels.length} labels`);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new HourglassError(`label ${i} is ${labels[i]}: labels must be 0 (normal) or 1 (anomaly)`);
    pos += labels[i]!;
  }
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) throw new HourglassError('labels need both normal (0) and anomalous (1) rows');
  return { pos, neg };
}

/** Indices sorted by descending score. */
function byScore(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
}

/** Probability that a random anomaly scores above a random normal row. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { pos, neg } = check(scores, labels);
  const order = byScore(scores);
  // Walk tied groups from the top: each negative in a group is beaten by all positives above it
  // and ties half with the positives inside it.
  let posAbove = 0,
    wins = 0;
  for (let i = 0; i < order.length;) {
    let j = i,
      p = 0,
      n = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!] === 1) p++;
      else n++;
      j++;
    }
    wins += n * (posAbove + p / 2);
    posAbove += p;
    i = j;
  }
  return wins / (pos * neg);
}

/** Average precision: sum over thresholds of (recall step) * precision, ties as one threshold. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { pos } = check(scores, labels);
  const order = byScore(scores);
  let tp = 0,
    seen = 0,
    ap = 0;
  for (let i = 0; i < order.length;) {
    let j = i,
      p = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      if (labels[order[j]!] === 1) p++;
      j++;
    }
    tp += p;
    seen += j - i;
    ap += (p / pos) * (tp / seen);
    i = j;
  }
  return ap;
}
