// Reading a time series from CSV text: the timestamp column (found by name or given), the value
// columns (every other numeric column, or chosen), and the checks and repairs a series needs
// before windows are cut from it. Every rule defaults to 'error', so nothing is changed silently:
//   missing     a missing cell ('', NA, NaN, null, ...): 'error' | 'interpolate' (linear in time) | 'previous'
//   gaps        a difference other than the usual step: 'error' | 'interpolate' | 'previous' (insert
//               the missing steps, filled so) | 'keep' (take the rows as they are, an irregular sequence)
//   duplicates  rows with the same timestamp: 'error' | 'mean' | 'first' | 'last' (one step from them)
// Timestamps must increase (rows are not sorted for the caller); times without a zone are UTC.

import { HourglassError } from '../engine/errors.js';
import { isMissing, parseTable, type Table } from '../data/table.js';
import { fileStore } from '../platform/files.js';
import { chooseTimeColumn, chooseValueColumns, lineOf } from './columns.js';
import { fillColumn, type FillRule } from './fill.js';
import { resample, usualStep, type GapRule } from './sampling.js';
import type { Series } from './series.js';
import { orderRows, parseTimes, type DuplicateRule } from './time_order.js';

export type MissingRule = 'error' | FillRule;
export type { GapRule } from './sampling.js';
export type { DuplicateRule } from './time_order.js';

export interface ReadSeriesOptions {
  /** The name used in messages (and to pick TSV by a .tsv ending); default 'series.csv'. */
  file?: string;
  /** The timestamp column; default the one named timestamp, time, date or datetime (any case). */
  timeColumn?: string;
  /** The value columns, in this order; default every other column that holds numbers. */
  valueColumns?: string[];
  missing?: MissingRule;
  gaps?: GapRule;
  duplicates?: DuplicateRule;
}

function checkRule<T extends string>(name: string, value: T | undefined, allowed: readonly T[]): T {
  const v = value ?? allowed[0]!;
  if (!allowed.includes(v))
    throw new HourglassError(`${name} must be ${allowed.map((a) => `'${a}'`).join(', ')}; got '${String(value)}'`);
  return v;
}

/** Reads a series from CSV (or TSV) text. */
export function readSeries(text: string, options: ReadSeriesOptions = {}): Series {
  const file = options.file ?? 'series.csv';
  const missing = checkRule('missing', options.missing, ['error', 'interpolate', 'previous'] as const);
  const gaps = checkRule('gaps', options.gaps, ['error', 'keep', 'interpolate', 'previous'] as const);
  const duplicates = checkRule('duplicates', options.duplicates, ['error', 'mean', 'first', 'last'] as const);
  const t = parseTable(text, file);
  const timeAt = chooseTimeColumn(t, file, options.timeColumn);
  const { indices, ignored } = chooseValueColumns(t, file, timeAt, options.valueColumns);
  const { times: rowTimes, kind } = parseTimes(t, file, timeAt);
  const { groups, duplicatesMerged } = orderRows(t, file, timeAt, rowTimes, duplicates);
  const features = indices.length;

  // One step per group of rows; NaN marks a missing cell.
  const stepTimes = Float64Array.from(groups, (g) => rowTimes[g[0]!]!);
  const stepValues = new Float64Array(groups.length * features);
  groups.forEach((g, s) => {
    indices.forEach((c, f) => {
      stepValues[s * features + f] = groupValue(t, g, c, duplicates);
      if (missing === 'error' && Number.isNaN(stepValues[s * features + f]!)) {
        const r = duplicates === 'last' ? g[g.length - 1]! : g[0]!;
        const cell = t.rows[r]![c]!;
        throw new HourglassError(
          `${file}: row ${lineOf(t, r)}, column '${t.columns[c]}' is missing (${cell === '' ? 'empty' : `'${cell}'`}): fill missing values with missing: 'interpolate' or 'previous'`,
        );
      }
    });
  });

  const line = (s: number) => lineOf(t, groups[s]![0]!);
  const { times, from, inserted, irregular } = resample(
    stepTimes,
    kind,
    gaps,
    file,
    line,
    (s) => t.rows[groups[s]![0]!]![timeAt]!,
  );
  const steps = times.length;
  const values = new Float64Array(steps * features).fill(NaN);
  from.forEach((s, i) => {
    if (s >= 0) values.set(stepValues.subarray(s * features, (s + 1) * features), i * features);
  });
  // Inserted steps take the gap rule, missing cells of real rows the missing rule.
  const gapFill: FillRule = gaps === 'previous' ? 'previous' : 'interpolate';
  const missingFill: FillRule = missing === 'previous' ? 'previous' : 'interpolate';
  let filled = 0;
  for (let f = 0; f < features; f++)
    filled += fillColumn(
      values,
      times,
      f,
      features,
      (i) => (from[i]! < 0 ? gapFill : missingFill),
      `${file}: column '${t.columns[indices[f]!]}'`,
    );

  return {
    file,
    timeColumn: t.columns[timeAt]!,
    timeKind: kind,
    columns: indices.map((c) => t.columns[c]!),
    times,
    values,
    steps,
    features,
    step: usualStep(times),
    sourceRows: Int32Array.from(from, (s) => (s < 0 ? 0 : line(s))),
    ignoredColumns: ignored,
    repairs: {
      missingFilled: filled - inserted * features,
      gapStepsInserted: inserted,
      duplicatesMerged,
      irregularSteps: irregular,
    },
  };
}

/** The value of column c for a step made of rows g (one row, or several with one timestamp). */
function groupValue(t: Table, g: number[], c: number, rule: DuplicateRule): number {
  const cell = (r: number) => (isMissing(t.rows[r]![c]!) ? NaN : Number(t.rows[r]![c]));
  if (g.length === 1 || rule === 'first') return cell(g[0]!);
  if (rule === 'last') return cell(g[g.length - 1]!);
  let sum = 0,
    n = 0;
  for (const r of g) {
    const v = cell(r);
    if (!Number.isNaN(v)) [sum, n] = [sum + v, n + 1];
  }
  return n > 0 ? sum / n : NaN;
}

/** Reads a series from a CSV or TSV file (through the platform's file access: the Node entry). */
export function loadSeries(path: string, options: ReadSeriesOptions = {}): Series {
  const text = new TextDecoder().decode(fileStore().readFile(path));
  return readSeries(text, { file: path, ...options });
}
