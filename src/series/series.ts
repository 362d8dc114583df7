// A time series as the rest of src/series/ uses it: one row per time step, in time order, with
// one or several value columns, and what reading it had to repair (so a caller can report it).

import { formatTime, type TimeKind } from './timestamps.js';

export interface Series {
  /** The file name used in messages. */
  file: string;
  timeColumn: string;
  timeKind: TimeKind;
  /** The value columns, in the order of `values`' features. */
  columns: string[];
  /** Milliseconds since 1970 UTC (datetime) or the numbers as written, one per step, increasing. */
  times: Float64Array;
  /** [steps, features], row-major. */
  values: Float64Array;
  steps: number;
  features: number;
  /** The usual sampling interval (the most common difference between steps; 0 for one step). */
  step: number;
  /** Line of each step in the file (the header is line 1); 0 for a step inserted into a gap. */
  sourceRows: Int32Array;
  /** Columns left out of the values (text columns, when value columns were not chosen). */
  ignoredColumns: string[];
  repairs: SeriesRepairs;
}

export interface SeriesRepairs {
  /** Cells that were missing and filled by the `missing` rule. */
  missingFilled: number;
  /** Steps inserted into gaps of the regular sampling (filled by the `gaps` rule). */
  gapStepsInserted: number;
  /** Rows merged into another row with the same timestamp (the `duplicates` rule). */
  duplicatesMerged: number;
  /** Differences between steps other than the usual step, left as they are (gaps: 'keep'). */
  irregularSteps: number;
}

/** The time of step i as text (UTC date-time or the number). */
export const stepTime = (s: Pick<Series, 'times' | 'timeKind'>, i: number): string =>
  formatTime(s.times[i]!, s.timeKind);
