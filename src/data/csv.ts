// A table whose every cell is a number, as rows of a tensor (models trained on arrays rather than
// tables read CSV files this way). Errors name the file, row and column.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { isNumber, type Table } from './table.js';

export function numericRows(t: Table, file: string): Tensor {
  const cols = t.columns.length;
  const data = new Float32Array(t.rows.length * cols);
  t.rows.forEach((row, r) => {
    const line = r + (t.headerRow ? 2 : 1);
    row.forEach((cell, c) => {
      if (!isNumber(cell))
        throw new HourglassError(
          `${file}: row ${line}, column ${c + 1} ('${t.columns[c]}') is ${cell === '' ? 'empty' : `'${cell}'`}, not a number`,
        );
      data[r * cols + c] = Number(cell);
    });
  });
  return { data, shape: [t.rows.length, cols] };
}
