// Small model folders for the server tests, trained in a second or two: an autoencoder on the
// breast-cancer table (text column `diagnosis` one-hot, a few cells removed) with its training
// scores saved as `hourglass train` saves them, an anomaly detector on the same table, and an
// autoencoder on plain rows of numbers.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoencoders } from '../../src/index.js';
import { fitTable, PREPROCESSING_KEY } from '../../src/apps/tabular.js';
import { summarizeTrainingScores, TRAINING_SCORES_KEY } from '../../src/apps/training_scores.js';
import { parseTable, type Table } from '../../src/data/table.js';
import { fitPreprocessing, transformTable } from '../../src/data/tabular_preprocessing.js';
import { AnomalyDetector } from '../../src/detection/detector.js';
import { Random } from '../../src/engine/random.js';

export const TABLE_FILE = new URL('../../data/breast_cancer.csv', import.meta.url).pathname;

export function breastCancer(): Table {
  const t = parseTable(fs.readFileSync(TABLE_FILE, 'utf8'), TABLE_FILE);
  // Every 17th row misses one cell, so masks and imputation are exercised.
  return { ...t, rows: t.rows.map((r, i) => (i % 17 === 5 ? r.map((c, j) => (j === i % 30 ? '' : c)) : r)) };
}

export interface Folders {
  tmp: string;
  table: Table;
  tabular: string;
  detector: string;
  arrays: string;
}

/** An autoencoder on the table with its training scores, saved as `hourglass train` saves it. */
export async function saveTabularModel(table: Table, dir: string): Promise<void> {
  const ae = autoencoders.dense({ hidden: [16], latent: 4 });
  const { prepared } = await fitTable(ae, table, TABLE_FILE, { epochs: 3, batchSize: 64, verbose: false, seed: 1 });
  ae.extra[TRAINING_SCORES_KEY] = summarizeTrainingScores(ae.score(prepared.x, { mask: prepared.mask }));
  ae.save(dir);
  ae.dispose();
}

export async function makeFolders(): Promise<Folders> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-serve-'));
  const table = breastCancer();

  const tabular = path.join(tmp, 'tabular');
  await saveTabularModel(table, tabular);

  const p = fitPreprocessing(table, 'standard', TABLE_FILE);
  const detector = await AnomalyDetector.fit(transformTable(p, table, TABLE_FILE).x, {
    members: 2,
    steps: 40,
    seed: 3,
  });
  detector.extra[PREPROCESSING_KEY] = p;
  const detectorDir = path.join(tmp, 'detector');
  detector.save(detectorDir);
  detector.dispose();

  const rng = new Random(5);
  const rows = Array.from({ length: 200 }, () => Array.from({ length: 6 }, () => rng.uniform()));
  const plain = autoencoders.dense({ hidden: [8], latent: 2 });
  await plain.fit(rows, { epochs: 2, verbose: false, seed: 2 });
  const arrays = path.join(tmp, 'arrays');
  plain.save(arrays);
  plain.dispose();
  return { tmp, table, tabular, detector: detectorDir, arrays };
}
