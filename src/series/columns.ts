// Which columns of a table are the timestamp and the values: the time column by its usual names
// or given; the values all other numeric columns or a chosen list. A column of numbers with a
// few stray words is an error at the first word (a typo in data, not a text column).

import { HourglassError } from '../engine/errors.js';
import { isMissing, isNumber, type Table } from '../data/table.js';

const TIME_NAMES = ['timestamp', 'time', 'date', 'datetime'];

/** The file line of body row r (the header is line 1). */
export const lineOf = (t: Table, r: number): number => r + (t.headerRow === false ? 1 : 2);

const quoted = (names: string[]): string => names.map((c) => `'${c}'`).join(', ');

export function chooseTimeColumn(t: Table, file: string, given?: string): number {
  if (given !== undefined) {
    const at = t.columns.indexOf(given);
    if (at < 0) throw new HourglassError(`${file}: no column '${given}' (columns: ${quoted(t.columns)})`);
    return at;
  }
  const found = t.columns.flatMap((c, i) => (TIME_NAMES.includes(c.trim().toLowerCase()) ? [i] : []));
  if (found.length === 1) return found[0]!;
  if (found.length === 0)
    throw new HourglassError(
      `${file}: no timestamp column (one named ${TIME_NAMES.join(', ')}): name it with timeColumn (columns: ${quoted(t.columns)})`,
    );
  throw new HourglassError(
    `${file}: several columns could be the timestamp (${quoted(found.map((i) => t.columns[i]!))}): choose one with timeColumn`,
  );
}

/** The first row whose cell in column c is neither a number nor missing, or -1. */
function firstText(t: Table, c: number): number {
  return t.rows.findIndex((row) => !isNumber(row[c]!) && !isMissing(row[c]!));
}

function textError(t: Table, file: string, c: number, r: number): HourglassError {
  return new HourglassError(
    `${file}: row ${lineOf(t, r)}, column '${t.columns[c]}' is '${t.rows[r]![c]}', not a number (leave the cell empty to mark it missing)`,
  );
}

export interface ValueColumns {
  indices: number[];
  ignored: string[];
}

export function chooseValueColumns(t: Table, file: string, time: number, given?: string[]): ValueColumns {
  if (given !== undefined) {
    if (given.length === 0) throw new HourglassError(`${file}: valueColumns is empty: name at least one column`);
    const indices = given.map((name) => {
      const at = t.columns.indexOf(name);
      if (at < 0) throw new HourglassError(`${file}: no column '${name}' (columns: ${quoted(t.columns)})`);
      if (at === time) throw new HourglassError(`${file}: '${name}' is the timestamp column, not a value column`);
      const r = firstText(t, at);
      if (r >= 0) throw textError(t, file, at, r);
      return at;
    });
    if (new Set(indices).size < indices.length) throw new HourglassError(`${file}: valueColumns names a column twice`);
    return { indices, ignored: t.columns.filter((_, i) => i !== time && !indices.includes(i)) };
  }
  const indices: number[] = [],
    ignored: string[] = [];
  t.columns.forEach((name, c) => {
    if (c === time) return;
    const cells = t.rows.map((row) => row[c]!).filter((v) => !isMissing(v));
    const numbers = cells.filter(isNumber).length;
    if (cells.length === 0) throw new HourglassError(`${file}: column '${name}' has no values (every cell is missing)`);
    if (numbers === cells.length) indices.push(c);
    // Mostly numbers: the words are mistakes in a value column.
    else if (numbers >= 0.8 * cells.length) throw textError(t, file, c, firstText(t, c));
    else ignored.push(name);
  });
  if (indices.length === 0)
    throw new HourglassError(
      `${file}: no numeric value column besides the timestamp '${t.columns[time]}'` +
        (ignored.length ? ` (text columns: ${quoted(ignored)})` : ''),
    );
  return { indices, ignored };
}
