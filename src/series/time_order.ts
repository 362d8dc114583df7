// The timestamp column read and checked: every cell a time, strictly increasing. Rows sharing a
// timestamp are an error by default, or merged into one step (their mean, the first or the last)
// when asked: real recordings (several NAB series) log the same instant twice.

import { HourglassError } from '../engine/errors.js';
import { isNumber, type Table } from '../data/table.js';
import { lineOf } from './columns.js';
import { parseDateTime, type TimeKind } from './timestamps.js';

export type DuplicateRule = 'error' | 'mean' | 'first' | 'last';

export interface ParsedTimes {
  times: Float64Array;
  kind: TimeKind;
}

/** Numbers when every cell is a number, date-times otherwise (the first that is not one is named). */
export function parseTimes(t: Table, file: string, c: number): ParsedTimes {
  const name = t.columns[c]!;
  if (t.rows.every((row) => isNumber(row[c]!)))
    return { times: Float64Array.from(t.rows, (row) => Number(row[c])), kind: 'number' };
  const times = new Float64Array(t.rows.length);
  t.rows.forEach((row, r) => {
    const cell = row[c]!;
    const v = parseDateTime(cell);
    if (Number.isNaN(v))
      throw new HourglassError(
        `${file}: row ${lineOf(t, r)}, column '${name}' is ${cell === '' ? 'empty' : `'${cell}'`}, not a timestamp (write dates as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)`,
      );
    times[r] = v;
  });
  return { times, kind: 'datetime' };
}

export interface OrderedRows {
  /** For each step, the table rows it is made of (one, or several with the same timestamp). */
  groups: number[][];
  duplicatesMerged: number;
}

/** Groups rows into steps, refusing time going backwards (naming both rows) and, by default, repeats. */
export function orderRows(
  t: Table,
  file: string,
  c: number,
  times: Float64Array,
  duplicates: DuplicateRule,
): OrderedRows {
  const groups: number[][] = [];
  let merged = 0;
  for (let r = 0; r < times.length; r++) {
    if (r > 0 && times[r]! < times[r - 1]!)
      throw new HourglassError(
        `${file}: timestamps go backwards: row ${lineOf(t, r)} ('${t.rows[r]![c]}') comes after row ${lineOf(t, r - 1)} ('${t.rows[r - 1]![c]}'); sort the file by time`,
      );
    if (r > 0 && times[r] === times[r - 1]) {
      if (duplicates === 'error')
        throw new HourglassError(
          `${file}: rows ${lineOf(t, r - 1)} and ${lineOf(t, r)} have the same timestamp '${t.rows[r]![c]}' (merge them with duplicates: 'mean', 'first' or 'last')`,
        );
      groups[groups.length - 1]!.push(r);
      merged++;
    } else groups.push([r]);
  }
  return { groups, duplicatesMerged: merged };
}
