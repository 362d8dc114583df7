// Reading 0/1 labels (one per row, optional header) for anomaly-detection metrics.

import fs from 'node:fs';
import { HourglassError } from '../engine/errors.js';

export function readLabels(file: string, rows: number): Int32Array {
  if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such labels file`);
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length > 0 && !/^[01]$/.test(lines[0]!)) lines.shift();
  if (lines.length !== rows)
    throw new HourglassError(`${file} has ${lines.length} labels but the data has ${rows} rows`);
  return Int32Array.from(lines, (l, i) => {
    if (l !== '0' && l !== '1')
      throw new HourglassError(`${file}: line ${i + 1} is '${l}', expected 0 (normal) or 1 (anomaly)`);
    return Number(l);
  });
}
