// The command line's series flags and how a command reads a series: for training, with the time
// and value columns given (or found); for a trained sequence model, with the columns and time
// column it was trained on, in the order its scaling has them.

import { type Command, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import { csvCell, isMissing, parseTable } from '../data/table.js';
import { HourglassError } from '../engine/errors.js';
import type { SeriesModelRecord } from '../apps/series_model.js';
import { readSeries, type ReadSeriesOptions } from '../series/read_series.js';
import type { Series } from '../series/series.js';
import { stepTime } from '../series/series.js';
import { choice } from './parse.js';

/** --columns a,b: value column names. */
export function columnList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === ''))
    throw new InvalidArgumentError(`expected comma-separated column names, got '${value}'`);
  return names;
}

/** The flags that say how a series file is read (train, detect, encode, denoise, impute). */
export function addSeriesReadOptions(c: Command): Command {
  return c
    .addOption(
      new Option(
        '--missing <rule>',
        'series: a missing value is an error, or filled (linear in time, or the previous value)',
      )
        .argParser(choice(['error', 'interpolate', 'previous'] as const))
        .default('error'),
    )
    .addOption(
      new Option(
        '--gaps <rule>',
        'series: a step other than the usual one is an error, kept as it is, or filled with inserted steps',
      )
        .argParser(choice(['error', 'keep', 'interpolate', 'previous'] as const))
        .default('error'),
    )
    .addOption(
      new Option('--duplicates <rule>', 'series: rows with the same timestamp are an error, or merged into one step')
        .argParser(choice(['error', 'mean', 'first', 'last'] as const))
        .default('error'),
    );
}

interface ReadFlags {
  missing?: ReadSeriesOptions['missing'];
  gaps?: ReadSeriesOptions['gaps'];
  duplicates?: ReadSeriesOptions['duplicates'];
}
export type SeriesReadFlags = ReadFlags;

function readText(file: string): string {
  if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such file`);
  if (!/\.(csv|tsv)$/i.test(file)) throw new HourglassError(`${file}: a series is read from a .csv or .tsv file`);
  return fs.readFileSync(file, 'utf8');
}

const rules = (o: ReadFlags): ReadSeriesOptions => ({
  ...(o.missing ? { missing: o.missing } : {}),
  ...(o.gaps ? { gaps: o.gaps } : {}),
  ...(o.duplicates ? { duplicates: o.duplicates } : {}),
});

/** The training series: the time column and value columns as given, or found. */
export function readTrainingSeries(file: string, o: ReadFlags & { timeColumn?: string; columns?: string[] }): Series {
  return readSeries(readText(file), {
    file,
    ...rules(o),
    ...(o.timeColumn ? { timeColumn: o.timeColumn } : {}),
    ...(o.columns ? { valueColumns: o.columns } : {}),
  });
}

/** A series for a trained model: its time column and value columns, in the model's order. */
export function readSeriesFor(record: SeriesModelRecord, file: string, o: ReadFlags): { series: Series; text: string } {
  const text = readText(file);
  const series = readSeries(text, {
    file,
    ...rules(o),
    timeColumn: record.timeColumn,
    valueColumns: record.scaling.columns.map((c) => c.name),
  });
  return { series, text };
}

/**
 * 1 for each cell of the series read from the file, 0 for one that was missing there (or a step
 * inserted into a gap): what impute fills. Needs one row per step (no merged duplicates).
 */
export function observedMask(series: Series, text: string): Uint8Array {
  if (series.repairs.duplicatesMerged > 0)
    throw new HourglassError(
      `${series.file}: impute needs one row per timestamp (rows with the same timestamp were merged)`,
    );
  const t = parseTable(text, series.file);
  const offset = t.headerRow === false ? 1 : 2;
  const at = series.columns.map((c) => t.columns.indexOf(c));
  const mask = new Uint8Array(series.steps * series.features);
  for (let i = 0; i < series.steps; i++) {
    const line = series.sourceRows[i]!;
    if (line === 0) continue; // inserted into a gap: nothing observed
    const row = t.rows[line - offset]!;
    at.forEach((c, f) => (mask[i * series.features + f] = isMissing(row[c]!) ? 0 : 1));
  }
  return mask;
}

/** A series' steps as CSV: its time column, then one column per entry (its value at each step). */
export function seriesCsv(series: Series, columns: { name: string; at: (step: number) => number }[]): string {
  const cell = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7))));
  const lines = [[series.timeColumn, ...columns.map((c) => c.name)].map(csvCell).join(',')];
  for (let i = 0; i < series.steps; i++)
    lines.push([stepTime(series, i), ...columns.map((c) => cell(c.at(i)))].join(','));
  return lines.join('\n') + '\n';
}

/** The value columns of [steps * features] values, under the series' column names (and a suffix). */
export function valueColumns(
  series: Series,
  values: ArrayLike<number>,
  suffix = '',
): { name: string; at: (step: number) => number }[] {
  return series.columns.map((name, f) => ({
    name: `${name}${suffix}`,
    at: (i: number) => values[i * series.features + f]!,
  }));
}
