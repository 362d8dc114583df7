// Series of the Numenta Anomaly Benchmark (data/nab/ in the repository: CSVs of timestamp,value
// and windows.json with the labelled anomaly windows per file). Several recordings repeat a
// timestamp or skip and jitter their sampling, so they are read with duplicates: 'mean' and
// gaps: 'keep' (each row one step, as NAB scores them).

import { HourglassError } from '../engine/errors.js';
import { fileStore } from '../platform/files.js';
import { labelsFromWindows, type TimeWindow } from './labels.js';
import { readSeries, type ReadSeriesOptions } from './read_series.js';
import type { Series } from './series.js';

export const NAB_READ_OPTIONS: ReadSeriesOptions = { duplicates: 'mean', gaps: 'keep' };

export type NabWindows = Record<string, TimeWindow[]>;

export interface NabSeries {
  /** The key in windows.json, such as 'realTraffic/speed_7578.csv'. */
  name: string;
  series: Series;
  windows: TimeWindow[];
  /** 1 for the steps inside a labelled window. */
  labels: Uint8Array;
}

const readText = (path: string) => new TextDecoder().decode(fileStore().readFile(path));

export function readNabWindows(dir = 'data/nab'): NabWindows {
  const file = `${dir}/windows.json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof HourglassError) throw e;
    throw new HourglassError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const ok =
    parsed !== null &&
    typeof parsed === 'object' &&
    Object.values(parsed).every(
      (ws) =>
        Array.isArray(ws) &&
        ws.every((w) => Array.isArray(w) && w.length === 2 && w.every((t) => typeof t === 'string')),
    );
  if (!ok) throw new HourglassError(`${file}: expected { "folder/file.csv": [["start", "end"], ...], ... }`);
  return parsed as NabWindows;
}

/** The series names in windows.json, in its order. */
export function nabSeriesNames(dir = 'data/nab'): string[] {
  return Object.keys(readNabWindows(dir));
}

/** The full name of a series given in full ('realTraffic/speed_7578.csv') or by its file's stem ('speed_7578'). */
function resolveName(name: string, windows: NabWindows): string {
  if (name in windows) return name;
  const matches = Object.keys(windows).filter((k) => k.replace(/^.*\//, '').replace(/\.csv$/, '') === name);
  if (matches.length === 1) return matches[0]!;
  throw new HourglassError(
    `no NAB series '${name}'${matches.length > 1 ? ` (several: ${matches.join(', ')})` : ''}; known: ${Object.keys(windows).join(', ')}`,
  );
}

/** A NAB series from its CSV text and labelled windows. */
export function nabSeriesFromText(name: string, csv: string, windows: readonly TimeWindow[]): NabSeries {
  const series = readSeries(csv, { ...NAB_READ_OPTIONS, file: name });
  return { name, series, windows: [...windows], labels: labelsFromWindows(series, windows) };
}

/** Loads a NAB series and its per-step labels by name from the folder (default data/nab). */
export function loadNabSeries(name: string, options: { dir?: string } = {}): NabSeries {
  const dir = options.dir ?? 'data/nab';
  const all = readNabWindows(dir);
  const full = resolveName(name, all);
  const nab = nabSeriesFromText(full, readText(`${dir}/${full}`), all[full]!);
  return { ...nab, series: { ...nab.series, file: `${dir}/${full}` } };
}
